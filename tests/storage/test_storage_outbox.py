"""The file outbox when the database is down, and flushing it later."""
import json
import stat

from bot.storage import hashing
from bot.storage.outbox import (
    flush_outbox,
    outbox_dir,
    pending_files,
    request_tracker_deletion_or_queue,
    save_summary_or_queue,
)
from tests.storage import backends


def test_stored_directly_when_database_is_up(repo, tmp_path):
    summary = backends.fresh_summary("employee")
    summary_id, stored = save_summary_or_queue(summary, url=repo.url, data_dir=tmp_path)
    assert (summary_id, stored) == (summary["summary_id"], True)
    assert repo.get(summary_id) == summary
    assert pending_files(tmp_path) == []


def test_queued_when_database_is_dead_then_flushed(backend, repo, tmp_path):
    dead = backends.dead_url(backend, tmp_path)
    summary = backends.fresh_summary("self_employed")
    key = hashing.new_patient_key()
    answers = {"work_status": "working"}

    summary_id, stored = save_summary_or_queue(summary, answers=answers, patient_key=key,
                                               url=dead, data_dir=tmp_path)

    assert (summary_id, stored) == (summary["summary_id"], False)
    files = pending_files(tmp_path)
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert not [p for p in outbox_dir(tmp_path).iterdir() if p.name.startswith(".tmp-")]
    item = json.loads(files[0].read_text(encoding="utf-8"))
    assert item["summary"] == summary and key not in json.dumps(item)

    still_dead = flush_outbox(dead, tmp_path)
    assert (still_dead.flushed, still_dead.remaining) == (0, 1)
    assert len(pending_files(tmp_path)) == 1

    result = flush_outbox(repo.url, tmp_path)
    assert (result.flushed, result.remaining, result.broken) == (1, 0, 0)
    assert pending_files(tmp_path) == []
    stored_summary = repo.get_summary(summary_id)
    assert stored_summary.body == summary and stored_summary.answers == answers
    assert repo.summary_for_patient(summary_id, key) is not None


def test_flush_is_idempotent_when_already_stored(repo, tmp_path):
    summary = backends.fresh_summary("employee")
    repo.save_summary(summary)
    from bot.storage.outbox import queue_summary

    queue_summary(summary, data_dir=tmp_path)
    assert flush_outbox(repo.url, tmp_path).flushed == 1
    assert len(repo.list_summaries()) == 1


def test_tracker_deletion_is_queued_too(backend, repo, tmp_path):
    dead = backends.dead_url(backend, tmp_path)
    assert request_tracker_deletion_or_queue("conv-1", "consent_declined", url=dead,
                                             data_dir=tmp_path) is False
    assert flush_outbox(repo.url, tmp_path).flushed == 1
    assert [c for _, c, _ in repo.pending_tracker_deletions()] == ["conv-1"]


def test_unreadable_file_is_set_aside(repo, tmp_path):
    directory = outbox_dir(tmp_path)
    directory.mkdir(parents=True)
    (directory / "summary-bad.json").write_text("{not json")
    result = flush_outbox(repo.url, tmp_path)
    assert result.broken == 1 and pending_files(tmp_path) == []
    assert (directory / "summary-bad.broken").exists()


def test_default_data_dir_from_settings(repo, tmp_path):
    assert outbox_dir() == tmp_path / "data" / "outbox"
