"""One conversation turn: what the assistant says and how the intake state changes.

Each public function takes the intake state (or None) and a `Turn` and returns a
`Result`. Rasa actions call these; tests call them directly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Optional, Protocol

from bot import content, prompts, questionnaire as qn
from bot.answer_text import describe_answer
from bot.answers import parse_answer
from bot.extract.control import detect_control
from bot.messages import Button, Message

QUESTION_START = re.compile(
    r"^(wat|hoe|moet|mag|kan|kun|wie|waar|wanneer|waarom|welke|is|zijn|heb|ben|krijg|"
    r"word|wordt|vertelt|weet|klopt|betaalt|geldt|hoort)\b", re.IGNORECASE)


@dataclass
class Turn:
    text: str = ""
    intent: Optional[str] = None
    confidence: float = 1.0
    code: Optional[str] = None
    metadata: Dict[str, Any] = field(default_factory=dict)
    conversation_id: str = ""
    today: Optional[date] = None


@dataclass
class Result:
    messages: List[Message]
    state: Dict[str, Any]


@dataclass
class StoreOutcome:
    summary_id: str
    patient_key: Optional[str]
    stored: bool


class Handoff(Protocol):
    """Side effects at the end of the intake (see bot/handoff.py)."""

    retention_days: int

    def store(self, state: Dict[str, Any], conversation_id: str) -> StoreOutcome: ...

    def forget(self, conversation_id: str) -> None: ...


def looks_like_question(text: str) -> bool:
    text = text.strip()
    return text.endswith("?") or bool(QUESTION_START.match(text))


# --- start, restart -------------------------------------------------------------

def start(state: Optional[Dict[str, Any]], turn: Turn) -> Result:
    state = qn.new_state(turn.metadata)
    msgs = [Message(text=content.message(k)) for k in ("intro_1", "intro_2", "intro_3")]
    if not qn.has_care_team(state):
        msgs.append(Message(text=content.message("intro_no_care_team")))
    state["phase"] = qn.PHASE_ASKING
    return Result(msgs + _ask_next(state), state)


def restart(state: Optional[Dict[str, Any]], turn: Turn) -> Result:
    metadata = dict(state["context"]) if state else {}
    metadata.update(turn.metadata or {})
    result = start(None, Turn(metadata=metadata, conversation_id=turn.conversation_id))
    return Result([Message(text=content.message("restarted"))] + result.messages[1:], result.state)


def not_started(state: Optional[Dict[str, Any]]) -> Result:
    return Result([Message(text=content.message("not_started"),
                           buttons=[Button(content.message("button_start"), "/start")])],
                  state or qn.new_state())


# --- answers ----------------------------------------------------------------------

def answer(state: Optional[Dict[str, Any]], turn: Turn, handoff: Handoff) -> Result:
    if not state or state["phase"] == qn.PHASE_IDLE:
        if turn.intent == "affirm":
            return start(state, turn)
        return not_started(state)
    if state["phase"] == qn.PHASE_DONE:
        return Result([Message(text=content.message("after_finish"))], state)

    kind, rest = _control(turn)
    if kind == "restart":
        return restart(state, turn)
    if kind == "back":
        return _go_back(state)
    if kind == "correction" and rest:
        corrected = _correct(state, rest, turn)
        if corrected is not None:
            return corrected
    if kind == "skip" and state["phase"] == qn.PHASE_ASKING:
        return _skip(state)

    if state["phase"] == qn.PHASE_READBACK:
        return _readback_turn(state, turn, handoff.retention_days)
    if state["phase"] == qn.PHASE_CONSENT:
        return _consent_turn(state, turn, handoff)
    return _answer_current(state, turn)


def _control(turn: Turn):
    """(kind, rest) of a control message. A typed skip phrase is left to the question
    ("weet ik niet" can be an answer option); only the skip button skips at once."""
    if turn.code:
        return None, ""
    if turn.intent == "go_back":
        return "back", ""
    if turn.text.startswith("/"):
        return ("skip", "") if turn.intent == "skip" else (None, "")
    kind, rest = detect_control(turn.text)
    if kind == "skip":
        return None, ""
    if turn.intent == "correct" and kind is None:
        return "correction", turn.text
    return kind, rest


def _answer_current(state: Dict[str, Any], turn: Turn) -> Result:
    qid = state["current"]
    q = content.question(qid)
    pending = state.get("pending")
    if pending and pending.get("question_id") == qid:
        confirm = parse_answer(content.question("consent_share"), turn.text, turn.code, turn.today)
        if confirm.status == "ok" and confirm.value is True:
            return _accept(state, qid, pending["value"], None)
        if confirm.status == "ok" and confirm.value is False:
            state["pending"] = None
            return Result([Message(text=content.message("confirm_again"))]
                          + prompts.question_messages(state, qid), state)
    result = parse_answer(q, turn.text, turn.code, turn.today)
    if result.status == "ok":
        return _accept(state, qid, result.value, result.extra_text)
    if result.status == "confirm":
        state["pending"] = {"question_id": qid, "value": result.value, "confirm_text": result.confirm_text}
        return Result(prompts.confirm_messages(qid, result.confirm_text, result.value), state)
    if result.status == "skip":
        return _skip(state)
    misses = qn.add_miss(state, qid)
    hint = result.hint or q["hint"]
    return Result(prompts.retry_messages(state, qid, hint, offer_skip=misses >= 2), state)


def _accept(state: Dict[str, Any], qid: str, value: Any, extra_text: Optional[str]) -> Result:
    q = content.question(qid)
    qn.record_answer(state, qid, value, extra_text)
    msgs: List[Message] = []
    if q.get("after_answer"):
        msgs.append(Message(text=q["after_answer"]))
    follow_up = _follow_up_of(qid)
    if follow_up and value is True and extra_text:
        qn.record_answer(state, follow_up, extra_text[:500])
    return Result(msgs + advance(state), state)


def _follow_up_of(question_id: str) -> Optional[str]:
    for q in content.questions():
        if q.get("follow_up_of") == question_id:
            return q["id"]
    return None


def _skip(state: Dict[str, Any]) -> Result:
    qn.record_skip(state, state["current"])
    return Result([Message(text=content.message("skipped"))] + advance(state), state)


def _ask_next(state: Dict[str, Any]) -> List[Message]:
    qid = qn.next_question_id(state)
    if qid is None:
        state["phase"] = qn.PHASE_READBACK
        state["current"] = None
        state.pop("choosing_change", None)
        return prompts.readback_messages(state)
    state["phase"] = qn.PHASE_ASKING
    qn.mark_asked(state, qid)
    return prompts.question_messages(state, qid)


def advance(state: Dict[str, Any]) -> List[Message]:
    """Drop answers of branches left, then ask the next question (or the read-back)."""
    qn.prune_inapplicable(state)
    return _ask_next(state)


def _go_back(state: Dict[str, Any]) -> Result:
    previous = qn.go_back(state)
    if previous is None:
        return Result([Message(text=content.message("back_first"))] + resume_messages(state), state)
    return Result([Message(text=content.message("went_back"))]
                  + prompts.question_messages(state, previous), state)


def _correct(state: Dict[str, Any], rest: str, turn: Turn) -> Optional[Result]:
    """"nee, ik bedoel 24 uur": change the most recent earlier answer that `rest` fits."""
    candidates = [h for h in reversed(state["history"])
                  if h != state.get("current") and h in state["answers"] and h != qn.CONSENT_ID]
    last_answered = candidates[0] if candidates else None
    for qid in candidates:
        q = content.question(qid)
        if q["answer_type"] == "text" and qid != last_answered:
            continue
        parsed = parse_answer(q, rest, None, turn.today)
        if parsed.status == "ok":
            qn.record_answer(state, qid, parsed.value, parsed.extra_text)
            msg = Message(text=content.message("corrected", label=q["readback"],
                                               answer=describe_answer(qid, parsed.value)))
            qn.prune_inapplicable(state)
            return Result([msg] + resume_messages(state), state)
    if state["phase"] != qn.PHASE_ASKING:
        return Result([Message(text=content.message("correction_not_understood"))]
                      + resume_messages(state), state)
    return None  # let the current question try the text


def resume_messages(state: Dict[str, Any]) -> List[Message]:
    """Ask again whatever the patient was answering (after a digression)."""
    phase = state["phase"]
    if phase == qn.PHASE_ASKING:
        current = state.get("current")
        if current and current not in state["answers"] and qn.is_applicable(state, current):
            pending = state.get("pending")
            if pending and pending.get("question_id") == current:
                return prompts.confirm_messages(current, pending["confirm_text"], pending["value"])
            return prompts.question_messages(state, current)
        return _ask_next(state)
    if phase == qn.PHASE_READBACK:
        return prompts.readback_messages(state)[1:]
    if phase == qn.PHASE_CONSENT:
        return prompts.question_messages(state, qn.CONSENT_ID)
    return []


# --- read-back and consent -----------------------------------------------------------

def _readback_turn(state: Dict[str, Any], turn: Turn, retention_days: int) -> Result:
    answered = qn.answered_ids(state)
    code = turn.code
    if code in answered or (state.get("choosing_change") and _match_readback_label(turn.text, answered)):
        qid = code if code in answered else _match_readback_label(turn.text, answered)
        state.pop("choosing_change", None)
        qn.reopen(state, qid)
        return Result(prompts.question_messages(state, qid), state)
    yes_no = parse_answer(content.question(qn.CONSENT_ID), turn.text, None) if code is None else None
    wants_change = code == "change" or (yes_no is not None and yes_no.value is False) or re.search(
        r"\b(wijzig|wijzigen|aanpassen|verander|veranderen|klopt niet|fout)\b", turn.text.lower())
    if wants_change:
        state["choosing_change"] = True
        return Result(prompts.readback_choice_messages(state), state)
    confirmed = code == "confirm" or (yes_no is not None and yes_no.value is True)
    if confirmed:
        state["phase"] = qn.PHASE_CONSENT
        state.pop("choosing_change", None)
        qn.mark_asked(state, qn.CONSENT_ID)
        return Result(prompts.consent_messages(state, retention_days), state)
    return Result([Message(text=content.message("readback_not_understood"))]
                  + prompts.readback_messages(state)[1:], state)


def _match_readback_label(text: str, answered: List[str]) -> Optional[str]:
    low = text.lower().strip()
    for qid in answered:
        label = content.question(qid)["readback"].lower()
        if low and (low in label or label in low):
            return qid
    return None


def _consent_turn(state: Dict[str, Any], turn: Turn, handoff: Handoff) -> Result:
    q = content.question(qn.CONSENT_ID)
    parsed = parse_answer(q, turn.text, turn.code, turn.today)
    if parsed.status == "ok" and parsed.value is True:
        return _finish(state, turn, handoff)
    if (parsed.status == "ok" and parsed.value is False) or parsed.status == "skip":
        return _decline(state, turn, handoff)
    qn.add_miss(state, qn.CONSENT_ID)
    return Result(prompts.retry_messages(state, qn.CONSENT_ID, q["hint"], offer_skip=False), state)


def _finish(state: Dict[str, Any], turn: Turn, handoff: Handoff) -> Result:
    qn.record_answer(state, qn.CONSENT_ID, True)
    outcome = handoff.store(state, turn.conversation_id)
    state["summary_id"] = outcome.summary_id
    state["phase"] = qn.PHASE_DONE
    state["current"] = None
    custom: Dict[str, Any] = {"summary_id": outcome.summary_id}
    if outcome.patient_key:
        custom["patient_key"] = outcome.patient_key
    if not outcome.stored:
        custom["queued"] = True
        msgs = [Message(text=content.message("store_delayed"))]
    elif qn.has_care_team(state):
        msgs = [Message(text=content.message("stored")), Message(text=content.message("stored_patient_copy"))]
    else:
        msgs = [Message(text=content.message("stored_no_care_team"))]
    msgs += [Message(custom=custom), Message(text=content.message("finished"))]
    return Result(msgs, state)


def _decline(state: Dict[str, Any], turn: Turn, handoff: Handoff) -> Result:
    handoff.forget(turn.conversation_id)
    context = state["context"]
    state.update(qn.new_state(context))
    state["phase"] = qn.PHASE_DONE
    state["declined"] = True
    return Result([Message(text=content.message("declined")),
                   Message(custom={"consent": False}),
                   Message(text=content.message("finished"))], state)
