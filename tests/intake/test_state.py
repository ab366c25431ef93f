"""The typed intake state (bot/intake/state.py): slots typed from questions.yml, a lossless
round trip through the slots, only changed slots written, domain.yml in step."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import content
from bot.dialogue.conversation import respond
from bot.intake.state import (
    CRISIS_SLOT,
    HISTORY_SLOT,
    IntakeState,
    changed_slots,
    comparable,
    date_text,
    date_value,
    slot_definitions,
)
from tests.support.phases import PHASES, RecordingHandoff, _turn, state_in_phase

ROOT = Path(__file__).resolve().parents[2]


def through_slots(state):
    slots = json.loads(json.dumps(IntakeState.from_dict(state).to_slots()))
    return slots, IntakeState.from_slots(slots).to_dict()


def test_every_question_is_a_slot_typed_by_its_answer_type():
    slots = slot_definitions()
    expected = {"choice": "categorical", "multi_choice": "list", "number": "float", "scale": "float",
                "yes_no": "bool", "text": "text", "date_or_duration": "text"}
    for q in content.questions():
        assert slots[q["id"]]["type"] == expected[q["answer_type"]], q["id"]
        if q["answer_type"] == "choice":
            assert slots[q["id"]]["values"] == content.option_codes(q)
    assert slots["intake_phase"] == {"type": "categorical",
                                     "values": ["idle", "asking", "readback", "consent", "done"]}
    assert slots["current_question"]["type"] == "text" and slots["skipped_questions"]["type"] == "list"
    assert "intake_state" not in slots


def test_domain_slots_are_generated_and_up_to_date():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["slots"]) == set(slot_definitions())
    for name, slot in domain["slots"].items():
        assert slot["influence_conversation"] is False and slot["mappings"] == [{"type": "custom"}], name
        assert slot["type"] == slot_definitions()[name]["type"]
    assert "generated from bot/content/questions.yml by scripts/sync_domain_slots.py" in \
        (ROOT / "domain.yml").read_text(encoding="utf-8")
    check = subprocess.run([sys.executable, "scripts/sync_domain_slots.py", "--check"], cwd=ROOT,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("phase", [p for p in PHASES if p != "before_start"])
def test_states_of_every_phase_survive_the_slots(phase):
    state = state_in_phase(phase)
    slots, back = through_slots(state)
    assert back == comparable(state)
    assert slots["intake_phase"] == state["phase"]
    assert slots["current_question"] == state["current"]
    assert slots[HISTORY_SLOT] is None          # a plain intake: the order is implied


def test_answers_are_typed_slot_values():
    slots, _ = through_slots(state_in_phase("done"))
    assert slots["work_status"] == "working" and slots["barriers"] == ["fatigue"]
    assert slots["hours_per_week"] == 32 and slots["work_ability"] == 6
    assert slots["support_wish"] is False and slots["consent_share"] is True
    assert slots["absence_since"] == "2026-10-19;weeks=4"
    assert slots["skipped_questions"] is None and slots["intake_phase"] == "done"


def test_dates_as_text_keep_every_field():
    for value in ({"date": "2026-10-19", "weeks": 4}, {"date": "2026-09-07", "weeks": 10, "duration_weeks": 2},
                  {"date": "2026-09-07", "weeks": None, "duration_weeks": None}):
        assert date_value(date_text(value)) == value
    assert date_value("gisteren") is None and date_text("gisteren") is None


def test_an_answer_writes_only_the_slots_it_changes():
    state = state_in_phase("occupation")
    before = IntakeState.from_dict(state).to_slots()
    after_state = respond(state, _turn("kok"), RecordingHandoff()).state
    changed = changed_slots(before, IntakeState.from_dict(after_state).to_slots())
    assert changed == {"occupation": "kok", "current_question": "employment_type"}


def test_skip_back_and_reopen_keep_the_asked_order():
    handoff = RecordingHandoff()
    state = state_in_phase("barriers")
    state = respond(state, _turn(code="skip"), handoff).state
    slots, back = through_slots(state)
    assert slots["skipped_questions"] == ["barriers"] and back == comparable(state)
    state = respond(state, _turn("terug", intent="go_back"), handoff).state
    assert state["current"] == "barriers"
    slots, back = through_slots(state)
    assert slots["skipped_questions"] is None and back == comparable(state)
    # the read-back reopens an earlier question: now the asked order is not the implied one
    state = state_in_phase("readback")
    state = respond(state, _turn(code="change"), handoff).state
    state = respond(state, _turn(code="occupation"), handoff).state
    state = respond(state, _turn("bakker"), handoff).state
    assert state["phase"] == "readback" and state["history"][-1] == "occupation"
    slots, back = through_slots(state)
    assert slots[HISTORY_SLOT] == state["history"] and back == comparable(state)
    state = respond(back, _turn("terug", intent="go_back"), handoff).state
    assert state["current"] == "occupation"       # back goes to the question asked last


def test_a_conversation_before_the_start_has_no_state():
    assert IntakeState.from_slots({}) is None
    with pytest.raises(ValueError):
        IntakeState.from_slots({"intake_phase": "somewhere"})


def test_wrongly_typed_slot_values_are_dropped():
    slots, _ = through_slots(state_in_phase("work_ability"))
    slots.update(work_status="ceo", hours_per_week="veel", barriers="fatigue", support_wish="ja")
    state = IntakeState.from_slots(slots).to_dict()
    for qid in ("work_status", "hours_per_week", "support_wish"):
        assert qid not in state["answers"]
    assert state["answers"]["barriers"] == ["fatigue"]      # as Rasa's list slot reads it


def test_changed_slots_compare_values_and_kinds():
    assert changed_slots({"a": 1, "b": None}, {"a": 1, "b": None}) == {}
    assert changed_slots({"support_wish": 0}, {"support_wish": False}) == {"support_wish": False}
    assert changed_slots({}, {"skipped_questions": None}) == {}
    assert changed_slots({"skipped_questions": ["barriers"]}, {"skipped_questions": None}) == \
        {"skipped_questions": None}


def test_a_whole_intake_writes_under_a_third_of_the_old_slot_bytes():
    """scripts/tracker_bytes.py's measure on the button path of tests/support/phases.py
    (the corpus version, with the NLU model, is `make tracker-bytes`)."""
    from scripts.tracker_bytes import Recorder
    from tests.support.phases import PATH

    record, handoff = Recorder(), RecordingHandoff()
    state = record(None, _turn("/start", intent="start"), handoff).state
    while state["phase"] != "done":
        code = {"readback": "confirm", "consent": "yes"}.get(state["phase"]) or PATH.get(state["current"], "skip")
        state = record(state, _turn(code=code), handoff).state
    tally = record.tally
    assert tally.lossy == 0 and tally.messages >= 20
    assert tally.new_bytes * 3 <= tally.old_bytes, (tally.new_bytes, tally.old_bytes)


def test_crisis_reply_is_a_marker_slot_not_part_of_the_state():
    """Set (True) only by an action whose reply carries the crisis answer, unset by the
    next one; the engine's state never holds it."""
    assert slot_definitions()[CRISIS_SLOT] == {"type": "bool"}
    state = IntakeState.from_dict(respond(None, _turn("/start", intent="start"), RecordingHandoff()).state)
    assert state.to_slots()[CRISIS_SLOT] is None
    slots = state.to_slots(crisis_reply=True)
    assert slots[CRISIS_SLOT] is True
    assert changed_slots(slots, state.to_slots()) == {CRISIS_SLOT: None}
    assert IntakeState.from_slots(slots).to_slots() == state.to_slots()
