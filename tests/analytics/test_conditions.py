"""The project's marker conditions (bot/analytics/conditions.py) on event streams, with
the slots the assistant really writes (bot.dialogue.conversation.respond, bot/intake/state.py)."""
import copy

from rasa.core.evaluation.marker_base import Marker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

import bot.analytics.conditions  # noqa: F401  (registers the conditions)
from bot.dialogue.conversation import respond
from bot.dialogue.interpret.meaning import Turn
from bot.intake.state import IntakeState, changed_slots
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


def _reply(state, text, intent="inform", code=None):
    return respond(copy.deepcopy(state), Turn(text=text, intent=intent, code=code, conversation_id="c1"),
                   RecordingHandoff())


def _slot_events(before, result):
    """The SlotSet events the action returns for this result (actions/adapter.emit)."""
    old = IntakeState.from_dict(before.state).to_slots(crisis_reply=before.crisis_reply) if before else {}
    new = IntakeState.from_dict(result.state).to_slots(crisis_reply=result.crisis_reply)
    return [SlotSet(k, v) for k, v in changed_slots(old, new).items()]


CRISIS = {"at_least_once": [{"slot_was_set": "crisis_reply"}]}


def test_crisis_reply_slot_marks_the_crisis_answer_the_assistant_gives():
    start = _reply(None, "/start", intent="start")
    crisis = _reply(start.state, "ik wil er een eind aan maken", intent="crisis")
    assert crisis.crisis_reply and not start.crisis_reply
    assert any(history(CRISIS, [UserUttered("...")] + _slot_events(start, crisis)))
    answer = _reply(start.state, "ik werk")
    assert not answer.crisis_reply
    assert not any(history(CRISIS, _slot_events(start, answer)))
    after = _reply(crisis.state, "ik werk")   # the next reply unsets it
    assert [e.value for e in _slot_events(crisis, after) if e.key == "crisis_reply"] == [None]


def test_crisis_reply_after_a_confirmed_safety_check():
    """The crisis answer to a "yes" after the safety check comes from action_intake_answer
    (intent inform): an intent or action marker would miss it, the slot does not."""
    start = _reply(None, "/start", intent="start")
    check = respond(copy.deepcopy(start.state), Turn(text="het wordt me allemaal te veel", intent="crisis", confidence=0.95),
                    RecordingHandoff())
    assert check.state.get("safety_check")
    assert not any(history(CRISIS, _slot_events(start, check)))  # only the question
    confirmed = _reply(check.state, '/inform{"code": "crisis_yes"}', code="crisis_yes")
    assert any(history(CRISIS, _slot_events(check, confirmed)))


def test_a_request_for_a_person_beside_an_answer_sets_the_slot():
    start = _reply(None, "/start", intent="start")
    asked = _reply(start.state, "ik wil een mens spreken", intent="human_contact")
    assert any(history({"at_least_once": [{"slot_was_set": "human_contact_requested"}]},
                       _slot_events(start, asked)))
