"""FHIR resources in Python (fast; the npm validators, LHC-Forms and the FHIR server
tests are in tests/fhir/, `make test-fhir`): the SDC Questionnaire and its conditions,
CodeSystems, the QuestionnaireResponse (only enabled items; subject/author/source), the
standalone zib Observations and the transaction Bundle."""
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fhir.resources.observation import Observation
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from bot import content
from bot.report import fhir
from bot.report.fhir import enablement
from bot.report.fhir.bundle import transaction_bundle
from bot.report.summary import build_summary

STATES = Path(__file__).parents[1] / "fixtures" / "states"
SUMMARIES = Path(__file__).parents[1] / "fixtures" / "summaries"
FIXTURES = sorted(p.stem for p in STATES.glob("*.json"))
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
BASE = "https://werk-intake.example.nl/fhir"
PATIENT = fhir.Identity.from_token("urn:oid:2.16.840.1.113883.2.4.6.3|999911120")


def load(name, **changes):
    state = json.loads((STATES / f"{name}.json").read_text(encoding="utf-8"))
    state["answers"].update(changes)
    return state, build_summary(state, f"conv-{name}", NOW, summary_id=f"sum-{name.replace('_', '-')}")


def items_by_id(resource):
    return {i["linkId"]: i for i in resource["item"]}


def extension(element, url):
    return [e for e in element.get("extension", []) if e["url"] == url]


# --------------------------------------------------------------------------- Questionnaire

def test_fhir_version_is_r4b_models_of_fhir_resources_6_5():
    assert fhir.FHIR_VERSION == "4.3.0"


def test_questionnaire_parses_and_is_published():
    q = fhir.questionnaire()
    model = Questionnaire.parse_obj(q)
    assert model.status == "active" and model.version == "1.0"
    assert model.url == f"{BASE}/Questionnaire/werk-intake"
    data = content.questionnaire()
    assert q["date"] == (data.get("version_date") or data["checked"]) and q["language"] == "nl" and q["publisher"]
    assert q["text"]["status"] == "generated" and "Werkt u op dit moment" in q["text"]["div"]
    assert q["extension"] == [{"url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-entryMode",
                               "valueCode": "sequential"}]


def test_link_ids_are_the_question_ids_after_the_hidden_context_item():
    q = fhir.questionnaire()
    hidden = q["item"][0]
    assert hidden["linkId"] == "returning_patient" and hidden["readOnly"] is True
    assert extension(hidden, "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden")[0]["valueBoolean"]
    assert [i["linkId"] for i in q["item"][1:]] == [x["id"] for x in content.questions()]
    assert all(i["text"] == content.question(i["linkId"])["text"] for i in q["item"][1:])


@pytest.mark.parametrize("qid,item_type,repeats", [
    ("work_status", "choice", None), ("occupation", "text", None), ("support_wish", "boolean", None),
    ("hours_per_week", "decimal", None), ("work_ability", "integer", None),
    ("absence_since", "date", None), ("barriers", "open-choice", True), ("worries", "open-choice", True),
    ("consent_share", "boolean", None), ("support_wish_question", "text", None),
])
def test_item_types(qid, item_type, repeats):
    item = items_by_id(fhir.questionnaire())[qid]
    assert item["type"] == item_type and item.get("repeats") == repeats


def test_only_the_consent_is_required():
    required = [i["linkId"] for i in fhir.questionnaire()["item"] if i.get("required")]
    assert required == ["consent_share"]  # every other question may be skipped (intake.md §2)


def test_answer_options_are_codings_of_our_code_systems():
    items = items_by_id(fhir.questionnaire())
    for q in content.questions():
        if q["answer_type"] not in ("choice", "multi_choice"):
            assert "answerOption" not in items[q["id"]]
            continue
        codings = [o["valueCoding"] for o in items[q["id"]]["answerOption"]]
        assert [c["code"] for c in codings] == content.option_codes(q)
        assert {c["system"] for c in codings} == {fhir.code_system_url(q["id"])}
        assert all(c["display"] == content.option_label(q, c["code"]) for c in codings)
        control = extension(items[q["id"]], "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl")
        assert control[0]["valueCodeableConcept"]["coding"][0]["code"] == (
            "check-box" if q["answer_type"] == "multi_choice" else "radio-button")
    assert extension(items["work_ability"], fhir.EXT_MAX_VALUE) == [{"url": fhir.EXT_MAX_VALUE, "valueInteger": 10}]


def test_none_options_are_exclusive():
    items = items_by_id(fhir.questionnaire())
    for qid in ("barriers", "worries"):
        exclusive = [o["valueCoding"]["code"] for o in items[qid]["answerOption"]
                     if extension(o, fhir.EXT_OPTION_EXCLUSIVE)]
        assert exclusive == ["none"]
    assert not any(extension(o, fhir.EXT_OPTION_EXCLUSIVE) for o in items["absence"]["answerOption"])


def test_simple_conditions_become_enable_when():
    items = items_by_id(fhir.questionnaire())
    working = {"question": "work_status", "operator": "=",
               "answerCoding": {"system": fhir.code_system_url("work_status"), "code": "working"}}
    assert items["occupation"]["enableWhen"] == [working]
    assert [e["answerCoding"]["code"] for e in items["absence_since"]["enableWhen"]] == ["full", "partial", "recent"]
    assert items["absence_since"]["enableBehavior"] == "any"
    # all: [working, self_employed]: employment_type is only asked to people who work
    assert items["income_protection"]["enableWhen"] == [{"question": "employment_type", "operator": "=", "answerCoding": {
        "system": fhir.code_system_url("employment_type"), "code": "self_employed"}}]
    assert items["scheduling_needs_details"]["enableWhen"] == [
        {"question": "scheduling_needs", "operator": "=", "answerBoolean": True}]
    assert items["changed_since_last_visit"]["enableWhen"] == [
        {"question": "returning_patient", "operator": "=", "answerBoolean": True}]
    barrier_codes = [e["answerCoding"]["code"] for e in items["what_goes_well"]["enableWhen"]]
    assert "none" not in barrier_codes and len(barrier_codes) == 9  # any_except: [none]
    signal = items["work_ability"]["enableWhen"]  # signal: absence, barriers or support_wish
    assert {e["question"] for e in signal} == {"absence", "barriers", "support_wish"}
    assert "enableWhen" not in items["work_status"] and "enableWhen" not in items["consent_share"]


def test_the_rest_becomes_an_sdc_enable_when_expression_and_no_private_extension():
    q = fhir.questionnaire()
    with_expression = [i["linkId"] for i in q["item"] if extension(i, fhir.EXT_ENABLE_WHEN_EXPRESSION)]
    assert {"hours_per_week", "knows_open_consultation", "employer_informed",
            "physician_contact_wish"} <= set(with_expression)
    for qid in with_expression:  # only where enableWhen cannot say it: an `any` inside an `all`
        node = enablement.condition_of(qid)
        assert node[0] == "all" and any(part[0] == "any" for part in node[1]), qid
    for item in q["item"]:
        assert not ("enableWhen" in item and extension(item, fhir.EXT_ENABLE_WHEN_EXPRESSION))
        assert all(e["url"].startswith("http://hl7.org/fhir/") for e in item.get("extension", []))
    hours = extension(items_by_id(q)["hours_per_week"], fhir.EXT_ENABLE_WHEN_EXPRESSION)[0]["valueExpression"]
    assert hours["language"] == "text/fhirpath"
    assert "linkId='work_status'" in hours["expression"] and " or " in hours["expression"]
    assert "ask-when" not in json.dumps(q)


def test_every_condition_is_expressed_and_refers_to_earlier_items():
    seen = set()
    for item in fhir.questionnaire()["item"]:
        q = content.questions_by_id().get(item["linkId"])
        if q is not None and q.get("when", "always") != "always":
            assert "enableWhen" in item or extension(item, fhir.EXT_ENABLE_WHEN_EXPRESSION), item["linkId"]
        assert {e["question"] for e in item.get("enableWhen", [])} <= seen
        seen.add(item["linkId"])


def test_simplification_keeps_the_meaning_for_answers_the_dialogue_can_hold():
    """Dropping an implied conjunct never changes which questions apply, for every state
    fixture replayed question by question (the Node tests check the same with FHIRPath)."""
    from bot.intake.conditions import evaluate

    for name in FIXTURES:
        state, _ = load(name)
        facts = dict(state["context"])
        for q in content.questions():
            original = evaluate(q.get("when", "always"), facts, content.named_conditions())
            assert _holds(enablement.condition_of(q["id"]), facts) == original, (name, q["id"])
            if state["answers"].get(q["id"]) is not None and original:
                facts[q["id"]] = state["answers"][q["id"]]


def _holds(node, facts):
    kind = node[0]
    if kind == "true":
        return True
    if kind in ("all", "any"):
        results = [_holds(c, facts) for c in node[1]]
        return all(results) if kind == "all" else any(results)
    if kind == "not":
        return not _holds(node[1], facts)
    fact, op, values = node[1]
    value = facts.get(fact)
    if value is None:
        return False
    if op == ">=":
        return value >= values[0]
    if op == "<=":
        return value <= values[0]
    return any(v in values for v in value) if isinstance(value, list) else value in values


def test_base_url_is_configurable(monkeypatch):
    q = fhir.questionnaire("https://fhir.ziekenhuis.test/r4/")
    assert q["url"] == "https://fhir.ziekenhuis.test/r4/Questionnaire/werk-intake"
    assert q["item"][1]["answerOption"][0]["valueCoding"]["system"].startswith("https://fhir.ziekenhuis.test/r4/CodeSystem/")
    monkeypatch.setenv("WERK_FHIR_BASE_URL", "https://env.example.org/fhir")
    assert fhir.questionnaire()["url"] == "https://env.example.org/fhir/Questionnaire/werk-intake"


# --------------------------------------------------------------------------- CodeSystems

def test_code_systems_publish_every_option():
    systems = {cs["url"]: cs for cs in fhir.code_systems()}
    for q in content.questions():
        if q["answer_type"] in ("choice", "multi_choice"):
            cs = systems[fhir.code_system_url(q["id"])]
            assert [(c["code"], c["display"]) for c in cs["concept"]] == [
                (str(o["code"]), o["label"]) for o in q["options"]]
            assert cs["content"] == "complete" and cs["status"] == "active" and cs["text"]["div"]
            assert fhir.code_system_by_url(cs["url"] + "|1.0") == cs
            assert fhir.code_system_by_id(cs["id"]) == cs
    package = fhir.package()
    assert package["type"] == "collection" and package["entry"][0]["resource"]["resourceType"] == "Questionnaire"
    assert {e["fullUrl"] for e in package["entry"][1:]} == set(systems)


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
    assert [i["linkId"] for i in qr["item"] if i["linkId"] != "returning_patient"] == answered
    assert not set(state["skipped"]) & {i["linkId"] for i in qr["item"]}
    assert "subject" not in qr and qr["text"]["status"] == "generated"


def test_subject_author_and_source_are_the_patient():
    state, summary = load("temp_agency")
    qr = fhir.questionnaire_response(summary, state["answers"], identity=PATIENT)
    patient = {"type": "Patient", "identifier": {"system": "urn:oid:2.16.840.1.113883.2.4.6.3", "value": "999911120"}}
    assert qr["subject"] == qr["author"] == qr["source"] == patient
    literal = fhir.Identity.from_token("urn:x|1", patient_literal="https://ehr.test/fhir/Patient/7")
    assert fhir.questionnaire_response(summary, state["answers"], identity=literal)["subject"]["reference"] == \
        "https://ehr.test/fhir/Patient/7"


def test_a_response_from_a_stored_summary_never_answers_a_disabled_question():
    """The job seeker's summary has barriers: [] (stored as ["none"] when read back); barriers
    is only asked to people who work, so the response leaves it out."""
    summary = json.loads((SUMMARIES / "job_seeker.json").read_text(encoding="utf-8"))
    qr = fhir.questionnaire_response(summary)
    assert "barriers" not in {i["linkId"] for i in qr["item"]}
    stale = fhir.questionnaire_response(summary, {"work_status": "job_seeking", "barriers": ["pain"],
                                                  "occupation": "kok", "support_wish": True})
    assert [i["linkId"] for i in stale["item"]] == ["work_status", "support_wish"]


def test_answers_are_typed():
    state, summary = load("employee_long_absence")
    items = items_by_id(fhir.questionnaire_response(summary, state["answers"]))
    assert items["work_status"]["answer"] == [{"valueCoding": {
        "system": fhir.code_system_url("work_status"), "code": "working", "display": "Ja, ik werk"}}]
    assert items["returning_patient"]["answer"] == [{"valueBoolean": True}]
    assert items["support_wish"]["answer"] == [{"valueBoolean": True}]
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


# --------------------------------------------------------------------------- Observations

@pytest.mark.parametrize("name", FIXTURES)
def test_observations_are_standalone_with_subject_and_derived_from(name):
    _, summary = load(name)
    part = fhir.participation_observation(summary, identity=PATIENT)
    ws = fhir.work_situation_observation(summary, identity=PATIENT)
    for obs in (part, ws):
        Observation.parse_obj(obs)
        assert obs["subject"] == PATIENT.patient_reference() and "contained" not in obs
        assert obs["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{summary['summary_id']}",
                                       "type": "QuestionnaireResponse"}]
        assert obs["text"]["status"] == "generated"
    assert part["meta"]["profile"] == [fhir.PARTICIPATION_PROFILE]
    assert (part["code"]["coding"][0]["system"], part["code"]["coding"][0]["code"]) == ("http://snomed.info/sct", "314845004")
    assert part["hasMember"][0]["reference"] == f"Observation/{ws['id']}"
    assert ws["meta"]["profile"] == [fhir.WORK_SITUATION_PROFILE]
    assert ws["code"]["coding"][0]["code"] == "364703007" and ws["valueString"].startswith("Werk: ")


def test_work_situation_maps_the_work_answers():
    _, summary = load("employee_long_absence")
    ws = fhir.work_situation_observation(summary)
    text = ws["valueString"]
    for part in ("Werk: Ja, ik werk", "Beroep: Verpleegkundige op de afdeling cardiologie",
                 "Soort werk: Vast contract", "Ziekmelding: Ja, helemaal", "13 september 2026 (10 weken)",
                 "32 uur per week"):
        assert part in text
    assert "Moe" not in text  # barriers are not part of the zib WorkSituation
    comps = {c["code"]["coding"][0]["code"]: c for c in ws["component"]}
    assert comps["work-status"]["valueCodeableConcept"]["coding"][0]["code"] == "working"
    assert comps["employment-type"]["valueCodeableConcept"]["coding"][0]["code"] == "permanent"
    assert comps["hours-per-week"]["valueQuantity"]["code"] == "h/wk"
    assert comps["work-ability"]["valueInteger"] == 3


def test_work_situation_for_someone_not_working():
    _, summary = load("student")
    ws = fhir.work_situation_observation(summary)
    assert ws["valueString"] == "Werk: Ik studeer."
    assert [c["code"]["coding"][0]["code"] for c in ws["component"]] == ["work-status"]


# --------------------------------------------------------------------------- Bundle

def test_transaction_bundle_is_idempotent_and_linked():
    state, summary = load("employee_long_absence")
    task = {"resourceType": "Task", "status": "completed", "intent": "order",
            "identifier": [{"system": "https://ziekenhuis.test/task", "value": "T-1"}],
            "output": [{"type": {"text": "x"}, "valueReference": {"reference": "x", "type": "QuestionnaireResponse"}}]}
    bundle = transaction_bundle(summary, state["answers"], identity=PATIENT, task=task)
    assert bundle == transaction_bundle(summary, state["answers"], identity=PATIENT, task=task)  # stable urns
    qr, ws, part, task_entry = bundle["entry"]
    for entry in (qr, ws, part):
        assert "id" not in entry["resource"] and entry["fullUrl"].startswith("urn:uuid:")
        assert entry["request"]["method"] == "POST" and entry["request"]["ifNoneExist"].startswith("identifier=")
    assert ws["resource"]["derivedFrom"][0]["reference"] == qr["fullUrl"]
    assert part["resource"]["hasMember"][0]["reference"] == ws["fullUrl"]
    assert task_entry["request"] == {"method": "PUT", "url": "Task?identifier=https://ziekenhuis.test/task|T-1"}
    assert task_entry["resource"]["output"][0]["valueReference"]["reference"] == qr["fullUrl"]


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
    with pytest.raises(ValidationError):
        QuestionnaireResponse.parse_obj(qr)


def test_standard_codes_where_they_exist():
    """LOINC for the work-status question, SNOMED CT (ODH employment status) for its
    answers in the WorkSituation; kept as data in bot/content/fhir_codes.yml."""
    item = items_by_id(fhir.questionnaire())["work_status"]
    assert item["code"] == [{"system": "http://loinc.org", "code": "67875-5", "display": "Employment status current"}]
    expected = {"employee_long_absence": "224363007", "job_seeker": "73438004", "student": "741062008"}
    for name, snomed in expected.items():
        _, summary = load(name)
        status = fhir.work_situation_observation(summary)["component"][0]
        assert status["code"]["coding"][1]["code"] == "67875-5"
        assert [c["code"] for c in status["valueCodeableConcept"]["coding"]] == [summary["work"]["status"], snomed]


def test_standard_codes_file_only_names_real_questions_and_options(monkeypatch):
    from bot.report.fhir import codesystems

    codesystems._standard.cache_clear()
    real = content.load
    monkeypatch.setattr(content, "load", lambda name: {"questions": {"work_status": {
        "options": {"werkend": []}}}} if name == "fhir_codes" else real(name))
    with pytest.raises(content.ContentError, match=r"^fhir_codes\.yml: work_status has no option\(s\) \['werkend'\]"):
        codesystems.standard_option_codes("work_status", "working")
    codesystems._standard.cache_clear()


def test_cli_exports_the_package(capsys):
    from bot.runtime import cli

    assert cli.main(["export-fhir-questionnaire", "--package"]) == 0
    bundle = json.loads(capsys.readouterr().out)
    assert bundle == fhir.package()
