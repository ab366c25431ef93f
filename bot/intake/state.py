"""The typed intake state and its Rasa slots.

The engine (bot/intake/, bot/dialogue/) works on a plain dict (`qn.new_state()`); the Rasa
boundary (actions/adapter.py) goes through `IntakeState`: `from_slots` rebuilds the state
from the tracker's slots, `to_slots` writes it back, and the action returns only the slots
that changed (`changed_slots`). The tracker store is therefore the source of truth: a
restarted server resumes a conversation from the slots alone.

Slots (domain.yml's slot section is generated from this module by
scripts/sync_domain_slots.py; the names and values below are a contract, Rasa markers and
the funnel read them):

- one slot per question, named by the question id, typed by its ``answer_type``:
  choice -> categorical (the option codes), multi_choice -> list, number/scale -> float,
  yes_no -> bool, text -> text, date_or_duration -> text (``date_text``); a choice with
  ``other_text`` has a text slot ``<id>_text`` for the words given with "other".
  Unanswered = not set (None).
- ``intake_phase`` (categorical idle/asking/readback/consent/done), ``current_question``
  (the pending question id, or None), ``skipped_questions`` (list; unset when empty).
- the rest the engine needs, kept small: ``channel``, ``appointment_code``,
  ``returning_patient`` (the start context), ``faq_topics``, ``human_contact_requested``,
  ``summary_id``, ``answered_early``, ``intake_flags`` (set ones of FLAGS),
  ``intake_misses``, ``intake_fallbacks``, ``intake_pending`` (a guess awaiting yes/no),
  ``intake_correction`` (the last correction, for undo) and ``intake_history``.
- ``crisis_reply`` (bool): True after an action whose reply carries the fixed crisis answer,
  unset after any other (not part of the engine's state; the action sets it from
  `Result.crisis_reply`), so a marker can read the crisis answer as ``slot_was_set``.

``intake_history`` (the questions in the order asked, for "back") is written only when it
differs from the order the other slots imply (`implied_history`: answered and skipped
questions in questionnaire order, without those in ``answered_early`` -- answered without
being asked: in passing, or a follow-up given with its question -- then the pending one).
In a plain intake it stays unset, so it does not grow a slot event per answer; after a
change from the read-back or a correction of a question not yet asked it is written.
Empty lists, False and 0 are written as unset.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

from bot import content
from bot.intake import questionnaire as qn

PHASES = (qn.PHASE_IDLE, qn.PHASE_ASKING, qn.PHASE_READBACK, qn.PHASE_CONSENT, qn.PHASE_DONE)
CHANNELS = ("tablet", "home", "other")
FLAGS = ("confirm_restart", "safety_check", "choosing_change", "declined")

PHASE_SLOT = "intake_phase"
CURRENT_SLOT = "current_question"
SKIPPED_SLOT = "skipped_questions"
HISTORY_SLOT = "intake_history"
CRISIS_SLOT = "crisis_reply"

SLOT_TYPES = {
    "choice": "categorical",
    "multi_choice": "list",
    "number": "float",
    "scale": "float",
    "yes_no": "bool",
    "text": "text",
    "date_or_duration": "text",
}


def engine_slots() -> Dict[str, Dict[str, Any]]:
    """The slots that are not answers: name -> Rasa slot definition (type and values)."""
    return {
        PHASE_SLOT: {"type": "categorical", "values": list(PHASES)},
        CURRENT_SLOT: {"type": "text"},
        SKIPPED_SLOT: {"type": "list"},
        "channel": {"type": "categorical", "values": list(CHANNELS)},
        "appointment_code": {"type": "text"},
        "returning_patient": {"type": "bool"},
        "faq_topics": {"type": "list"},
        "human_contact_requested": {"type": "bool"},
        "summary_id": {"type": "text"},
        "answered_early": {"type": "list"},
        "intake_flags": {"type": "list"},
        "intake_misses": {"type": "any"},
        "intake_fallbacks": {"type": "float"},
        "intake_pending": {"type": "any"},
        "intake_correction": {"type": "any"},
        HISTORY_SLOT: {"type": "list"},
        CRISIS_SLOT: {"type": "bool"},
    }


def answer_slots() -> Dict[str, Dict[str, Any]]:
    """One slot per question (and per `other_text`), typed from bot/content/questions.yml."""
    out: Dict[str, Dict[str, Any]] = {}
    for q in content.questions():
        kind = q["answer_type"]
        slot: Dict[str, Any] = {"type": SLOT_TYPES[kind]}
        if kind == "choice":
            slot["values"] = content.option_codes(q)
        if kind in ("number", "scale"):
            for key, rasa_key in (("min", "min_value"), ("max", "max_value")):
                if q.get(key) is not None:
                    slot[rasa_key] = q[key]
        out[q["id"]] = slot
        if q.get("other_text"):
            out[f"{q['id']}_text"] = {"type": "text"}
    return out


def slot_definitions() -> Dict[str, Dict[str, Any]]:
    """Every slot of the intake, in domain order (answers first, in questionnaire order)."""
    names = answer_slots()
    clash = set(names) & set(engine_slots())
    if clash:
        raise content.ContentError("questions.yml", f"question ids clash with engine slots: {sorted(clash)}")
    return {**names, **engine_slots()}


def slot_names() -> List[str]:
    return list(slot_definitions())


# --- dates as text ------------------------------------------------------------------------


def date_text(value: Any) -> Optional[str]:
    """A date_or_duration answer ({"date", "weeks"[, "duration_weeks"]}) as text:
    "2026-10-19;weeks=4" or "2026-09-07;weeks=10;duration_weeks=2" ("none" for None)."""
    if not isinstance(value, dict) or not value.get("date"):
        return None
    parts = [str(value["date"])]
    for key in ("weeks", "duration_weeks"):
        if key in value:
            parts.append(f"{key}={'none' if value[key] is None else int(value[key])}")
    return ";".join(parts)


def date_value(text: Any) -> Optional[Dict[str, Any]]:
    if not isinstance(text, str) or not re.match(r"^\d{4}-\d{2}-\d{2}(;|$)", text):
        return None
    head, *rest = text.split(";")
    value: Dict[str, Any] = {"date": head}
    for part in rest:
        key, _, raw = part.partition("=")
        if key in ("weeks", "duration_weeks"):
            value[key] = None if raw == "none" else int(raw)
    return value


# --- the typed state ------------------------------------------------------------------------


@dataclass
class IntakeState:
    phase: str = qn.PHASE_IDLE
    current: Optional[str] = None
    answers: Dict[str, Any] = field(default_factory=dict)
    skipped: List[str] = field(default_factory=list)
    history: List[str] = field(default_factory=list)
    misses: Dict[str, int] = field(default_factory=dict)
    pending: Optional[Dict[str, Any]] = None
    context: Dict[str, Any] = field(default_factory=dict)
    faq_topics: List[str] = field(default_factory=list)
    human_contact_requested: bool = False
    summary_id: Optional[str] = None
    fallbacks: int = 0
    flags: List[str] = field(default_factory=list)
    last_correction: Optional[Dict[str, Any]] = None
    answered_early: List[str] = field(default_factory=list)

    # -- the engine's dict --------------------------------------------------------------
    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> "IntakeState":
        return cls(
            phase=state["phase"],
            current=state.get("current"),
            answers=copy.deepcopy(dict(state.get("answers") or {})),
            skipped=list(state.get("skipped") or []),
            history=list(state.get("history") or []),
            misses=dict(state.get("misses") or {}),
            pending=copy.deepcopy(state.get("pending")),
            context=dict(state.get("context") or {}),
            faq_topics=list(state.get("faq_topics") or []),
            human_contact_requested=bool(state.get("human_contact_requested")),
            summary_id=state.get("summary_id"),
            fallbacks=int(state.get("fallbacks") or 0),
            flags=[f for f in FLAGS if state.get(f)],
            last_correction=copy.deepcopy(state.get("last_correction")),
            answered_early=list(state.get("answered_early") or []),
        )

    def to_dict(self) -> Dict[str, Any]:
        state: Dict[str, Any] = {
            "version": qn.STATE_VERSION,
            "phase": self.phase,
            "current": self.current,
            "answers": copy.deepcopy(self.answers),
            "skipped": list(self.skipped),
            "history": list(self.history),
            "misses": dict(self.misses),
            "pending": copy.deepcopy(self.pending),
            "context": qn.normalise_context(self.context),
            "faq_topics": list(self.faq_topics),
            "human_contact_requested": self.human_contact_requested,
            "summary_id": self.summary_id,
            "fallbacks": self.fallbacks,
        }
        for flag in self.flags:
            state[flag] = True
        if self.last_correction is not None:
            state["last_correction"] = copy.deepcopy(self.last_correction)
        if self.answered_early:
            state["answered_early"] = list(self.answered_early)
        return state

    # -- Rasa slots -----------------------------------------------------------------------
    def implied_history(self) -> List[str]:
        """The order of asking the other slots imply: answered and skipped questions (not
        those answered in passing) in questionnaire order, then the pending question."""
        done = (set(self.answers) | set(self.skipped)) - set(self.answered_early)
        order = [q["id"] for q in content.questions() if q["id"] in done and q["id"] != self.current]
        return order + ([self.current] if self.current else [])

    def to_slots(self, crisis_reply: bool = False) -> Dict[str, Any]:
        """The slot values of this state; ``crisis_reply``: the reply carries the crisis answer."""
        slots: Dict[str, Any] = dict.fromkeys(slot_names())
        for qid in answer_slots():
            value = self.answers.get(qid)
            slots[qid] = date_text(value) if _is_date(qid) else value
        slots.update(
            {
                PHASE_SLOT: self.phase,
                CURRENT_SLOT: self.current,
                SKIPPED_SLOT: list(self.skipped) or None,
                "channel": self.context.get("channel"),
                "appointment_code": self.context.get("appointment_code"),
                "returning_patient": self.context.get("returning_patient"),
                "faq_topics": list(self.faq_topics) or None,
                "human_contact_requested": True if self.human_contact_requested else None,
                "summary_id": self.summary_id,
                "answered_early": list(self.answered_early) or None,
                "intake_flags": [f for f in FLAGS if f in self.flags] or None,
                "intake_misses": dict(self.misses) or None,
                "intake_fallbacks": self.fallbacks or None,
                "intake_pending": copy.deepcopy(self.pending),
                "intake_correction": copy.deepcopy(self.last_correction),
                HISTORY_SLOT: None if self.history == self.implied_history() else list(self.history),
                CRISIS_SLOT: True if crisis_reply else None,
            }
        )
        return slots

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> Optional["IntakeState"]:
        """The state kept in these slots, or None for a conversation without one. Values of
        the wrong type are dropped (the slots come from the tracker store)."""
        phase = slots.get(PHASE_SLOT)
        if phase is None:
            return None
        if phase not in PHASES:
            raise ValueError(f"unknown intake phase {phase!r}")
        answers: Dict[str, Any] = {}
        for qid, slot in answer_slots().items():
            value = _typed(slot, slots.get(qid))
            if value is not None and _is_date(qid):
                value = date_value(value)
            if value is not None:
                answers[qid] = value
        current = slots.get(CURRENT_SLOT)
        flags = _str_list(slots.get("intake_flags"))
        state = cls(
            phase=phase,
            current=current if isinstance(current, str) else None,
            answers=answers,
            skipped=_str_list(slots.get(SKIPPED_SLOT)),
            misses={
                str(k): int(v)
                for k, v in (_dict(slots.get("intake_misses")) or {}).items()
                if isinstance(v, (int, float))
            },
            pending=_dict(slots.get("intake_pending")),
            context={
                "channel": slots.get("channel"),
                "appointment_code": slots.get("appointment_code"),
                "returning_patient": slots.get("returning_patient"),
            },
            faq_topics=_str_list(slots.get("faq_topics")),
            human_contact_requested=slots.get("human_contact_requested") is True,
            summary_id=slots.get("summary_id") if isinstance(slots.get("summary_id"), str) else None,
            fallbacks=int(slots.get("intake_fallbacks") or 0)
            if isinstance(slots.get("intake_fallbacks"), (int, float))
            else 0,
            flags=[f for f in FLAGS if f in flags],
            last_correction=_dict(slots.get("intake_correction")),
            answered_early=_str_list(slots.get("answered_early")),
        )
        history = slots.get(HISTORY_SLOT)
        state.history = _str_list(history) if isinstance(history, list) else state.implied_history()
        return state


def changed_slots(before: Mapping[str, Any], after: Mapping[str, Any]) -> Dict[str, Any]:
    """The slots whose value differs (the events an action returns); False is not 0."""

    def same(a: Any, b: Any) -> bool:
        return a == b and isinstance(a, bool) == isinstance(b, bool)

    return {name: value for name, value in after.items() if not same(before.get(name), value)}


def _is_date(qid: str) -> bool:
    q = content.questions_by_id().get(qid)
    return q is not None and q["answer_type"] == "date_or_duration"


def _typed(slot: Mapping[str, Any], value: Any) -> Any:
    kind = slot["type"]
    if value is None:
        return None
    if kind == "categorical":
        return value if isinstance(value, str) and value in slot["values"] else None
    if kind == "list":  # as Rasa's ListSlot: a single value is a list of one
        return _str_list(value if isinstance(value, list) else [value]) or None
    if kind == "float":
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if kind == "bool":
        return value if isinstance(value, bool) else None
    return value if isinstance(value, str) else None


def _str_list(value: Any) -> List[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _dict(value: Any) -> Optional[Dict[str, Any]]:
    return copy.deepcopy(value) if isinstance(value, dict) else None


def comparable(state: Mapping[str, Any]) -> Dict[str, Any]:
    """An engine state as `from_slots(...).to_dict()` gives it back: unset flags, an empty
    `answered_early` and no `last_correction` are left out (the engine reads them with .get)."""
    out = copy.deepcopy(dict(state))
    for key in FLAGS + ("answered_early", "last_correction"):
        if not out.get(key):
            out.pop(key, None)
    out["context"] = qn.normalise_context(out.get("context") or {})
    return out
