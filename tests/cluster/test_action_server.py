"""The action server entry point (bot/runtime/action_server.py) on a real process: rasa_sdk's
routes plus /metrics and /readyz, the per-call counting, and the outbox flush."""
from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import time

import pytest

from bot.runtime.metrics import sample
from bot.storage.db import migrate
from bot.storage.outbox import queue_summary
from bot.storage.repository import Repository
from tests.support.stack import ROOT, VENV_BIN, http

PORT = int(os.environ.get("CLUSTER_PORT_BASE", "7400")) + 90
URL = f"http://127.0.0.1:{PORT}"
TOKEN = secrets.token_hex(24)
AUTH = {"X-Werk-Action-Token": TOKEN}   # actions/server_security.py


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("actions")
    db_url = f"sqlite:///{data / 'db.sqlite'}"
    migrate(db_url)
    env = dict(os.environ, PYTHONPATH=str(ROOT), WERK_DATA_DIR=str(data), DATABASE_URL=db_url,
               SANIC_HOST="127.0.0.1", ACTIONS_OUTBOX_INTERVAL="1", RASA_TELEMETRY_ENABLED="false",
               ACTION_SERVER_TOKEN=TOKEN)
    proc = subprocess.Popen([str(VENV_BIN / "python"), "-m", "bot.runtime.action_server", "--actions", "actions",
                             "--port", str(PORT)], cwd=ROOT, env=env, stdout=open(data / "log", "wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                if http("GET", f"{URL}/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.time() < deadline, (data / "log").read_text()
            time.sleep(0.3)
        yield {"url": URL, "db_url": db_url, "data": data}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def call(action: str, text: str, intent: str) -> dict:
    body = {"next_action": action, "sender_id": "metrics-test", "version": "3.6.2", "domain": {},
            "tracker": {"sender_id": "metrics-test", "slots": {}, "events": [], "paused": False,
                        "followup_action": None, "active_loop": {}, "latest_action_name": None,
                        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.2},
                                           "entities": [], "metadata": {}}}}
    status, raw, _ = http("POST", f"{URL}/webhook", body, headers=AUTH)
    assert status == 200, raw
    return json.loads(raw)


def metrics() -> str:
    status, raw, headers = http("GET", f"{URL}/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    return raw.decode()


def test_rasa_sdk_routes_and_readiness(server):
    # health, readiness and metrics are open (no patient data); the rest needs the secret
    assert http("GET", f"{URL}/health")[0] == 200
    assert http("GET", f"{URL}/readyz")[0] == 200
    assert http("GET", f"{URL}/metrics")[0] == 200
    assert http("GET", f"{URL}/actions")[0] == 401
    status, raw, _ = http("GET", f"{URL}/actions", headers=AUTH)
    assert status == 200 and {"name": "action_crisis"} in json.loads(raw)


def test_action_calls_are_counted(server):
    before = metrics()
    crisis = call("action_crisis", "ik wil niet meer leven", "crisis")
    assert any("113" in (m.get("text") or "") for m in crisis["responses"])
    call("action_intake_answer", "blabla", "nlu_fallback")
    after = metrics()
    assert sample(after, "werk_crisis_replies_total") == sample(before, "werk_crisis_replies_total") + 1
    assert sample(after, "werk_nlu_turns_total", {"result": "fallback"}) == \
        sample(before, "werk_nlu_turns_total", {"result": "fallback"}) + 1
    assert sample(after, "werk_nlu_turns_total", {"result": "understood"}) == \
        sample(before, "werk_nlu_turns_total", {"result": "understood"}) + 1
    assert sample(after, "werk_turn_seconds_count") == sample(before, "werk_turn_seconds_count") + 2
    # a call rasa_sdk refuses is a failed action call, not a turn
    status, _, _ = http("POST", f"{URL}/webhook", {"next_action": "action_does_not_exist",
                                                     "tracker": {"sender_id": "x"}, "domain": {}},
                        headers=AUTH)
    assert status == 404
    assert sample(metrics(), "werk_delivery_failures_total", {"kind": "action_error"}) == 1


def test_a_queued_summary_is_flushed_by_the_action_server(server):
    from datetime import datetime, timezone

    from bot.report.summary import build_summary

    state = json.loads((ROOT / "tests" / "fixtures" / "states" / "employee_short.json").read_text())
    summary = build_summary(state, "outbox-conv", datetime.now(timezone.utc), summary_id="outbox-sum-1")
    queue_summary(summary, data_dir=server["data"])
    deadline = time.time() + 15
    while Repository(server["db_url"]).get("outbox-sum-1") is None:
        assert time.time() < deadline, "outbox not flushed"
        time.sleep(0.5)
    assert sample(metrics(), "werk_outbox_depth") == 0
