"""Retention of summaries and Rasa tracker events; queued tracker deletions."""
import os
import time
from datetime import datetime, timedelta, timezone

from bot.storage import retention
from tests.storage import backends

DAY = 86400


def test_purge_deletes_old_summaries_and_tracker_events(repo, tmp_path):
    now = datetime.now(timezone.utc)
    old = backends.fresh_summary("employee", created_at=now - timedelta(days=31))
    recent = backends.fresh_summary("self_employed", created_at=now - timedelta(days=29))
    repo.save_summary(old)
    repo.save_summary(recent)
    ts = now.timestamp()
    backends.add_tracker_events(repo.url, [
        ("conv-old", ts - 40 * DAY), ("conv-old", ts - 31 * DAY),
        ("conv-new", ts - 2 * DAY), ("conv-new", ts - 60)])
    outbox = tmp_path / "data" / "outbox"
    outbox.mkdir(parents=True)
    stale, fresh = outbox / "summary-stale.json", outbox / "summary-fresh.json"
    stale.write_text("{}")
    fresh.write_text("{}")
    os.utime(stale, (ts - 31 * DAY, ts - 31 * DAY))

    result = retention.purge_expired(repo.url, 30, data_dir=tmp_path / "data")

    assert (result.summaries, result.tracker_events, result.outbox_files) == (1, 2, 1)
    assert repo.get_summary(old["summary_id"]) is None
    assert repo.get_summary(recent["summary_id"]) is not None
    assert backends.tracker_event_count(repo.url, "conv-old") == 0
    assert backends.tracker_event_count(repo.url, "conv-new") == 2
    assert fresh.exists() and not stale.exists()
    assert [(e.actor, e.action) for e in repo.audit_entries()] == [("system", "delete")]


def test_purge_uses_retention_days_setting(repo, monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "7")
    now = datetime.now(timezone.utc)
    repo.save_summary(backends.fresh_summary("employee", created_at=now - timedelta(days=8)))
    assert retention.purge_expired(repo.url).summaries == 1


def test_purge_without_events_table(repo):
    result = retention.purge_expired(repo.url, 30)
    assert result.tracker_events == 0
    assert retention.delete_tracker_events(repo.url, sender_id="x") is None


def test_tracker_events_in_a_separate_database(repo, tmp_path):
    tracker_url = f"sqlite:///{tmp_path / 'rasa.db'}"
    old = time.time() - 45 * DAY
    backends.add_tracker_events(tracker_url, [("c1", old), ("c2", time.time())])
    result = retention.purge_expired(repo.url, 30, tracker_url=tracker_url)
    assert result.tracker_events == 1
    assert backends.tracker_event_count(tracker_url) == 1


def test_pending_tracker_deletion_waits_then_deletes_only_that_conversation(repo):
    now = time.time()
    backends.add_tracker_events(repo.url, [("declined", now - 5), ("declined", now - 1),
                                           ("other", now - 3)])
    repo.request_tracker_deletion("declined", "consent_declined")
    requested = repo.pending_tracker_deletions()[0][2]

    too_early = requested + timedelta(seconds=10)
    assert retention.process_pending_deletions(repo.url, now=too_early) == 0
    assert backends.tracker_event_count(repo.url, "declined") == 2

    later = requested + timedelta(seconds=31)
    assert retention.process_pending_deletions(repo.url, now=later) == 1
    assert backends.tracker_event_count(repo.url, "declined") == 0
    assert backends.tracker_event_count(repo.url, "other") == 1
    assert repo.pending_tracker_deletions() == []


def test_pending_deletion_without_events_table_is_dropped(repo):
    repo.request_tracker_deletion("conv-x")
    assert retention.process_pending_deletions(repo.url, min_age_seconds=0) == 1
    assert repo.pending_tracker_deletions() == []


def test_refuses_to_delete_all_tracker_events(repo):
    import pytest

    with pytest.raises(ValueError):
        retention.delete_tracker_events(repo.url)
    with pytest.raises(ValueError):
        retention.purge_expired(repo.url, 0)
