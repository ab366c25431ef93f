"""Security tables on SQLite and PostgreSQL: the login throttle under parallel attempts,
sessions, invitations (single use under a race), deletion tombstones."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from bot.storage import invitations
from tests.storage import backends

WINDOW = timedelta(minutes=15)


def test_parallel_login_attempts_never_pass_the_limit(repo):
    keys = [("ua:anna|10.0.0.1", 5), ("a:10.0.0.1", 30), ("u:anna", 50)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        granted = list(pool.map(lambda _: repo.acquire_login_attempt(keys, WINDOW), range(60)))
    assert granted.count(True) == 5
    repo.clear_login_attempts(["ua:anna|10.0.0.1"])
    assert repo.acquire_login_attempt(keys, WINDOW)


def test_invitation_is_redeemed_by_exactly_one_conversation(repo):
    code = invitations.create("AFS-RACE-1", source="test", url=repo.url)
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda i: invitations.redeem(code, f"conv-{i}", url=repo.url), range(10)))
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and winners[0].appointment_code == "AFS-RACE-1"
    binding = invitations.binding_for(winners[0].redeemed_by, url=repo.url)
    assert binding.verified and binding.appointment_code == "AFS-RACE-1"
    assert invitations.redeem(code, winners[0].redeemed_by, url=repo.url) is not None  # same conversation
    assert invitations.redeem("ZZZZ-ZZZZ-ZZZZ", "conv-x", url=repo.url) is None


def test_expired_and_revoked_invitations_are_refused(repo):
    code = invitations.create("AFS-OLD-1", expires_in=timedelta(minutes=5), source="test", url=repo.url)
    [inv] = [i for i in invitations.list_recent(url=repo.url) if i.appointment_code == "AFS-OLD-1"]
    invitations.revoke(inv.id, url=repo.url)
    assert invitations.redeem(code, "conv-1", url=repo.url) is None


def test_sessions_are_revoked_by_password_change(repo):
    repo.create_user("anna", "een lang wachtwoord")
    token = repo.create_session("anna")
    assert repo.session_user(token, idle=WINDOW, max_age=timedelta(hours=8)).username == "anna"
    repo.set_password("anna", "een ander lang wachtwoord")
    assert repo.session_user(token, idle=WINDOW, max_age=timedelta(hours=8)) is None


def test_deleted_summary_is_not_saved_again(repo):
    summary = backends.fresh_summary("employee")
    repo.save_summary(summary)
    assert repo.delete_summary(summary["summary_id"]) == summary["conversation_id"]
    repo.save_summary(summary)  # e.g. an old outbox copy
    assert repo.get_summary(summary["summary_id"]) is None
