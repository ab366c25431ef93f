"""Controls and corrections found with the blind development sets 10-13: typed words never
wipe an intake, a restart inside a sentence is asked about, "nee wacht, laat maar" changes
nothing, a correction names its answer, and a yes clause before a question is a yes.
The team's own sentences, not copies of the corpus."""

from __future__ import annotations

import copy

import pytest

from tests.dialogue.interpret.test_meaning_in_context import question_ids, say, texts
from tests.support.phases import PHASES, state_in_phase


@pytest.mark.parametrize("phase", [p for p in PHASES if p not in ("before_start", "done")])
@pytest.mark.parametrize("text", ["doe maar", "begin maar", "start"])
def test_typed_words_read_as_start_never_wipe_the_answers(phase, text):
    state = state_in_phase(phase)
    before = copy.deepcopy(state["answers"])
    result = say(state, text, intent="start", confidence=0.9)  # the NLU guessed "start"
    assert before.items() <= result.state["answers"].items()
    assert result.state["phase"] != "asking" or result.state.get("current") != "work_status" or not before


def test_doe_maar_at_consent_is_a_yes():
    result = say(state_in_phase("consent"), "doe maar", intent="start", confidence=0.4)
    assert result.state["phase"] == "done" and result.state["answers"]


@pytest.mark.parametrize(
    "text",
    [
        "kan ik eigenlijk opnieuw beginnen? volgens mij heb ik iets fout ingevuld",
        "ik wil graag opnieuw beginnen, ik heb me vergist",
    ],
)
def test_restart_inside_a_sentence_is_asked_about(text):
    state = state_in_phase("barriers")
    before = copy.deepcopy(state["answers"])
    result = say(state, text)
    assert result.state.get("confirm_restart") and "gewist" in texts(result)
    assert result.state["answers"] == before


def test_restart_words_about_work_are_an_answer():
    state = state_in_phase("work_ability")
    state = say(state, "/inform", code="5").state
    result = say(state, "ja, ik wil graag opnieuw beginnen met werken")
    assert not result.state.get("confirm_restart")


@pytest.mark.parametrize("text", ["nee wacht, laat maar", "nee wacht, toch maar niet. ga maar door"])
def test_taking_back_a_correction_changes_nothing(text):
    state = state_in_phase("barriers")
    before = copy.deepcopy(state["answers"])
    result = say(state, text)
    assert result.state["answers"] == before
    assert question_ids(result) == ["barriers"]


@pytest.mark.parametrize(
    "text,qid,value",
    [
        ("het cijfer klopt niet, dat moet een 3 zijn", "work_ability", 3),
        ("1 ding klopt niet: ik heb geen vast contract maar een tijdelijk", "employment_type", "temporary"),
        (
            "de verwachting klopt niet helemaal, het lukt wel maar met aanpassingen",
            "rtw_expectation",
            "yes_with_adjustments",
        ),
        (
            "het klopt niet dat ik sinds 19 oktober thuis zit, dat is al sinds 1 september",
            "absence_since",
            None,
        ),
    ],
)
def test_a_correction_at_the_read_back_names_its_answer(text, qid, value):
    state = state_in_phase("readback")
    old = state["answers"].get(qid)
    if old is None:
        pytest.skip(f"{qid} not answered on this path")
    result = say(state, text)
    new = result.state["answers"][qid]
    assert new != old
    if value is not None:
        assert new == value
    else:
        assert new["date"] == "2026-09-01"


def test_a_correction_during_the_questions_prefers_the_answer_it_names():
    state = state_in_phase("work_ability")
    assert state["answers"]["employment_type"] == "permanent"
    result = say(state, "oh nee, ik bedoel: ik heb een tijdelijk contract, geen vast")
    assert result.state["answers"]["employment_type"] == "temporary"
    assert result.state["answers"]["job_control"] == state["answers"]["job_control"]


def test_dutch_inversion_after_en_is_part_of_the_answer():
    result = say(
        state_in_phase("barriers"), "sinds het ongeluk heb ik hoofdpijn en kan ik me niet concentreren"
    )
    assert set(result.state["answers"]["barriers"]) == {"pain", "concentration"}


def test_a_yes_clause_before_a_question_is_the_yes_with_its_question():
    state = state_in_phase("barriers")
    state = say(state, "/inform", code="fatigue").state
    assert state["current"] == "support_wish"
    result = say(state, "eigenlijk wel, ik wil weten hoe ik mijn uren weer opbouw")
    assert result.state["answers"]["support_wish"] is True
    assert "opbouw" in result.state["answers"].get("support_wish_question", "")
