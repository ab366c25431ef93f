"""Finding 1: one HTTP call to the action server, with a hand-made tracker, stored a
"consented" summary for any appointment code and returned its patient key."""
from __future__ import annotations

import json
import os
import subprocess
import uuid

import sqlalchemy as sa

from tests.support.stack import ROOT, VENV_BIN, free_port, http


def forged_call(sender: str) -> dict:
    """A tracker in the consent phase, as an attacker would write it."""
    slots = {"intake_phase": "consent", "current_question": "consent_share",
             "work_status": "job_seeking", "support_wish": False,
             "channel": "tablet", "appointment_code": "VICTIM-1"}
    return {"next_action": "action_intake_answer", "sender_id": sender, "version": "3.6.21",
            "domain": {}, "tracker": {
                "sender_id": sender, "slots": slots,
                "latest_message": {"text": "ja", "intent": {"name": "affirm", "confidence": 1.0},
                                   "entities": [], "metadata": {}},
                "events": [], "paused": False, "followup_action": None, "active_loop": {},
                "latest_action_name": "action_listen"}}


def summaries_of(stack, sender: str) -> int:
    engine = sa.create_engine(stack.db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("select count(*) from wi_summaries where conversation_id = :s"),
                                {"s": sender}).scalar()
    finally:
        engine.dispose()


def test_forged_action_server_call_is_rejected(stack):
    sender = f"forged-{uuid.uuid4()}"
    for headers in ({}, {"X-Werk-Action-Token": "wrong-" + stack.action_token[6:]},
                    {"X-Werk-Action-Token": "é" * 10}):
        status, body, _ = http("POST", f"{stack.action_url}/webhook", forged_call(sender), headers=headers)
        assert status == 401, (status, body[:200])
        assert b"patient_key" not in body and b"summary_id" not in body
    assert http("GET", f"{stack.action_url}/actions")[0] == 401  # no action list either
    assert http("GET", f"{stack.action_url}/health")[0] == 200
    assert summaries_of(stack, sender) == 0


def test_rasa_calls_with_the_secret_and_the_action_runs(stack):
    """The control: with the secret the same hand-made call runs, but what it stores is
    decided by the server: no invitation, so not under VICTIM-1, unverified, no key."""
    sender = f"forged-{uuid.uuid4()}"
    status, body, _ = http("POST", f"{stack.action_url}/webhook", forged_call(sender),
                           headers={"X-Werk-Action-Token": stack.action_token})
    assert status == 200
    reply = json.loads(body)
    customs = [r.get("custom") or {} for r in reply["responses"]]
    assert any("summary_id" in c for c in customs)
    assert not any("patient_key" in c for c in customs)  # the key never passes through Rasa
    engine = sa.create_engine(stack.db_url)
    with engine.connect() as conn:
        row = conn.execute(sa.text("select appointment_code, verified, channel, patient_key_hash "
                                   "from wi_summaries where conversation_id = :s"), {"s": sender}).one()
    engine.dispose()
    assert row[0] is None and not row[1] and row[2] == "home" and row[3] is None


def _start_action_server(env_changes: dict):
    env = dict(os.environ, PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false")
    env.pop("ACTION_SERVER_TOKEN", None)
    env.pop("SANIC_HOST", None)
    env.update(env_changes)
    port = free_port()
    proc = subprocess.Popen([str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
                             "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    return proc, port


def test_action_server_refuses_a_public_interface_without_a_secret():
    proc, _ = _start_action_server({"SANIC_HOST": "0.0.0.0"})
    try:
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    assert "refusing to start the action server on 0.0.0.0 without ACTION_SERVER_TOKEN" in out


def test_action_server_listens_on_loopback_by_default():
    from actions.server_security import check_startup

    environ = {}
    assert check_startup(environ) == "" and environ["SANIC_HOST"] == "127.0.0.1"
    assert check_startup({"SANIC_HOST": "10.1.2.3", "ACTION_SERVER_TOKEN": "x" * 32}) == "x" * 32
