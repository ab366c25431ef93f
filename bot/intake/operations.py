"""The operations of the intake: start, accept an answer, skip, go back, read back,
consent. What a message means is decided elsewhere (bot/dialogue/interpret/); bot/dialogue/conversation.py
calls these operations. Each returns a `Result` (messages and the new state).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Dict, List, Optional, Protocol

from bot import content
from bot.dialogue.interpret.meaning import Turn
from bot.dialogue.messages import Button, Message
from bot.intake import prompts
from bot.intake import questionnaire as qn
from bot.language.answers import parse_answer
from bot.language.extract.normalize import normalize

__all__ = ["Turn", "Result", "StoreOutcome", "Handoff"]


@dataclass
class Result:
    messages: List[Message]
    state: Dict[str, Any]
    crisis_reply: bool = False  # the messages carry the fixed crisis answer (slot crisis_reply)


@dataclass
class StoreOutcome:
    summary_id: str
    patient_key: Optional[str]
    stored: bool


class Handoff(Protocol):
    """Side effects at the end of the intake (see bot/intake/handoff.py)."""

    retention_days: int

    def store(self, state: Dict[str, Any], conversation_id: str) -> StoreOutcome: ...

    def forget(self, conversation_id: str) -> None: ...


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
    return Result(
        [
            Message(
                text=content.message("not_started"),
                buttons=[Button(content.message("button_start"), "/start")],
            )
        ],
        state or qn.new_state(),
    )


# --- answers ----------------------------------------------------------------------


def with_text(turn: Turn, text: str) -> Turn:
    return replace(turn, text=text)


def accept(state: Dict[str, Any], qid: str, value: Any, extra_text: Optional[str]) -> List[Message]:
    """Record an answer (and the text of its follow-up, given at once); the messages that
    acknowledge it. The caller asks the next question (`advance`)."""
    q = content.question(qid)
    qn.record_answer(state, qid, value, extra_text)
    msgs: List[Message] = []
    if q.get("after_answer"):
        msgs.append(Message(text=q["after_answer"]))
    follow_up = content.follow_up_of(qid)
    if follow_up and value is True and extra_text and _says_something(extra_text):
        qn.record_answer(state, follow_up, extra_text[:500])
        early = state.setdefault("answered_early", [])  # answered without being asked
        if follow_up not in early:
            early.append(follow_up)
    return msgs


_ANNOUNCEMENT = re.compile(
    r"^(?:ik )?(?:heb |hebben )?(?:wel |nog |ook )?(?:een |wat |enkele |een paar )?(?:vraag|vragen)"
    r"(?: (?:hoor|eigenlijk|ja))?$"
)
_EMPTY_WORDS = {
    "graag",
    "zelfs",
    "hoor",
    "heel",
    "erg",
    "zeker",
    "wel",
    "ja",
    "dank",
    "u",
    "je",
    "bedankt",
    "alstublieft",
}


def _says_something(text: str) -> bool:
    """The words after a yes say what the patient wants ("ja, ik wil weten of ik mag
    thuiswerken"), not just that they have a question ("ja, graag zelfs", "ja, ik heb
    wel een vraag"): then the follow-up question is still asked."""
    words = normalize(text).split()
    if _ANNOUNCEMENT.match(" ".join(words)):
        return False
    return len([w for w in words if w not in _EMPTY_WORDS]) >= 2


def skip(state: Dict[str, Any]) -> Result:
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


def go_back(state: Dict[str, Any]) -> Result:
    previous = qn.go_back(state)
    if previous is None:
        return Result([Message(text=content.message("back_first"))] + resume_messages(state), state)
    return Result(
        [Message(text=content.message("went_back"))] + prompts.question_messages(state, previous), state
    )


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


def readback_turn(state: Dict[str, Any], turn: Turn, retention_days: int) -> Result:
    answered = qn.answered_ids(state)
    code = turn.code
    if code in answered or (state.get("choosing_change") and _match_readback_label(turn.text, answered)):
        qid = code if code in answered else _match_readback_label(turn.text, answered)
        assert qid is not None  # found by the condition above
        state.pop("choosing_change", None)
        qn.reopen(state, qid)
        return Result(prompts.question_messages(state, qid), state)
    yes_no = parse_answer(content.question(qn.CONSENT_ID), turn.text, None) if code is None else None
    wants_change = (
        code == "change"
        or (yes_no is not None and yes_no.value is False)
        or re.search(
            r"\b(wijzig|wijzigen|aanpassen|verander|veranderen|klopt niet|fout)\b", turn.text.lower()
        )
    )
    if wants_change:
        state["choosing_change"] = True
        return Result(prompts.readback_choice_messages(state), state)
    confirmed = code == "confirm" or (yes_no is not None and yes_no.value is True)
    if confirmed:
        state["phase"] = qn.PHASE_CONSENT
        state.pop("choosing_change", None)
        qn.mark_asked(state, qn.CONSENT_ID)
        return Result(prompts.consent_messages(state, retention_days), state)
    return Result(
        [Message(text=content.message("readback_not_understood"))] + prompts.readback_messages(state)[1:],
        state,
    )


def _match_readback_label(text: str, answered: List[str]) -> Optional[str]:
    low = text.lower().strip()
    for qid in answered:
        label = content.question(qid)["readback"].lower()
        if low and (low in label or label in low):
            return qid
    return None


def consent_turn(state: Dict[str, Any], parsed: Any, turn: Turn, handoff: Handoff) -> Result:
    """The consent question's answer (a bot.language.answers.ParseResult)."""
    q = content.question(qn.CONSENT_ID)
    if parsed.status == "ok" and parsed.value is True:
        return _finish(state, turn, handoff)
    if (parsed.status == "ok" and parsed.value is False) or parsed.status == "skip":
        return _decline(state, turn, handoff)
    qn.add_miss(state, qn.CONSENT_ID)
    return Result(
        prompts.retry_messages(state, qn.CONSENT_ID, parsed.hint or q["hint"], offer_skip=False), state
    )


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
    return Result(
        [
            Message(text=content.message("declined")),
            Message(custom={"consent": False}),
            Message(text=content.message("finished")),
        ],
        state,
    )
