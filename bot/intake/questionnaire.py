"""The intake as a state machine over one JSON-serialisable state dict.

Which question comes next is decided only by the question data (order and `when`
conditions in bot/content/questions.yml) and the answers so far. This module knows
nothing about Rasa or wording of dialogue messages; see bot/intake/operations.py for that.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Optional

from bot import content

PHASE_IDLE = "idle"
PHASE_ASKING = "asking"
PHASE_READBACK = "readback"
PHASE_CONSENT = "consent"
PHASE_DONE = "done"

CONSENT_ID = content.consent_id()  # the question with `role: consent` in questions.yml
STATE_VERSION = 1


def new_state(context: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    return {
        "version": STATE_VERSION,
        "phase": PHASE_IDLE,
        "current": None,
        "answers": {},
        "skipped": [],
        "history": [],
        "misses": {},
        "pending": None,
        "context": normalise_context(context or {}),
        "faq_topics": [],
        "human_contact_requested": False,
        "summary_id": None,
        "fallbacks": 0,
    }


def normalise_context(metadata: Dict[str, Any]) -> Dict[str, Any]:
    """The spec §5 start metadata, with unknown or malformed values dropped."""
    channel = metadata.get("channel")
    code = metadata.get("appointment_code")
    returning = metadata.get("returning_patient")
    return {
        "channel": channel if channel in ("tablet", "home") else "other",
        "appointment_code": str(code)[:64] if isinstance(code, (str, int)) and str(code).strip() else None,
        "returning_patient": returning if isinstance(returning, bool) else None,
    }


def has_care_team(state: Dict[str, Any]) -> bool:
    """A conversation belongs to a care team when it came with an appointment code or
    from a waiting-room tablet; otherwise (a public link) the summary is for the
    patient only."""
    ctx = state["context"]
    return bool(ctx.get("appointment_code")) or ctx.get("channel") == "tablet"


def facts(state: Dict[str, Any]) -> Dict[str, Any]:
    out = dict(state["context"])
    out.update(state["answers"])
    return out


def is_applicable(state: Dict[str, Any], question_id: str) -> bool:
    return content.applies(content.question(question_id), facts(state))


def next_question_id(state: Dict[str, Any]) -> Optional[str]:
    """First applicable question that is neither answered nor skipped (consent excluded)."""
    f = facts(state)
    for q in content.questions():
        qid = q["id"]
        if qid == CONSENT_ID or qid in state["answers"] or qid in state["skipped"]:
            continue
        if content.applies(q, f):
            return qid
    return None


def _still_applies(state: Dict[str, Any], q: Dict[str, Any], f: Dict[str, Any]) -> bool:
    """A fact the patient gave early ("ik werk 36 uur") stays while the branch it was
    taken in holds (its `harvest.when`), even if its own question is not asked (yet)."""
    harvest = q.get("harvest")
    if harvest and q["id"] in state.get("answered_early", []):
        return content.applies({"when": harvest.get("when", "always")}, f)
    return content.applies(q, f)


def prune_inapplicable(state: Dict[str, Any]) -> List[str]:
    """Drop answers to questions that no longer apply (after a change of an earlier
    answer), so the summary never shows answers from a branch the patient left."""
    removed = []
    changed = True
    while changed:  # removing one answer may make another question inapplicable
        changed = False
        f = facts(state)
        for q in content.questions():
            qid = q["id"]
            if qid == CONSENT_ID:
                continue
            if (qid in state["answers"] or qid in state["skipped"]) and not _still_applies(state, q, f):
                state["answers"].pop(qid, None)
                state["answers"].pop(f"{qid}_text", None)
                if qid in state["skipped"]:
                    state["skipped"].remove(qid)
                removed.append(qid)
                changed = True
                break
    state["history"] = [h for h in state["history"] if h not in removed]
    return removed


def mark_asked(state: Dict[str, Any], question_id: str) -> None:
    state["current"] = question_id
    state["pending"] = None
    early = state.get("answered_early")
    if early and question_id in early:  # asked after all: no longer answered in passing
        early.remove(question_id)
    if not state["history"] or state["history"][-1] != question_id:
        state["history"].append(question_id)


def record_answer(
    state: Dict[str, Any], question_id: str, value: Any, extra_text: Optional[str] = None
) -> None:
    state["answers"][question_id] = value
    text_key = f"{question_id}_text"
    if extra_text and content.question(question_id).get("other_text"):
        state["answers"][text_key] = extra_text
    else:
        state["answers"].pop(text_key, None)
    if question_id in state["skipped"]:
        state["skipped"].remove(question_id)
    state["misses"].pop(question_id, None)
    state["pending"] = None


def record_skip(state: Dict[str, Any], question_id: str) -> None:
    state["answers"].pop(question_id, None)
    if question_id not in state["skipped"]:
        state["skipped"].append(question_id)
    state["misses"].pop(question_id, None)
    state["pending"] = None


def add_miss(state: Dict[str, Any], question_id: str) -> int:
    state["misses"][question_id] = state["misses"].get(question_id, 0) + 1
    return state["misses"][question_id]


def go_back(state: Dict[str, Any]) -> Optional[str]:
    """Reopen the previously asked question; returns its id, or None at the start."""
    history = state["history"]
    if state["phase"] in (PHASE_READBACK, PHASE_CONSENT):
        previous = next((h for h in reversed(history) if h != CONSENT_ID), None)
    else:
        if len(history) < 2:
            return None
        history.pop()  # the current question
        previous = history[-1]
    if previous is None:
        return None
    while history and history[-1] != previous:
        history.pop()
    state["answers"].pop(previous, None)
    state["answers"].pop(f"{previous}_text", None)
    if previous in state["skipped"]:
        state["skipped"].remove(previous)
    state["phase"] = PHASE_ASKING
    state["current"] = previous
    return previous


def reopen(state: Dict[str, Any], question_id: str) -> None:
    """Ask an answered question again (change from the read-back)."""
    state["answers"].pop(question_id, None)
    state["answers"].pop(f"{question_id}_text", None)
    if question_id in state["skipped"]:
        state["skipped"].remove(question_id)
    state["phase"] = PHASE_ASKING
    mark_asked(state, question_id)


def answered_ids(state: Dict[str, Any]) -> List[str]:
    """Answered or skipped questions in questionnaire order (consent excluded)."""
    done = set(state["answers"]) | set(state["skipped"])
    return [q["id"] for q in content.questions() if q["id"] in done and q["id"] != CONSENT_ID]


def snapshot(state: Dict[str, Any]) -> Dict[str, Any]:
    return copy.deepcopy(state)


def short_path_length(answers: Dict[str, Any], context: Optional[Dict[str, Any]] = None) -> int:
    """How many questions a patient with these answers is asked (consent included);
    used by tests and docs to check the short path of spec §1."""
    state = new_state(context)
    asked = 0
    while True:
        qid = next_question_id(state)
        if qid is None:
            return asked + 1  # the consent question
        if qid not in answers:
            raise KeyError(f"no answer given for {qid}")
        state["answers"][qid] = answers[qid]
        asked += 1
