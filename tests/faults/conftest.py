"""Fault tests on the real stack: each test module starts its own Stack (SQLite in a
temp dir) and breaks it on purpose: action server killed, Rasa restarted, database
unavailable, bad input. Run with `make test-faults`."""
from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest

from bot import content
from tests.support.stack import ROOT, VENV_BIN, Stack, http, running_stack

sys.path.insert(0, str(ROOT / "scripts" / "bench"))
from conversations import EMPLOYEE_WITH_ABSENCE, START_METADATA, check  # noqa: E402,F401 (re-exported)


class FaultStack(Stack):
    """A Stack whose action server (and CLI calls) can get extra environment, e.g. a
    DATABASE_URL that is down while Rasa's tracker store stays on the stack's SQLite."""

    # class defaults, always replaced (never mutated) per instance
    actions_env: Dict[str, str] = {}
    _extra: Dict[str, str] = {}

    def env(self) -> Dict[str, str]:
        env = super().env()
        env.update(self._extra)
        return env

    def start_actions(self) -> None:
        self._extra = dict(self.actions_env)
        try:
            super().start_actions()
        finally:
            self._extra = {}

    def restart_actions(self, **env: str) -> None:
        self.stop("actions")
        self.actions_env = dict(env)
        self.start_actions()
        self.wait_ready()

    def cli_with(self, env: Dict[str, str], *args: str) -> Tuple[int, str]:
        """``python -m bot.runtime.cli ARGS`` with extra environment: (exit code, output)."""
        self._extra = dict(env)
        try:
            proc = subprocess.run([str(VENV_BIN / "python"), "-m", "bot.runtime.cli", *args], cwd=ROOT,
                                  env=self.env(), capture_output=True, text=True, timeout=120)
        finally:
            self._extra = {}
        return proc.returncode, proc.stdout + proc.stderr

    def post(self, body: Any, timeout: float = 60.0) -> Tuple[int, Any]:
        status, raw, _ = http("POST", f"{self.rasa_url}/webhooks/rest/webhook", body, timeout=timeout)
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw


@pytest.fixture(scope="module")
def fault_stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("faults"), FaultStack, web=False) as stack:
        yield stack


def new_sender(prefix: str = "fault") -> str:
    return f"{prefix}-{uuid.uuid4()}"


def say(stack: FaultStack, sender: str, text: str) -> List[Dict[str, Any]]:
    body: Dict[str, Any] = {"sender": sender, "message": text}
    if text == "/start":
        body["metadata"] = START_METADATA
    status, replies = stack.post(body)
    assert status == 200, (text, status, replies)
    return replies


def walk(stack: FaultStack, sender: str, steps: Sequence[Tuple[str, Optional[str]]]) -> List[Dict[str, Any]]:
    """Send each step and check the reply (next question id, or a stored summary)."""
    replies: List[Dict[str, Any]] = []
    for text, expect in steps:
        replies = say(stack, sender, text)
        reason = check(replies, expect)
        assert reason is None, (text, reason, replies)
    return replies


def texts(replies: List[Dict[str, Any]]) -> List[str]:
    return [m["text"] for m in replies if isinstance(m, dict) and m.get("text")]


def unavailable_reply(replies: Any) -> bool:
    """The channel's Dutch reply when Rasa had nothing to say (bot/runtime/channels.py)."""
    return (isinstance(replies, list) and len(replies) == 1
            and replies[0].get("text") == content.message("action_error")
            and replies[0].get("custom") == {"error": "unavailable"})


def summary_rows(db_url: str, sender: str) -> List[Dict[str, Any]]:
    import sqlalchemy as sa

    from bot.storage.db import create_engine_for

    engine = create_engine_for(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("select id, body from wi_summaries where conversation_id = :s"),
                                {"s": sender}).all()
    finally:
        engine.dispose()
    return [{"id": r[0], "body": r[1] if isinstance(r[1], dict) else json.loads(r[1])} for r in rows]


def outbox_files(data_dir: Path) -> List[Path]:
    return sorted((data_dir / "outbox").glob("*.json")) if (data_dir / "outbox").is_dir() else []
