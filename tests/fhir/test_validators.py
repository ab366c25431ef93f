"""Independent validation (Medplum's validator, FHIRPath.js invariants on the R4
definitions) of everything we publish or send: the Questionnaire, its package and
CodeSystems, a QuestionnaireResponse and the zib Observations for every profile (state
fixtures, summary fixtures, the conversation corpus). Also checks with FHIRPath.js that
enableWhen/enableWhenExpression enable exactly the questions the assistant asks."""
import copy
import json

import pytest

from bot.report import fhir
from bot.report.fhir.bundle import transaction_bundle
from bot.report.fhir.response import Identity
from tests.fhir import profiles

IDENTITY = Identity("urn:oid:2.16.840.1.113883.2.4.6.3", "999911120",  # test BSN
                    "https://ziekenhuis.example.nl/fhir/NamingSystem/afspraak", "AFS-1")


def all_profiles():
    out = [(f"state:{n}", s) for n, s in profiles.state_profiles()]
    out += [(f"corpus:{n}", s) for n, s in profiles.corpus_profiles()]
    return out


def resources_for(name, state, identity):
    summary = profiles.summary_of(name.split(":")[1], state)
    qr = fhir.questionnaire_response(summary, state["answers"], identity=identity)
    return [qr, fhir.work_situation_observation(summary, identity=identity),
            fhir.participation_observation(summary, identity=identity)], qr


@pytest.fixture(scope="module")
def report(node):
    q = fhir.questionnaire()
    resources = [q, fhir.package()] + fhir.code_systems()
    cases = []
    for name, state in all_profiles():
        made, qr = resources_for(name, state, IDENTITY if len(cases) % 2 else None)
        resources += made
        hidden = {"returning_patient"}  # context item: always enabled, filled in by us
        expected = [i["linkId"] for i in q["item"] if i["linkId"] in profiles.asked(state) or i["linkId"] in hidden]
        cases.append({"name": name, "questionnaire": q, "response": qr, "expected": expected})
    task = {"resourceType": "Task", "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">T-1</div>'},
            "status": "completed", "intent": "order",
            "identifier": [{"system": "https://ziekenhuis.example.nl/fhir/NamingSystem/task", "value": "T-1"}],
            "output": [{"type": {"text": "Ingevulde werk-intake"},
                        "valueReference": {"reference": "x", "type": "QuestionnaireResponse"}}]}
    for name, state in profiles.state_profiles():  # the transaction Bundles we push
        resources.append(transaction_bundle(profiles.summary_of(name, state), state["answers"],
                                            identity=IDENTITY, task=task))
    for _name, summary in profiles.summary_fixtures():
        resources.append(fhir.questionnaire_response(summary, identity=IDENTITY))
        resources.append(fhir.participation_observation(summary, identity=IDENTITY))
    result = node("validate", {"resources": resources, "enablement": cases})
    print(json.dumps({k: v for k, v in result.items() if k != "details"}, indent=1))
    return result


def test_medplum_validator_finds_no_errors(report):
    profiles_checked = report["enablement"]["responses"]
    bundles = len(profiles.state_profiles())
    assert report["resources"] == (2 + len(fhir.code_systems()) + 3 * profiles_checked + bundles
                                   + 2 * len(profiles.summary_fixtures()))
    assert report["medplum"]["errors"] == 0, report["details"][:5]


def test_every_fhirpath_invariant_holds(report):
    assert report["invariants"]["checked"] > 40 * report["resources"]
    assert report["invariants"]["errors"] == 0, report["details"][:5]
    assert report["invariants"]["unevaluable"] == 0, report["details"][:5]


def test_no_warnings_either(report):
    """Except one kind: Medplum's validator does not resolve a Bundle's own ``urn:uuid``
    fullUrls, so it warns about every reference between the resources of a transaction
    Bundle (standard FHIR: the server replaces them, as the delivery tests show)."""
    warnings = [i for d in report["details"] for i in d["medplum"] if i["severity"] == "warning"]
    other = [w for w in warnings if not w["text"].startswith('Invalid reference: got "urn:uuid:')]
    assert other == [] and report["invariants"]["warnings"] == 0, (other[:3], report["details"][:3])


def test_enable_when_enables_exactly_the_questions_the_assistant_asks(report):
    enablement = report["enablement"]
    corpus = len(list(profiles.corpus_profiles()))
    assert enablement["responses"] == len(profiles.state_profiles()) + corpus
    assert enablement["answeredButDisabled"] == []
    assert enablement["mismatches"] == []


def test_every_response_conforms_to_the_questionnaire(report):
    """Known linkIds, answer types, codings from answerOption, repeats, min/max, the
    required consent answered (the HL7 validator's questionnaire rules)."""
    assert report["enablement"]["conformance"] == []


def test_the_validators_do_reject_invalid_resources(node):
    """The checks above can fail: broken resources give errors in both validators."""
    q = fhir.questionnaire()
    q["item"][5]["linkId"] = q["item"][4]["linkId"]  # que-2: duplicate linkId
    q["item"][6].pop("enableBehavior", None)  # que-12 when > 2 enableWhen
    bad_type = fhir.questionnaire()
    bad_type["status"] = 7
    name, state = profiles.state_profiles()[0]
    summary = profiles.summary_of(name, state)
    qr = fhir.questionnaire_response(summary, state["answers"])
    qr["item"][0]["item"] = [{"linkId": "x", "text": "x"}]  # qrs-1: answer and item together
    result = node("validate", {"resources": [q, bad_type, qr]})
    keys = {i["key"] for d in result["details"] for i in d["invariants"]}
    assert {"que-2", "qrs-1"} <= keys
    assert result["medplum"]["errors"] >= 1


def test_enablement_check_can_fail(node):
    """A response that answers a disabled item, and a wrong expectation, are reported."""
    q = fhir.questionnaire()
    state = dict(profiles.state_profiles())["job_seeker"]
    summary = profiles.summary_of("job_seeker", state)
    qr = fhir.questionnaire_response(summary, state["answers"])
    qr["item"].append({"linkId": "barriers", "text": "x", "answer": [{"valueCoding": {
        "system": fhir.code_system_url("barriers"), "code": "none"}}]})
    broken = copy.deepcopy(qr)
    broken["item"][1]["answer"] = [{"valueString": "werkzoekend"}, {"valueBoolean": True}]  # work_status
    broken["item"] = [i for i in broken["item"] if i["linkId"] != "consent_share"]
    result = node("validate", {"enablement": [
        {"name": "stale", "questionnaire": q, "response": qr, "expected": ["work_status"]},
        {"name": "broken", "questionnaire": q, "response": broken}]})
    assert result["enablement"]["answeredButDisabled"][0] == {"case": "stale", "linkId": "barriers"}
    assert len(result["enablement"]["mismatches"]) == 1
    problems = {(p["case"], p["linkId"], p["problem"]) for p in result["enablement"]["conformance"]}
    assert ("broken", "work_status", "several answers, not repeating") in problems
    assert ("broken", "work_status", "valueString for a choice item") in problems
    assert ("broken", "consent_share", "required and enabled, but not answered") in problems
    assert ("stale", "barriers", "coding none not an answerOption") not in problems
