"""Finding 7: deleted rows stayed readable in the SQLite file, a deleted summary could
come back from the outbox, conversations without consent were kept for 30 days."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from tests.security.conftest import chat, csrf_of, custom, finish_intake
from tests.support.stack import question_id, wait_until
from tests.web.helpers import Browser


def db_bytes(stack) -> bytes:
    base = Path(stack.db_url.replace("sqlite:///", ""))
    return b"".join(p.read_bytes() for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if p.exists())


def count(stack, sql, **params):
    engine = sa.create_engine(stack.db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()
    finally:
        engine.dispose()


def open_copy(stack, summary_id, key) -> Browser:
    browser = Browser(stack.web_url)
    resp = browser.open_copy(summary_id, key)
    assert resp.status_code == 303, resp.text[:300]
    return browser


def test_deleted_summary_text_is_not_in_the_database_file_nor_the_outbox(stack):
    from bot.storage.outbox import flush_outbox, outbox_dir, queue_summary
    from bot.storage.repository import Repository

    marker = "zebrapad" + uuid.uuid4().hex[:10]
    invitation = stack.cli("create-invitation", "AFS-DEL-1").strip()
    sender, replies = finish_intake(stack, {"channel": "home", "invitation": invitation},
                                    question=f"mag ik over {marker} iets vragen?")
    summary_id, key = custom(replies, "summary_id"), custom(replies, "patient_key")
    stored = Repository(stack.db_url).get_summary(summary_id)
    assert marker in str(stored.body)  # the test is meaningful: the text was stored
    queue_summary(stored.body, data_dir=stack.data_dir)  # an outbox copy of the same summary
    assert marker.encode() in db_bytes(stack)

    browser = open_copy(stack, summary_id, key)
    page = browser.get(f"/mijn-samenvatting/{summary_id}").text
    resp = browser.post(f"/mijn-samenvatting/{summary_id}/verwijderen", data={"csrf_token": csrf_of(page)})
    assert resp.status_code == 200 and "verwijderd" in resp.text
    assert not list(outbox_dir(stack.data_dir).glob(f"summary-{summary_id}*"))
    assert wait_until(lambda: count(stack, "select count(*) from events where sender_id = :s", s=sender) == 0)

    # an old outbox copy that turns up later cannot bring it back
    queue_summary(stored.body, data_dir=stack.data_dir)
    flush_outbox(stack.db_url, stack.data_dir)
    assert Repository(stack.db_url).get_summary(summary_id) is None
    assert not list(outbox_dir(stack.data_dir).glob(f"summary-{summary_id}*"))

    assert wait_until(lambda: marker.encode() not in db_bytes(stack), timeout=20), \
        "deleted text still in the SQLite file or its WAL"
    for path in outbox_dir(stack.data_dir).iterdir():
        assert marker.encode() not in path.read_bytes()


def test_deletion_that_cannot_be_done_fails_loudly(stack):
    from bot.storage.outbox import outbox_dir

    _, replies = finish_intake(stack, {"channel": "home"})
    summary_id, key = custom(replies, "summary_id"), custom(replies, "patient_key")
    blocker = outbox_dir(stack.data_dir) / f"summary-{summary_id}.json"
    blocker.mkdir(parents=True)  # an outbox copy that cannot be removed
    (blocker / "x").write_text("x")
    try:
        browser = open_copy(stack, summary_id, key)
        page = browser.get(f"/mijn-samenvatting/{summary_id}").text
        resp = browser.post(f"/mijn-samenvatting/{summary_id}/verwijderen", data={"csrf_token": csrf_of(page)})
        assert resp.status_code == 503 and "niet gelukt" in resp.text
        assert count(stack, "select count(*) from wi_summaries where id = :i", i=summary_id) == 1
    finally:
        (blocker / "x").unlink()
        blocker.rmdir()


def test_conversations_without_consent_are_deleted_after_24_hours(stack):
    from bot.storage import retention

    unconsented = str(uuid.uuid4())
    status, replies = chat(stack, unconsented, "/start", {"channel": "home"})
    assert question_id(replies) == "work_status"
    chat(stack, unconsented, "ik werk als kok")
    consented, _ = finish_intake(stack, {"channel": "home"})
    assert count(stack, "select count(*) from events where sender_id = :s", s=unconsented) > 0

    later = datetime.now(timezone.utc) + timedelta(hours=23)
    assert retention.purge_unconsented(stack.db_url, now=later) == 0 or \
        count(stack, "select count(*) from events where sender_id = :s", s=unconsented) > 0
    later = datetime.now(timezone.utc) + timedelta(hours=25)
    assert retention.purge_unconsented(stack.db_url, now=later) >= 1
    assert count(stack, "select count(*) from events where sender_id = :s", s=unconsented) == 0
    assert count(stack, "select count(*) from events where sender_id = :s", s=consented) > 0


def test_audit_log_has_its_own_retention(stack):
    from bot.storage import retention
    from bot.storage.repository import Repository

    repo = Repository(stack.db_url)
    repo.audit("system", "list", None, "oud")
    engine = sa.create_engine(stack.db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("update wi_audit_log set at = :t where detail = 'oud'"),
                     {"t": datetime(2020, 1, 1)})
    engine.dispose()
    result = retention.purge_expired(stack.db_url, 30, data_dir=stack.data_dir, audit_days=730)
    assert result.audit_entries >= 1
    assert count(stack, "select count(*) from wi_audit_log where detail = 'oud'") == 0
    assert count(stack, "select count(*) from wi_audit_log") > 0
