"""Summaries, patient keys, audit log, users and tokens on SQLite and PostgreSQL."""
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot.storage import db, hashing
from bot.storage.models import ApiToken, CareTeamUser, Summary
from bot.storage.repository import LOCAL_TZ, needs_attention
from tests.storage import backends


@pytest.mark.parametrize("name", backends.FIXTURE_NAMES)
def test_fixtures_are_valid_summaries(name):
    backends.validate(backends.load_fixture(name))


@pytest.mark.parametrize("name", backends.FIXTURE_NAMES)
def test_save_and_get_round_trip(repo, name):
    summary = dict(backends.load_fixture(name), verified=True)
    answers = {"work_status": summary["work"]["status"]}
    summary_id = repo.save_summary(summary, answers=answers)
    assert summary_id == summary["summary_id"]
    stored = repo.get_summary(summary_id)
    assert stored.body == summary
    assert stored.answers == answers
    assert stored.conversation_id == summary["conversation_id"]
    assert stored.appointment_code == summary["context"]["appointment_code"]
    assert stored.verified is bool(summary["context"]["appointment_code"])
    assert stored.channel == summary["context"]["channel"]
    assert stored.created_at == datetime.fromisoformat(summary["created_at"])
    assert stored.created_at.tzinfo is not None
    assert repo.get(summary_id) == summary
    backends.validate(repo.get(summary_id))


def test_saving_the_same_summary_twice_keeps_one(repo):
    summary = backends.fresh_summary("employee")
    assert repo.save_summary(summary) == repo.save_summary(summary)
    with db.session_scope(repo.url) as s:
        assert s.execute(sa.select(sa.func.count()).select_from(Summary)).scalar() == 1


def test_unsafe_summary_id_is_replaced(repo):
    summary = backends.fresh_summary("job_seeker")
    summary["summary_id"] = "../../etc/passwd"
    summary_id = repo.save_summary(summary)
    assert summary_id != summary["summary_id"]
    assert repo.get(summary_id)["summary_id"] == summary_id
    assert len(summary_id) >= 16


def test_unknown_or_malformed_id(repo):
    assert repo.get_summary("does-not-exist") is None
    assert repo.get_summary("x" * 200) is None
    assert repo.get_summary("a/b") is None


def test_attention_rule():
    assert needs_attention(backends.load_fixture("employee"))
    assert not needs_attention(backends.load_fixture("job_seeker"))
    assert not needs_attention(backends.load_fixture("self_employed"))
    assert needs_attention(dict(backends.load_fixture("job_seeker"), human_contact_requested=True))
    assert not needs_attention(dict(backends.load_fixture("employee"), attention=False))


def test_list_puts_attention_first_then_newest(repo):
    now = datetime.now(timezone.utc)
    quiet_new = backends.fresh_summary("self_employed", created_at=now)
    urgent_old = backends.fresh_summary("employee", created_at=now - timedelta(minutes=30))
    quiet_old = backends.fresh_summary("job_seeker", created_at=now - timedelta(minutes=20))
    for s in (quiet_old, urgent_old, quiet_new):
        repo.save_summary(s)
    ids = [s.id for s in repo.list_summaries()]
    assert ids == [urgent_old["summary_id"], quiet_new["summary_id"], quiet_old["summary_id"]]
    info = repo.list_summaries()[0].info()
    assert info["attention"] is True and info["summary_id"] == urgent_old["summary_id"]
    assert "current_absence" in info["signals"]


def test_list_filters_by_local_day_and_appointment_code(repo):
    # 23:30 in Amsterdam on 1 March is 22:30 UTC: it belongs to 1 March, not 2 March.
    late = datetime(2026, 3, 1, 23, 30, tzinfo=LOCAL_TZ)
    next_day = datetime(2026, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
    a = backends.fresh_summary("employee", created_at=late)
    b = backends.fresh_summary("self_employed", created_at=next_day)
    repo.save_summary(a)
    repo.save_summary(b)
    assert [s.id for s in repo.list_summaries(day=date(2026, 3, 1))] == [a["summary_id"]]
    assert [s.id for s in repo.list_summaries(day=date(2026, 3, 2))] == [b["summary_id"]]
    assert repo.list_summaries(day=date(2026, 3, 3)) == []
    by_code = repo.list_summaries(appointment_code="POLI-ONC-0788")
    assert [s.id for s in by_code] == [b["summary_id"]]
    assert repo.list_summaries(appointment_code="POLI-ONC-0788", day=date(2026, 3, 1)) == []


def test_patient_key_is_stored_hashed_and_checked(repo):
    summary = backends.fresh_summary("employee")
    key = hashing.new_patient_key()
    repo.save_summary(summary, patient_key=key)
    assert repo.summary_for_patient(summary["summary_id"], key).id == summary["summary_id"]
    assert repo.summary_for_patient(summary["summary_id"], key + "x") is None
    assert repo.summary_for_patient(summary["summary_id"], "") is None
    assert repo.summary_for_patient("unknown-id", key) is None
    with db.session_scope(repo.url) as s:
        stored_hash = s.get(Summary, summary["summary_id"]).patient_key_hash
    assert stored_hash == hashing.sha256_hex(key) and key not in stored_hash
    without_key = backends.fresh_summary("job_seeker")
    repo.save_summary(without_key)
    assert repo.summary_for_patient(without_key["summary_id"], key) is None


def test_delete_for_conversation_queues_tracker_deletion(repo):
    summary = backends.fresh_summary("employee")
    repo.save_summary(summary)
    assert repo.delete_for_conversation(summary["conversation_id"]) == 1
    assert repo.get_summary(summary["summary_id"]) is None
    assert [c for _, c, _ in repo.pending_tracker_deletions()] == [summary["conversation_id"]]


def test_delete_summary(repo):
    summary = backends.fresh_summary("self_employed")
    repo.save_summary(summary)
    assert repo.delete_summary(summary["summary_id"]) == summary["conversation_id"]
    assert repo.delete_summary(summary["summary_id"]) is None
    assert repo.pending_tracker_deletions() == []
    other = backends.fresh_summary("employee")
    repo.save_summary(other)
    assert repo.delete_summary(other["summary_id"], tracker_reason="patient_request")
    assert [c for _, c, _ in repo.pending_tracker_deletions()] == [other["conversation_id"]]


def test_audit_entries(repo):
    repo.audit("token:epd", "list", None, "count=3")
    repo.audit("user:anna", "view", "abc", "html-pagina")
    repo.audit("user:anna", "export", "abc", "pdf")
    entries = repo.audit_entries()
    assert [(e.actor, e.action, e.summary_id) for e in entries] == [
        ("user:anna", "export", "abc"), ("user:anna", "view", "abc"), ("token:epd", "list", None)]
    assert entries[0].at.tzinfo is not None
    assert [e.action for e in repo.audit_entries(summary_id="abc")] == ["export", "view"]
    assert [e.detail for e in repo.audit_entries(action="list")] == ["count=3"]
    with pytest.raises(ValueError):
        repo.audit("user:anna", "hack")


def test_tokens_are_hashed_verified_and_revoked(repo):
    token = repo.create_token("epd-koppeling")
    assert token.startswith("wit_") and len(token) > 40
    assert repo.verify_token(token) == "epd-koppeling"
    assert repo.verify_token(token + "x") is None
    assert repo.verify_token("") is None and repo.verify_token(None) is None
    with db.session_scope(repo.url) as s:
        row = s.execute(sa.select(ApiToken)).scalar_one()
        assert row.token_sha256 == hashing.sha256_hex(token) and token not in row.token_sha256
    with pytest.raises(ValueError):
        repo.create_token("epd-koppeling")
    assert repo.revoke_token("epd-koppeling")
    assert repo.verify_token(token) is None
    assert not repo.revoke_token("unknown")
    assert [(t.name, t.revoked) for t in repo.list_tokens()] == [("epd-koppeling", True)]


def test_passwords(repo):
    repo.create_user("anna", "een lang wachtwoord")
    assert repo.verify_password("anna", "een lang wachtwoord")
    assert not repo.verify_password("anna", "een lang wachtwoorD")
    assert not repo.verify_password("bert", "een lang wachtwoord")
    with db.session_scope(repo.url) as s:
        stored = s.execute(sa.select(CareTeamUser)).scalar_one().password_hash
    assert stored.startswith("$argon2id$") and "wachtwoord" not in stored
    with pytest.raises(ValueError):
        repo.create_user("anna", "nog een wachtwoord")
    with pytest.raises(ValueError):
        repo.create_user("an na", "een lang wachtwoord")
    assert repo.set_user_active("anna", False)
    assert not repo.verify_password("anna", "een lang wachtwoord")
    assert not repo.user_is_active("anna")
    assert repo.set_user_active("anna", True) and repo.set_password("anna", "nieuw wachtwoord 2")
    assert repo.verify_password("anna", "nieuw wachtwoord 2")
    assert [u.username for u in repo.list_users()] == ["anna"]


def test_password_hash_salted():
    assert hashing.hash_password("geheim") != hashing.hash_password("geheim")
    assert hashing.check_password("geheim", hashing.hash_password("geheim"))
    assert not hashing.check_password("geheim", "garbage")
    assert not hashing.check_password("geheim", "pbkdf2$1$2$3$4$5")


def test_unverified_summary_is_never_filed_under_its_appointment(repo):
    summary = backends.fresh_summary("employee")
    summary["verified"] = False
    repo.save_summary(summary)
    stored = repo.get_summary(summary["summary_id"])
    assert stored.appointment_code is None and stored.verified is False
    code = summary["context"]["appointment_code"]
    assert summary["summary_id"] not in [s.id for s in repo.list_summaries(appointment_code=code)]
