"""Replies to everything that is not an answer: questions (FAQ), out of scope, asking for
a human, small talk and not being understood. After a digression the pending question is
asked again, so the patient never loses their place. Which of these a message is, is
decided in bot/dialogue/interpret/interpreter.py; bot/dialogue/conversation.py calls these.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from bot import content
from bot.content import question_keys as keys
from bot.dialogue.messages import Message
from bot.intake import operations as dialogue
from bot.intake import questionnaire as qn
from bot.intake.operations import Handoff, Result, Turn


def _ensure(state: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    return state if state else qn.new_state()


def after(state: Dict[str, Any], msgs: List[Message]) -> Result:
    """Append the way back into the intake, depending on where the patient is."""
    if state["phase"] == qn.PHASE_IDLE:
        return Result(msgs + dialogue.not_started(state).messages, state)
    return Result(msgs + dialogue.resume_messages(state), state)


def faq_answer(state: Optional[Dict[str, Any]], topic_id: Optional[str]) -> List[Message]:
    """The FAQ answer for the patient's employment group; the topic is noted in the state."""
    from bot.knowledge import faq as faq_content

    if not topic_id:
        return []
    answers: Dict[str, Any] = {}
    if state is not None:
        if topic_id not in state["faq_topics"]:
            state["faq_topics"].append(topic_id)
        answers = state["answers"]
    return faq_content.answer_messages(topic_id, **keys.faq_group_answers(answers))


def out_of_scope(state: Optional[Dict[str, Any]], turn: Turn, text: Optional[str] = None) -> Result:
    from bot.knowledge import scope

    return after(_ensure(state), scope.out_of_scope_messages(text or turn.text))


def human_contact(state: Optional[Dict[str, Any]], turn: Turn) -> Result:
    from bot.knowledge import scope

    state = _ensure(state)
    state["human_contact_requested"] = True
    if "human_contact" not in state["faq_topics"]:
        state["faq_topics"].append("human_contact")
    channel = state["context"].get("channel") or (turn.metadata or {}).get("channel")
    return after(state, scope.human_contact_messages(channel))


def small_talk(state: Optional[Dict[str, Any]], turn: Turn, kind: Optional[str] = None) -> Result:
    state = _ensure(state)
    kind = kind if kind in ("greet", "thank", "goodbye") else "greet"
    msgs = [Message(text=content.message(kind))]
    if kind == "goodbye" or state["phase"] == qn.PHASE_DONE:
        return Result(msgs, state)
    return after(state, msgs)


def not_understood(state: Optional[Dict[str, Any]], turn: Turn) -> Result:
    """Low confidence outside the questions: ask to rephrase, then offer buttons."""
    from bot.knowledge import scope

    state = _ensure(state)
    state["fallbacks"] = state.get("fallbacks", 0) + 1
    return Result(scope.rephrase_messages(state["fallbacks"]), state)


# --- compatibility entries (tests, older callers): all go through the one interpreter --


def answer_or_fallback(state: Optional[Dict[str, Any]], turn: Turn, handoff: Handoff) -> Result:
    from bot.dialogue.conversation import respond

    return respond(state, turn, handoff)


def faq(state: Optional[Dict[str, Any]], turn: Turn, topic_id: str, handoff: Handoff) -> Result:
    from dataclasses import replace

    from bot.dialogue.conversation import respond
    from bot.knowledge.faq import faq_intent

    return respond(state, replace(turn, intent=faq_intent(topic_id), confidence=1.0), handoff)
