"""Scripted conversations for the benchmark and the load test.

Each step is ``(text, expect)``; ``expect`` is checked against the reply:

- a question id: the reply asks that question (``custom.question_id``),
- ``SUMMARY``: the reply carries a ``summary_id`` and was stored at once (no ``queued``),
- ``"~substring"``: some text in the reply contains the substring (moodbot),
- ``None``: any non-empty reply.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

SUMMARY = "@summary"
Step = Tuple[str, Optional[str]]

START_METADATA = {"channel": "home", "appointment_code": "BENCH-1"}

# The scripted intakes name question ids, so they are test data: tests/fixtures/bench_conversations.yml.
SCRIPTS_FILE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "bench_conversations.yml"


def _load_scripts() -> Dict[str, List[Step]]:
    with open(SCRIPTS_FILE, encoding="utf-8") as fh:
        return {name: [(text, expect) for text, expect in steps] for name, steps in yaml.safe_load(fh).items()}


INTAKE_SCRIPTS = _load_scripts()
# Employee on partial sick leave: 24 turns, every question, read-back, consent.
EMPLOYEE_WITH_ABSENCE: List[Step] = INTAKE_SCRIPTS["employee_absence"]
# Self-employed, a question about income in the middle (FAQ digression).
SELF_EMPLOYED_WITH_QUESTION: List[Step] = INTAKE_SCRIPTS["self_employed_question"]

# Rasa's moodbot (`rasa init`): the framework floor. 7 turns, English by design.
MOODBOT: List[Step] = [
    ("hello", "~How are you"), ("I am feeling great", "~carry on"), ("bye", "~Bye"),
    ("hi there", "~How are you"), ("I am very sad", "~Did that help"),
    ("yes", "~carry on"), ("goodbye", "~Bye"),
]


def question_id(replies: List[Dict[str, Any]]) -> Optional[str]:
    ids = [m["custom"]["question_id"] for m in replies
           if isinstance(m, dict) and isinstance(m.get("custom"), dict) and "question_id" in m["custom"]]
    return ids[-1] if ids else None


def check(replies: Any, expect: Optional[str]) -> Optional[str]:
    """None when the reply matches ``expect``, else a short reason."""
    if not isinstance(replies, list) or not replies:
        return "empty reply"
    if any(isinstance(m, dict) and isinstance(m.get("custom"), dict) and m["custom"].get("error")
           for m in replies):
        return "error reply"
    if expect is None:
        return None
    if expect == SUMMARY:
        customs = [m["custom"] for m in replies if isinstance(m.get("custom"), dict)]
        if not any(c.get("summary_id") for c in customs):
            return "no summary_id"
        if any(c.get("queued") for c in customs):
            return "summary queued in outbox"
        return None
    if expect.startswith("~"):
        texts = " ".join(m.get("text") or "" for m in replies if isinstance(m, dict))
        return None if expect[1:] in texts else f"expected text {expect[1:]!r}"
    got = question_id(replies)
    return None if got == expect else f"expected {expect}, got {got}"
