"""Intake states in every phase, built through the real entry (bot.dialogue.conversation.respond),
for tests and evaluations that send one message in each phase."""
from __future__ import annotations

import copy
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any, Dict, List, Optional

from bot.dialogue.conversation import respond
from bot.dialogue.interpret.meaning import Turn
from bot.intake.operations import StoreOutcome
from bot.report.summary import build_summary, validate_summary

TODAY = date(2026, 11, 16)
PHASES = ("before_start", "work_status", "occupation", "absence_since", "barriers", "work_ability",
          "readback", "consent", "done")
# Button codes (or text) that lead from one question to the next, for an absent employee.
PATH = {"work_status": "working", "occupation": "kok", "employment_type": "permanent", "absence": "full",
        "absence_since": "2026-10-19", "barriers": "fatigue", "support_wish": "no", "hours_per_week": "32",
        "how_is_work": "zwaar", "what_goes_well": "collega's", "work_aggravates": "no",
        "occupational_physician": "in_contact", "employer_informed": "yes", "workplace_support": "yes",
        "job_control": "partly", "work_ability": "6", "rtw_expectation": "yes", "worries": "none",
        "informal_care": "no", "irregular_hours": "no", "treatment_work_consideration": "no",
        "scheduling_needs": "no", "physician_contact_wish": "no"}


class RecordingHandoff:
    """Builds and validates the real summary; keeps it in memory instead of a database."""

    retention_days = 30

    def __init__(self, now: Optional[datetime] = None) -> None:
        self.now = now or datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=timezone.utc)
        self.stored: List[Dict[str, Any]] = []
        self.forgotten: List[str] = []

    def store(self, state, conversation_id):
        summary = build_summary(state, conversation_id, self.now)
        validate_summary(summary)
        self.stored.append(summary)
        return StoreOutcome(summary_id=summary["summary_id"], patient_key="k", stored=True)

    def forget(self, conversation_id):
        self.forgotten.append(conversation_id)


def _turn(text: str = "", code: Optional[str] = None, intent: str = "inform") -> Turn:
    return Turn(text=text or f'/inform{{"code": "{code}"}}', intent=intent, code=code,
                conversation_id="phase", today=TODAY)


@lru_cache(maxsize=None)
def _built(phase: str) -> Optional[Dict[str, Any]]:
    if phase == "before_start":
        return None
    handoff = RecordingHandoff()
    result = respond(None, _turn("/start", intent="start"), handoff)
    state = result.state
    for _ in range(60):
        current = state.get("current") if state["phase"] == "asking" else state["phase"]
        if current == phase:
            return state
        if state["phase"] == "readback":
            state = respond(state, _turn(code="confirm"), handoff).state
        elif state["phase"] == "consent":
            state = respond(state, _turn(code="yes"), handoff).state
        else:
            answer = PATH.get(current, "skip")
            state = respond(state, _turn(code=answer), handoff).state
    raise AssertionError(f"phase {phase} not reached")


def state_in_phase(phase: str) -> Optional[Dict[str, Any]]:
    """A fresh copy of an intake state waiting in `phase` (a question id, readback,
    consent, done; None before /start)."""
    state = _built(phase)
    return copy.deepcopy(state) if state is not None else None
