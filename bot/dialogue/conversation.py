"""One message in, one reply out: interpret the message (bot/dialogue/interpret/), then act.

`respond(state, turn, handoff)` is the only entry the Rasa actions call. The meaning of
a message is decided in bot/dialogue/interpret/interpreter.py alone; this module only carries
out what that step decided, with the operations of bot/intake/operations.py.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from bot import content
from bot.dialogue import digressions
from bot.dialogue.interpret import meaning as m
from bot.dialogue.interpret.interpreter import interpret
from bot.dialogue.interpret.languages_reply import other_language_messages
from bot.dialogue.interpret.meaning import Interpretation, Turn
from bot.dialogue.messages import Button, Message, inform_payload
from bot.intake import operations as dialogue
from bot.intake import prompts
from bot.intake import questionnaire as qn
from bot.intake.operations import Handoff, Result
from bot.knowledge import safety
from bot.report.answer_text import describe_answer


def respond(state: Optional[Dict[str, Any]], turn: Turn, handoff: Handoff) -> Result:
    meaning = interpret(state, turn)
    kind = meaning.kind
    if (
        state
        and state.get("confirm_restart")
        and kind not in (m.RESTART_CONFIRMED, m.RESTART_CANCELLED, "crisis", "safety_check", "other_language")
    ):
        state.pop("confirm_restart", None)  # anything else means: do not restart
    if state and state.get("safety_check") and kind != "safety_check":
        state.pop("safety_check", None)  # the check was answered (or passed by)
    return _HANDLERS[kind](state, turn, meaning, handoff)


# --- safety and language ---------------------------------------------------------------


def _crisis(state, turn, meaning: Interpretation, handoff) -> Result:
    """The fixed safety answer. The state is left exactly as it was: the pending
    question stays pending and nothing of this message is stored."""
    category = meaning.crisis.category if meaning.crisis and meaning.crisis.category != "unknown" else None
    msgs = safety.crisis_messages(category)
    if state and state["phase"] in (qn.PHASE_ASKING, qn.PHASE_READBACK, qn.PHASE_CONSENT):
        msgs.append(Message(text=content.message("crisis_resume")))
    return Result(msgs, state if state else qn.new_state(), crisis_reply=True)


def _safety_check(state, turn, meaning: Interpretation, handoff) -> Result:
    """Not sure: ask, with 113 and 112 in the same message. Nothing of the message is
    stored; the pending question stays pending."""
    state = state if state else qn.new_state()
    state["safety_check"] = True
    return Result(safety.check_messages(), state)


def _safety_cleared(state, turn, meaning: Interpretation, handoff) -> Result:
    msgs = [Message(text=content.message("safety_check_cleared"))]
    if state["phase"] == qn.PHASE_IDLE:
        return Result(msgs + dialogue.not_started(state).messages, state)
    return Result(msgs + dialogue.resume_messages(state), state)


def _other_language(state, turn, meaning: Interpretation, handoff) -> Result:
    return Result(other_language_messages(meaning.language or "en"), state if state else qn.new_state())


# --- navigation --------------------------------------------------------------------


def _start(state, turn, meaning, handoff) -> Result:
    return dialogue.start(state, turn)


def _restart(state, turn, meaning, handoff) -> Result:
    if not state or state["phase"] == qn.PHASE_IDLE:
        return dialogue.start(state, turn)
    state["confirm_restart"] = True
    buttons = [
        Button(content.message("restart_yes"), inform_payload("restart_yes")),
        Button(content.message("restart_no"), inform_payload("restart_no")),
    ]
    return Result([Message(text=content.message("restart_confirm"), buttons=buttons)], state)


def _restart_confirmed(state, turn, meaning, handoff) -> Result:
    state.pop("confirm_restart", None)
    return dialogue.restart(state, turn)


def _restart_cancelled(state, turn, meaning, handoff) -> Result:
    state.pop("confirm_restart", None)
    return Result(
        [Message(text=content.message("restart_cancelled"))] + dialogue.resume_messages(state), state
    )


def _back(state, turn, meaning, handoff) -> Result:
    if state["phase"] == qn.PHASE_DONE:
        return Result([Message(text=content.message("after_finish"))], state)
    return dialogue.go_back(state)


def _skip(state, turn, meaning, handoff) -> Result:
    return dialogue.skip(state)


def _correction(state, turn, meaning: Interpretation, handoff) -> Result:
    if state["phase"] == qn.PHASE_DONE:
        return Result([Message(text=content.message("after_finish"))], state)
    fix = meaning.correction
    if fix is None:
        return Result(
            [Message(text=content.message("correction_not_understood"))] + dialogue.resume_messages(state),
            state,
        )
    had = fix.question_id in state["answers"]
    state["last_correction"] = {
        "question_id": fix.question_id,
        "had": had,
        "previous": state["answers"].get(fix.question_id),
        "previous_text": state["answers"].get(f"{fix.question_id}_text"),
    }
    qn.record_answer(state, fix.question_id, fix.value, fix.extra_text)
    q = content.question(fix.question_id)
    msgs = [
        Message(
            text=content.message(
                "corrected", label=q["readback"], answer=describe_answer(fix.question_id, fix.value)
            )
        ),
        Message(text=content.message("corrected_undo_hint")),
    ]
    qn.prune_inapplicable(state)
    return Result(msgs + dialogue.resume_messages(state), state)


def _undo(state, turn, meaning, handoff) -> Result:
    last = state.pop("last_correction", None)
    if not last or state["phase"] == qn.PHASE_DONE:
        return Result(
            [Message(text=content.message("nothing_to_undo"))] + dialogue.resume_messages(state), state
        )
    qid = last["question_id"]
    if last["had"]:
        qn.record_answer(state, qid, last["previous"], last.get("previous_text"))
        answer = describe_answer(qid, last["previous"])
    else:
        state["answers"].pop(qid, None)
        answer = "-"
    msg = Message(text=content.message("undone", label=content.question(qid)["readback"], answer=answer))
    return Result([msg] + dialogue.resume_messages(state), state)


# --- answers ---------------------------------------------------------------------------


def _answer(state, turn, meaning: Interpretation, handoff) -> Result:
    parsed = meaning.answer
    assert parsed is not None  # the kind "answer" comes with one
    faq_msgs = _faq_messages(state, meaning) if meaning.topic else _side_digression(state, turn, meaning)
    phase = state["phase"]
    if phase == qn.PHASE_READBACK:
        result = dialogue.readback_turn(
            state, dialogue.with_text(turn, str(parsed.value)), handoff.retention_days
        )
        return Result(faq_msgs + result.messages, result.state)
    if phase == qn.PHASE_CONSENT:
        result = dialogue.consent_turn(state, parsed, turn, handoff)
        return Result(faq_msgs + result.messages, result.state)
    qid = state["current"]
    if parsed.status == "ok":
        msgs = dialogue.accept(state, qid, parsed.value, parsed.extra_text)
        msgs += _early_facts(state, meaning.extra_facts)
        return Result(msgs + faq_msgs + dialogue.advance(state), state)
    if parsed.status == "confirm":
        state["pending"] = {"question_id": qid, "value": parsed.value, "confirm_text": parsed.confirm_text}
        return Result(faq_msgs + prompts.confirm_messages(qid, parsed.confirm_text, parsed.value), state)
    if parsed.status == "rejected":
        state["pending"] = None
        return Result(
            [Message(text=content.message("confirm_again"))] + prompts.question_messages(state, qid), state
        )
    return Result(faq_msgs + dialogue.skip(state).messages, state)


def _side_digression(state, turn, meaning: Interpretation) -> List[Message]:
    """A request for a person or an out-of-scope question beside an answer."""
    from bot.knowledge import scope

    if meaning.digression == "human_contact":
        state["human_contact_requested"] = True
        if "human_contact" not in state["faq_topics"]:
            state["faq_topics"].append("human_contact")
        return scope.human_contact_messages(state["context"].get("channel"))
    if meaning.digression == "out_of_scope" and meaning.question_text:
        return scope.out_of_scope_messages(meaning.question_text)
    return []


def _early_facts(state: Dict[str, Any], found: Dict[str, Any]) -> List[Message]:
    """Record later answers given in passing; say which, once."""
    taken = []
    for qid, value in found.items():
        if qid in state["answers"] or qid in state["skipped"]:
            continue
        qn.record_answer(state, qid, value)
        early = state.setdefault("answered_early", [])
        if qid not in early:
            early.append(qid)
        taken.append(f"{content.question(qid)['readback'].lower()}: {describe_answer(qid, value)}")
    if not taken:
        return []
    return [Message(text=content.message("answered_early", facts="; ".join(taken)))]


# --- questions and digressions -----------------------------------------------------------


def _faq_messages(state: Optional[Dict[str, Any]], meaning: Interpretation) -> List[Message]:
    return digressions.faq_answer(state, meaning.topic)


def _faq(state, turn, meaning: Interpretation, handoff) -> Result:
    state = state if state else qn.new_state()
    return digressions.after(state, _faq_messages(state, meaning))


def _digression(state, turn, meaning: Interpretation, handoff) -> Result:
    kind = meaning.kind
    if kind == "human_contact":
        return digressions.human_contact(state, turn)
    if kind == "out_of_scope":
        return digressions.out_of_scope(state, turn, meaning.question_text or turn.text)
    return digressions.small_talk(state, turn, kind)


def _not_understood(state, turn, meaning: Interpretation, handoff) -> Result:
    if meaning.question_text and state and state["phase"] != qn.PHASE_IDLE:
        return digressions.after(state, [Message(text=content.message("question_not_placed"))])
    if not state or state["phase"] in (qn.PHASE_IDLE, qn.PHASE_DONE):
        if state and state["phase"] == qn.PHASE_DONE and turn.intent not in (None, "nlu_fallback"):
            return Result([Message(text=content.message("after_finish"))], state)
        return digressions.not_understood(state, turn)
    if state["phase"] == qn.PHASE_READBACK:
        return dialogue.readback_turn(state, turn, handoff.retention_days)
    qid = state["current"] if state["phase"] == qn.PHASE_ASKING else qn.CONSENT_ID
    q = content.question(qid)
    misses = qn.add_miss(state, qid)
    hint = (meaning.answer.hint if meaning.answer is not None else None) or q["hint"]
    offer_skip = misses >= 2 and qid != qn.CONSENT_ID
    return Result(prompts.retry_messages(state, qid, hint, offer_skip=offer_skip), state)


Handler = Callable[[Optional[Dict[str, Any]], Turn, Interpretation, Handoff], Result]
_HANDLERS: Dict[str, Handler] = {
    "crisis": _crisis,
    "safety_check": _safety_check,
    m.SAFETY_CLEARED: _safety_cleared,
    "other_language": _other_language,
    m.START: _start,
    m.RESTART: _restart,
    m.RESTART_CONFIRMED: _restart_confirmed,
    m.RESTART_CANCELLED: _restart_cancelled,
    m.BACK: _back,
    m.SKIP: _skip,
    m.CORRECTION: _correction,
    m.UNDO: _undo,
    "answer": _answer,
    "faq": _faq,
    "out_of_scope": _digression,
    "human_contact": _digression,
    "greet": _digression,
    "thank": _digression,
    "goodbye": _digression,
    "not_understood": _not_understood,
}
