"""Everything that is not an answer: questions (FAQ), out of scope, asking for a human,
small talk, crisis language and not being understood. After a digression the pending
question is asked again, so the patient never loses their place.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from bot import content, dialogue, questionnaire as qn
from bot.answers import parse_answer
from bot.dialogue import Handoff, Result, Turn
from bot.messages import Message


def _ensure(state: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    return state if state else qn.new_state()


def _try_as_answer(state: Optional[Dict[str, Any]], turn: Turn, handoff: Handoff) -> Optional[Result]:
    """A message the classifier took for a digression may still be a plain answer to
    the pending question ("mijn inkomen" to "Maakt u zich zorgen over iets?")."""
    if not state or state["phase"] != qn.PHASE_ASKING or not state.get("current"):
        return None
    if dialogue.looks_like_question(turn.text) or turn.text.startswith("/"):
        return None
    if parse_answer(content.question(state["current"]), turn.text, None, turn.today).status != "ok":
        return None
    return dialogue.answer(state, turn, handoff)


def _after(state: Dict[str, Any], msgs: List[Message]) -> Result:
    """Append the way back into the intake, depending on where the patient is."""
    if state["phase"] == qn.PHASE_IDLE:
        return Result(msgs + dialogue.not_started(state).messages, state)
    return Result(msgs + dialogue.resume_messages(state), state)


def faq(state: Optional[Dict[str, Any]], turn: Turn, topic_id: str, handoff: Handoff) -> Result:
    from bot import faq as faq_content

    if state and state["phase"] == qn.PHASE_ASKING and state.get("current") == "support_wish_question":
        # The patient's own question is both the answer and something to answer now.
        qn.record_answer(state, "support_wish_question", turn.text.strip()[:500])
        _note_topic(state, topic_id)
        msgs = faq_content.answer_messages(topic_id, **_employment(state))
        return Result(msgs + dialogue.advance(state), state)
    as_answer = _try_as_answer(state, turn, handoff)
    if as_answer is not None:
        return as_answer
    state = _ensure(state)
    _note_topic(state, topic_id)
    return _after(state, faq_content.answer_messages(topic_id, **_employment(state)))


def _note_topic(state: Dict[str, Any], topic_id: str) -> None:
    if topic_id not in state["faq_topics"]:
        state["faq_topics"].append(topic_id)


def _employment(state: Dict[str, Any]) -> Dict[str, Optional[str]]:
    answers = state["answers"]
    return {"work_status": answers.get("work_status"), "employment_type": answers.get("employment_type")}


def out_of_scope(state: Optional[Dict[str, Any]], turn: Turn, handoff: Handoff) -> Result:
    from bot import scope

    as_answer = _try_as_answer(state, turn, handoff)
    if as_answer is not None:
        return as_answer
    state = _ensure(state)
    return _after(state, scope.out_of_scope_messages(turn.text))


def human_contact(state: Optional[Dict[str, Any]], turn: Turn) -> Result:
    from bot import scope

    state = _ensure(state)
    state["human_contact_requested"] = True
    _note_topic(state, "human_contact")
    channel = state["context"].get("channel") or (turn.metadata or {}).get("channel")
    return _after(state, scope.human_contact_messages(channel))


def small_talk(state: Optional[Dict[str, Any]], turn: Turn, handoff: Handoff) -> Result:
    as_answer = _try_as_answer(state, turn, handoff)
    if as_answer is not None:
        return as_answer
    state = _ensure(state)
    kind = turn.intent if turn.intent in ("greet", "thank", "goodbye") else "greet"
    msgs = [Message(text=content.message(kind))]
    if kind == "goodbye" or state["phase"] == qn.PHASE_DONE:
        return Result(msgs, state)
    return _after(state, msgs)


def crisis(state: Optional[Dict[str, Any]], turn: Turn) -> Result:
    """The fixed safety answer; the intake state is left as it is (no re-ask)."""
    from bot import safety

    match = safety.detect_crisis(turn.text)
    return Result(safety.crisis_messages(match.category if match else None), _ensure(state))


def not_understood(state: Optional[Dict[str, Any]], turn: Turn) -> Result:
    """Low confidence outside the questions: ask to rephrase, then offer buttons."""
    from bot import scope

    state = _ensure(state)
    state["fallbacks"] = state.get("fallbacks", 0) + 1
    return Result(scope.rephrase_messages(state["fallbacks"]), state)


def answer_or_fallback(state: Optional[Dict[str, Any]], turn: Turn, handoff: Handoff) -> Result:
    """The answer action: outside the questions a low-confidence message is 'not
    understood'; inside, every message is first tried as an answer."""
    outside = not state or state["phase"] in (qn.PHASE_IDLE, qn.PHASE_DONE)
    if turn.intent == "nlu_fallback" and outside:
        return not_understood(state, turn)
    return dialogue.answer(state, turn, handoff)
