from __future__ import annotations

from actions.intake import ActionIntakeAnswer, ActionRestartIntake, ActionStartIntake
from tests.actions.conftest import slots_of, state_after


def _question_ids(messages):
    return [m["custom"]["question_id"] for m in messages if m.get("custom") and "question_id" in m["custom"]]


def test_start_stores_metadata_and_asks_work_status(load_tracker, run_action, actions_database):
    from bot.storage import invitations

    # a claimed "tablet" counts only for a conversation bound to an enrolled tablet
    tracker = load_tracker("new_conversation")
    _, events = run_action(ActionStartIntake(), tracker)
    assert state_after(tracker, events)["context"]["channel"] == "home"
    tablet = invitations.tablet_for_token(invitations.enrol_tablet("t1", "test", url=actions_database),
                                          url=actions_database)
    invitations.bind_tablet("actions-test-1", tablet, url=actions_database)
    tracker = load_tracker("new_conversation")
    messages, events = run_action(ActionStartIntake(), tracker)
    assert _question_ids(messages) == ["work_status"]
    question = next(m for m in messages if m.get("buttons"))
    assert question["text"] == "Werkt u op dit moment, of wilt u werken?"
    assert {b["payload"] for b in question["buttons"]} >= {'/inform{"code": "working"}'}
    state = state_after(tracker, events)
    assert {e["name"]: e["value"] for e in events}["intake_phase"] == "asking"
    assert state["context"] == {"channel": "tablet", "appointment_code": "CARD-0815", "returning_patient": False}
    assert state["phase"] == "asking" and state["current"] == "work_status"


def test_hours_answer_is_stored_and_next_question_asked(load_tracker, run_action):
    tracker = load_tracker("asking_hours")
    messages, events = run_action(ActionIntakeAnswer(), tracker)
    state = state_after(tracker, events)
    assert state["answers"]["hours_per_week"] == 32
    assert _question_ids(messages) == ["how_is_work"]
    # only what changed is written: the answer and the next question
    assert {e["name"]: e["value"] for e in events} == {"hours_per_week": 32, "current_question": "how_is_work"}


def test_button_payload_code_is_used(load_tracker, run_action):
    tracker = load_tracker("new_conversation")
    _, events = run_action(ActionStartIntake(), tracker)
    state = state_after(tracker, events)
    tracker = load_tracker("asking_hours")
    tracker.slots = slots_of(state)
    tracker.latest_message = {"text": '/inform{"code": "self_employed"}', "intent": {"name": "inform"},
                              "entities": [{"entity": "code", "value": "self_employed"}]}
    messages, events = run_action(ActionIntakeAnswer(), tracker)
    # the question was work_status: a valid code of another question is not accepted
    assert state_after(tracker, events)["answers"] == {}
    assert _question_ids(messages) == ["work_status"]


def test_unusable_answer_gets_dutch_hint_and_same_question(load_tracker, run_action):
    tracker = load_tracker("asking_hours", text="banaan", intent={"name": "inform", "confidence": 0.5})
    messages, events = run_action(ActionIntakeAnswer(), tracker)
    assert _question_ids(messages) == ["hours_per_week"]
    assert "uur" in messages[0]["text"].lower()
    assert state_after(tracker, events)["misses"] == {"hours_per_week": 1}


def test_restart_keeps_context_and_clears_answers(load_tracker, run_action):
    tracker = load_tracker("asking_hours", text="opnieuw beginnen", intent={"name": "start_over"})
    messages, events = run_action(ActionRestartIntake(), tracker)
    state = state_after(tracker, events)
    assert state["answers"] and state["confirm_restart"] is True      # asks before deleting
    tracker = load_tracker("asking_hours", text="/inform", intent={"name": "inform"},
                           entities=[{"entity": "code", "value": "restart_yes"}], state=state)
    messages, events = run_action(ActionRestartIntake(), tracker)
    state = state_after(tracker, events)
    assert state["answers"] == {} and state["context"]["appointment_code"] == "A1"
    assert _question_ids(messages) == ["work_status"]


def test_broken_state_gets_dutch_error_and_keeps_state(load_tracker, run_action):
    tracker = load_tracker("asking_hours")
    tracker.slots = {"intake_phase": "asking"}  # corrupt: no current question
    messages, events = run_action(ActionIntakeAnswer(), tracker)
    assert events == []
    assert "ging iets mis" in messages[0]["text"]
