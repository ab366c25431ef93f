"""FHIR: the Questionnaire, QuestionnaireResponse and ParticipationInSociety Observation
parse with the fhir.resources model classes and carry correctly typed answers."""
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fhir.resources.observation import Observation
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse

from bot import content, fhir
from bot.summary import build_summary

STATES = Path(__file__).parent / "fixtures" / "states"
FIXTURES = sorted(p.stem for p in STATES.glob("*.json"))
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
BASE = "https://werk-intake.example.nl/fhir"


def load(name, **changes):
    state = json.loads((STATES / f"{name}.json").read_text(encoding="utf-8"))
    state["answers"].update(changes)
    return state, build_summary(state, f"conv-{name}", NOW, summary_id=f"sum-{name.replace('_', '-')}")


def items_by_id(resource):
    return {i["linkId"]: i for i in resource["item"]}


# --------------------------------------------------------------------------- Questionnaire

def test_fhir_version_is_r4b_models_of_fhir_resources_6_5():
    assert fhir.FHIR_VERSION == "4.3.0"


def test_questionnaire_parses_and_is_published():
    q = fhir.questionnaire()
    model = Questionnaire.parse_obj(q)
    assert model.status == "active" and model.version == "1.0"
    assert model.url == f"{BASE}/Questionnaire/werk-intake"
    assert q["date"] == "2026-12-01" and q["language"] == "nl"


def test_questionnaire_link_ids_are_the_question_ids():
    q = fhir.questionnaire()
    assert [i["linkId"] for i in q["item"]] == [x["id"] for x in content.questions()]
    assert all(i["text"] == content.question(i["linkId"])["text"] for i in q["item"])


@pytest.mark.parametrize("qid,item_type,repeats", [
    ("work_status", "choice", None), ("occupation", "string", None), ("support_wish", "boolean", None),
    ("hours_per_week", "decimal", None), ("work_ability", "integer", None),
    ("absence_since", "date", None), ("barriers", "open-choice", True), ("worries", "open-choice", True),
    ("consent_share", "boolean", None),
])
def test_item_types(qid, item_type, repeats):
    item = items_by_id(fhir.questionnaire())[qid]
    assert item["type"] == item_type and item.get("repeats") == repeats


def test_answer_options_are_codings_of_a_code_system():
    items = items_by_id(fhir.questionnaire())
    for q in content.questions():
        if q["answer_type"] not in ("choice", "multi_choice"):
            assert "answerOption" not in items[q["id"]]
            continue
        codings = [o["valueCoding"] for o in items[q["id"]]["answerOption"]]
        assert [c["code"] for c in codings] == content.option_codes(q)
        assert {c["system"] for c in codings} == {fhir.code_system_url(q["id"])}
        assert all(c["display"] == content.option_label(q, c["code"]) for c in codings)
    assert items["work_ability"]["extension"][1] == {"url": fhir.MAX_VALUE_EXT, "valueInteger": 10}


def test_simple_conditions_become_enable_when():
    items = items_by_id(fhir.questionnaire())
    working = {"question": "work_status", "operator": "=",
               "answerCoding": {"system": fhir.code_system_url("work_status"), "code": "working"}}
    assert items["occupation"]["enableWhen"] == [working]
    assert [e["answerCoding"]["code"] for e in items["absence_since"]["enableWhen"]] == ["full", "partial", "recent"]
    assert items["absence_since"]["enableBehavior"] == "any"
    assert items["income_protection"]["enableBehavior"] == "all" and len(items["income_protection"]["enableWhen"]) == 2
    assert items["scheduling_needs_details"]["enableWhen"] == [
        {"question": "scheduling_needs", "operator": "=", "answerBoolean": True}]
    assert "enableWhen" not in items["work_status"] and "enableWhen" not in items["consent_share"]


def test_complex_conditions_are_documented_not_guessed():
    items = items_by_id(fhir.questionnaire())
    for qid in ("hours_per_week", "knows_open_consultation", "changed_since_last_visit"):
        assert "enableWhen" not in items[qid]
        ext = [e for e in items[qid]["extension"] if e["url"] == fhir.ask_when_extension_url()]
        assert json.loads(ext[0]["valueString"]) == content.question(qid)["when"]


def test_enable_when_only_refers_to_earlier_questions():
    seen = set()
    for item in fhir.questionnaire()["item"]:
        assert {e["question"] for e in item.get("enableWhen", [])} <= seen
        seen.add(item["linkId"])


def test_base_url_is_configurable(monkeypatch):
    q = fhir.questionnaire("https://fhir.ziekenhuis.test/r4/")
    assert q["url"] == "https://fhir.ziekenhuis.test/r4/Questionnaire/werk-intake"
    assert q["item"][0]["answerOption"][0]["valueCoding"]["system"].startswith("https://fhir.ziekenhuis.test/r4/CodeSystem/")
    monkeypatch.setenv("WERK_FHIR_BASE_URL", "https://env.example.org/fhir")
    assert fhir.questionnaire()["url"] == "https://env.example.org/fhir/Questionnaire/werk-intake"


# --------------------------------------------------------------------------- QuestionnaireResponse

@pytest.mark.parametrize("name", FIXTURES)
def test_questionnaire_response_parses(name):
    state, summary = load(name)
    qr = fhir.questionnaire_response(summary, state["answers"])
    model = QuestionnaireResponse.parse_obj(qr)
    assert model.status == "completed"
    assert qr["questionnaire"] == f"{BASE}/Questionnaire/werk-intake|1.0"
    assert qr["authored"] == summary["created_at"] and qr["id"] == summary["summary_id"]
    answered = [q["id"] for q in content.questions() if state["answers"].get(q["id"]) is not None]
    assert [i["linkId"] for i in qr["item"]] == answered
    assert not set(state["skipped"]) & {i["linkId"] for i in qr["item"]}


def test_answers_are_typed():
    state, summary = load("employee_long_absence")
    items = items_by_id(fhir.questionnaire_response(summary, state["answers"]))
    assert items["work_status"]["answer"] == [{"valueCoding": {
        "system": fhir.code_system_url("work_status"), "code": "working", "display": "Ja, ik werk"}}]
    assert items["support_wish"]["answer"] == [{"valueBoolean": True}]
    assert items["informal_care"]["answer"] == [{"valueBoolean": True}]
    assert items["hours_per_week"]["answer"] == [{"valueDecimal": 32}]
    assert items["work_ability"]["answer"] == [{"valueInteger": 3}]
    assert items["occupation"]["answer"] == [{"valueString": "Verpleegkundige op de afdeling cardiologie"}]
    since = items["absence_since"]["answer"][0]
    assert since["valueDate"] == "2026-09-13"
    assert since["item"][0]["linkId"] == "absence_since.weeks" and since["item"][0]["answer"] == [{"valueInteger": 10}]
    barriers = items["barriers"]["answer"]
    assert [a["valueCoding"]["code"] for a in barriers[:-1]] == ["fatigue", "concentration", "other"]
    assert barriers[-1] == {"valueString": "Ik slaap slecht door de medicijnen"}
    assert items["consent_share"]["answer"] == [{"valueBoolean": True}]


def test_date_is_counted_back_when_only_weeks_are_known():
    state, summary = load("employee_long_absence", absence_since={"weeks": 4})
    since = items_by_id(fhir.questionnaire_response(summary, state["answers"]))["absence_since"]["answer"][0]
    assert date.fromisoformat(since["valueDate"]) == date(2026, 10, 25)


def test_summary_id_that_is_not_a_fhir_id_goes_to_identifier_only():
    state = json.loads((STATES / "student.json").read_text(encoding="utf-8"))
    summary = build_summary(state, "c", NOW, summary_id="werk_2026/11 nr 7")
    qr = fhir.questionnaire_response(summary, state["answers"])
    assert "id" not in qr and qr["identifier"]["value"] == "werk_2026/11 nr 7"
    QuestionnaireResponse.parse_obj(qr)
    obs = fhir.participation_observation(summary)
    assert "id" not in obs and "derivedFrom" not in obs


# --------------------------------------------------------------------------- Observation

@pytest.mark.parametrize("name", FIXTURES)
def test_participation_observation_parses(name):
    _, summary = load(name)
    obs = fhir.participation_observation(summary)
    model = Observation.parse_obj(obs)
    assert model.meta.profile == [fhir.PARTICIPATION_PROFILE]
    assert (model.code.coding[0].system, model.code.coding[0].code) == ("http://snomed.info/sct", "314845004")
    member = obs["hasMember"][0]["reference"]
    contained = {c["id"]: c for c in obs["contained"]}
    work_situation = contained[member.lstrip("#")]
    assert work_situation["meta"]["profile"] == [fhir.WORK_SITUATION_PROFILE]
    assert work_situation["code"]["coding"][0]["code"] == "364703007"
    assert work_situation["valueString"].startswith("Werk: ")
    assert obs["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{summary['summary_id']}"}]


def test_work_situation_maps_the_work_answers():
    _, summary = load("employee_long_absence")
    ws = fhir.participation_observation(summary)["contained"][0]
    text = ws["valueString"]
    for part in ("Werk: Ja, ik werk", "Beroep: Verpleegkundige op de afdeling cardiologie",
                 "Soort werk: Vast contract", "Ziekmelding: Ja, helemaal", "13 september 2026 (10 weken)",
                 "32 uur per week"):
        assert part in text
    assert "Moe" not in text  # barriers are not part of the zib WorkSituation
    comps = {c["code"]["coding"][0]["code"]: c for c in ws["component"]}
    assert comps["work-status"]["valueCodeableConcept"]["coding"][0]["code"] == "working"
    assert comps["employment-type"]["valueCodeableConcept"]["coding"][0]["code"] == "permanent"
    assert comps["hours-per-week"]["valueQuantity"] == {
        "value": 32, "unit": "uur per week", "system": "http://unitsofmeasure.org", "code": "h/wk"}
    assert comps["absence-weeks"]["valueQuantity"]["value"] == 10
    assert comps["work-ability"]["valueInteger"] == 3


def test_work_situation_for_someone_not_working():
    _, summary = load("student")
    ws = fhir.participation_observation(summary)["contained"][0]
    assert ws["valueString"] == "Werk: Ik studeer."
    assert [c["code"]["coding"][0]["code"] for c in ws["component"]] == ["work-status"]


def test_parse_helper_returns_model_instances():
    state, summary = load("temp_agency")
    assert isinstance(fhir.parse(fhir.questionnaire()), Questionnaire)
    assert isinstance(fhir.parse(fhir.questionnaire_response(summary, state["answers"])), QuestionnaireResponse)
    assert isinstance(fhir.parse(fhir.participation_observation(summary)), Observation)


def test_invalid_resource_is_rejected_by_the_models():
    state, summary = load("temp_agency")
    qr = fhir.questionnaire_response(summary, state["answers"])
    qr["status"] = 7
    qr["item"][0]["answer"] = [{"valueBoolean": "misschien"}]
    with pytest.raises(Exception):
        QuestionnaireResponse.parse_obj(qr)
