from __future__ import annotations

from actions.digressions import (
    ActionAnswerFaq,
    ActionCrisis,
    ActionHumanContact,
    ActionOutOfScope,
    ActionSmallTalk,
)
from actions.intake import ActionIntakeAnswer
from tests.actions.conftest import state_after


def _question_ids(messages):
    return [m["custom"]["question_id"] for m in messages if m.get("custom") and "question_id" in m["custom"]]


def _text(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def test_faq_mid_intake_answers_and_resumes_same_question(load_tracker, run_action):
    tracker = load_tracker("asking_hours", text="Moet ik mijn werkgever vertellen wat ik heb?",
                           intent={"name": "faq_tell_employer", "confidence": 0.93})
    messages, events = run_action(ActionAnswerFaq(), tracker)
    assert "bedrijfsarts" in _text(messages).lower()
    assert _question_ids(messages) == ["hours_per_week"]
    state = state_after(tracker, events)
    assert state["faq_topics"] == ["tell_employer"]
    assert "hours_per_week" not in state["answers"]


def test_faq_intent_on_a_plain_answer_is_taken_as_the_answer(load_tracker, run_action):
    tracker = load_tracker("asking_hours", text="32 uur", intent={"name": "faq_income_employee", "confidence": 0.4})
    messages, events = run_action(ActionAnswerFaq(), tracker)
    assert state_after(tracker, events)["answers"]["hours_per_week"] == 32
    assert _question_ids(messages) == ["how_is_work"]


def test_income_answer_is_personalised_for_self_employed(load_tracker, run_action):
    tracker = load_tracker("asking_hours", text="wat gebeurt er met mijn inkomen?",
                           intent={"name": "faq_income_self_employed", "confidence": 0.9})
    tracker.slots["employment_type"] = "self_employed"
    messages, _ = run_action(ActionAnswerFaq(), tracker)
    text = _text(messages).lower()
    assert "aov" in text or "arbeidsongeschiktheidsverzekering" in text


def test_out_of_scope_medical_question_refers_to_care_team(load_tracker, run_action):
    tracker = load_tracker("asking_hours", text="is mijn uitslag van de bloedtest goed?",
                           intent={"name": "out_of_scope", "confidence": 0.88})
    messages, _ = run_action(ActionOutOfScope(), tracker)
    assert "zorgteam" in _text(messages).lower() or "arts" in _text(messages).lower()
    assert _question_ids(messages) == ["hours_per_week"]


def test_human_contact_is_noted_for_the_summary(load_tracker, run_action):
    tracker = load_tracker("asking_hours", text="ik wil een mens spreken", intent={"name": "human_contact"})
    messages, events = run_action(ActionHumanContact(), tracker)
    assert state_after(tracker, events)["human_contact_requested"] is True
    assert _question_ids(messages) == ["hours_per_week"]


def test_crisis_answer_has_113_112_and_huisarts_and_keeps_state(load_tracker, run_action):
    tracker = load_tracker("asking_hours", text="ik wil niet meer leven", intent={"name": "crisis", "confidence": 1.0})
    messages, events = run_action(ActionCrisis(), tracker)
    text = _text(messages)
    assert "113" in text and "0800-0113" in text and "112" in text and "huisarts" in text.lower()
    assert state_after(tracker, events)["current"] == "hours_per_week"
    # the crisis answer changes nothing of the state; only the marker slot crisis_reply is set
    assert events == [{"event": "slot", "timestamp": None, "name": "crisis_reply", "value": True}]
    assert _question_ids(messages) == []


def test_greeting_before_intake_offers_to_start(load_tracker, run_action):
    tracker = load_tracker("new_conversation", text="hallo", intent={"name": "greet"})
    assert tracker.slots == {}
    messages, _ = run_action(ActionSmallTalk(), tracker)
    assert any(b["payload"] == "/start" for m in messages for b in m.get("buttons", []))


def test_not_understood_outside_intake_asks_to_rephrase_then_offers_buttons(load_tracker, run_action):
    tracker = load_tracker("new_conversation", text="blablabla qwerty", intent={"name": "nlu_fallback"})
    assert tracker.slots == {}
    first, events = run_action(ActionIntakeAnswer(), tracker)
    assert not any(m.get("buttons") for m in first)
    tracker.slots.update({e["name"]: e["value"] for e in events})
    second, _ = run_action(ActionIntakeAnswer(), tracker)
    assert any(m.get("buttons") for m in second)
