"""The project's marker conditions (bot/analytics/conditions.py) on event streams, with
the replies the assistant really gives (bot.dialogue.conversation.respond)."""
from rasa.core.evaluation.marker_base import Marker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

import bot.analytics.conditions  # noqa: F401  (registers the conditions)
from bot.dialogue.conversation import respond
from bot.dialogue.interpret.meaning import Turn
from tests.support.phases import RecordingHandoff


def history(config, events):
    marker = Marker.from_config(config)
    marker.evaluate_events(events)  # resets and tracks one session
    return marker.history


def test_slot_is_is_a_state_until_the_slot_changes():
    events = [SlotSet("intake_phase", "asking"), ActionExecuted("action_listen"),
              SlotSet("intake_phase", "readback"), ActionExecuted("action_listen"),
              SlotSet("current_question", "x"), SlotSet("intake_phase", "asking")]
    assert history({"slot_is": "intake_phase=readback"}, events) == [False, False, True, True, True, False]
    assert history({"not": [{"slot_is": "intake_phase=readback"}]}, events) == [True, True, False, False, False, True]


def test_negated_tags_are_not_safe_in_rasa_3_6():
    """Why markers/ writes `not: [...]`: a negated tag from a config loses its negation."""
    events = [SlotSet("x", 1)]
    assert history({"slot_was_not_set": "x"}, events) == [True]      # read as slot_was_set
    assert history({"not": [{"slot_was_set": "x"}]}, events) == [False]


def test_slot_is_matches_booleans_and_slot_contains_lists():
    events = [SlotSet("consent_share", False), SlotSet("consent_share", True)]
    assert history({"slot_is": "consent_share=false"}, events) == [True, False]
    assert history({"slot_is": "consent_share=true"}, events) == [False, True]
    events = [SlotSet("skipped_questions", ["absence"]), SlotSet("skipped_questions", ["absence", "barriers"]),
              SlotSet("skipped_questions", None)]
    assert history({"slot_contains": "skipped_questions=barriers"}, events) == [False, True, False]
    assert history({"slot_contains": "skipped_questions=absence"}, events) == [True, True, False]


def test_conditions_are_checked_against_the_domain():
    domain = Domain.from_dict({"slots": {"intake_phase": {"type": "any", "mappings": [{"type": "custom"}]}}})
    assert Marker.from_config({"slot_is": "intake_phase=done"}).validate_against_domain(domain)
    assert not Marker.from_config({"slot_is": "phase=done"}).validate_against_domain(domain)
    assert not Marker.from_config({"slot_is": "intake_phase"}).validate_against_domain(domain)
    assert not Marker.from_config({"bot_reply": "weather"}).validate_against_domain(domain)


def _bot_events(messages):
    return [BotUttered(m.text) for m in messages if m.text]


def _reply(state, text, intent="inform", code=None):
    return respond(state, Turn(text=text, intent=intent, code=code, conversation_id="c1"), RecordingHandoff())


def test_bot_reply_recognises_the_crisis_answer_the_assistant_gives():
    start = _reply(None, "/start", intent="start")
    crisis = _reply(start.state, "ik wil er een eind aan maken", intent="crisis")
    events = [UserUttered("...")] + _bot_events(crisis.messages)
    assert any(history({"bot_reply": "crisis"}, events))
    answer = _reply(start.state, "ik werk")
    assert not any(history({"bot_reply": "crisis"}, _bot_events(answer.messages)))


def test_bot_reply_crisis_after_a_confirmed_safety_check():
    """The crisis answer to a "yes" after the safety check comes from action_intake_answer
    (intent inform): an intent or action marker would miss it, bot_reply does not."""
    start = _reply(None, "/start", intent="start")
    check = respond(start.state, Turn(text="het wordt me allemaal te veel", intent="crisis", confidence=0.95),
                    RecordingHandoff())
    assert check.state.get("safety_check")
    assert not any(history({"bot_reply": "crisis"}, _bot_events(check.messages)))  # only the question
    confirmed = _reply(check.state, '/inform{"code": "crisis_yes"}', code="crisis_yes")
    assert any(history({"bot_reply": "crisis"}, _bot_events(confirmed.messages)))


def test_bot_reply_recognises_a_request_for_a_person_beside_an_answer():
    start = _reply(None, "/start", intent="start")
    asked = _reply(start.state, "ik wil een mens spreken", intent="human_contact")
    assert any(history({"bot_reply": "human_contact"}, _bot_events(asked.messages)))
