"""zib2020 ParticipationInSociety and its WorkSituation (Arbeidssituatie) as two
standalone Observations, each with subject and derivedFrom (the QuestionnaireResponse).

ParticipationInSociety (profile nl-core-ParticipationInSociety, SNOMED 314845004) groups
the WorkSituation (profile nl-core-ParticipationInSociety.WorkSituation, SNOMED
364703007 "Employment detail", value a Dutch string) through ``hasMember``. Structured
detail is in ``component``s coded in our ``werk-intake-summary`` CodeSystem.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from fhir.resources.observation import Observation

from bot import content
from bot.report.answer_text import readback_items
from bot.report.fhir.codesystems import SUMMARY_CODES, standard_option_codes, standard_question_codes
from bot.report.fhir.common import (PARTICIPATION_PROFILE, SNOMED, UCUM, WORK_SITUATION_PROFILE,
                             code_system_url, fhir_id, identifier_system, narrative, validated)
from bot.report.fhir.response import Identity, coding
from bot.report.summary import answers_from_summary

WORK_SITUATION_QUESTIONS = ("work_status", "occupation", "employment_type", "hours_per_week",
                            "absence", "absence_since")
SOCIAL_HISTORY = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                              "code": "social-history", "display": "Social History"}]}
SUMMARY_DISPLAY = dict(SUMMARY_CODES)
NOTE = "Uit de werk-intake vóór de afspraak; gedeeld met toestemming van de patiënt."


def observation_ids(summary_id: str) -> Dict[str, Optional[str]]:
    sid = fhir_id(summary_id)
    return {"participation": f"participation-{sid}"[:64] if sid else None,
            "work_situation": f"work-situation-{sid}"[:64] if sid else None}


def observation_identifier(summary: Mapping[str, Any], kind: str, base: Optional[str] = None) -> Dict[str, str]:
    return {"system": identifier_system("observation-id", base), "value": f"{summary['summary_id']}-{kind}"}


def work_situation_observation(summary: Mapping[str, Any], base: Optional[str] = None,
                               identity: Optional[Identity] = None,
                               response_reference: Optional[str] = None) -> Dict[str, Any]:
    value = work_situation_text(summary)
    resource = _observation(summary, "work_situation", WORK_SITUATION_PROFILE, "364703007",
                            "Employment detail", "Arbeidssituatie", base, identity, response_reference)
    resource["valueString"] = value
    components = _work_components(summary, base)
    if components:
        resource["component"] = components
    return validated(Observation, resource)


def participation_observation(summary: Mapping[str, Any], base: Optional[str] = None,
                              identity: Optional[Identity] = None,
                              response_reference: Optional[str] = None,
                              member_reference: Optional[str] = None) -> Dict[str, Any]:
    resource = _observation(summary, "participation", PARTICIPATION_PROFILE, "314845004",
                            "Patient participation status", "Participatie in maatschappij", base,
                            identity, response_reference)
    member_id = observation_ids(summary["summary_id"])["work_situation"]
    member = member_reference or (f"Observation/{member_id}" if member_id else None)
    if member:
        resource["hasMember"] = [{"reference": member, "type": "Observation", "display": "Arbeidssituatie"}]
    resource["note"] = [{"text": NOTE}]
    return validated(Observation, resource)


def _observation(summary: Mapping[str, Any], kind: str, profile: str, snomed: str, display: str,
                 title: str, base: Optional[str], identity: Optional[Identity],
                 response_reference: Optional[str]) -> Dict[str, Any]:
    """What both Observations share: id, profile, narrative, identifier, status, category,
    SNOMED code, subject and performer (the patient), derivedFrom, effective time."""
    resource: Dict[str, Any] = {"resourceType": "Observation"}
    resource_id = observation_ids(summary["summary_id"])[kind]
    if resource_id:
        resource["id"] = resource_id
    resource.update({
        "meta": {"profile": [profile]},
        "text": narrative(title, [work_situation_text(summary)]),
        "identifier": [observation_identifier(summary, kind.replace("_", "-"), base)],
        "status": "final",
        "category": [SOCIAL_HISTORY],
        "code": {"coding": [{"system": SNOMED, "code": snomed, "display": display}], "text": title},
    })
    known = identity if identity is not None and identity.known else None
    if known is not None:
        resource["subject"] = known.patient_reference()
    resource["effectiveDateTime"] = summary["created_at"]
    if known is not None:
        resource["performer"] = [known.patient_reference()]  # reported by the patient
    ref = response_reference or (f"QuestionnaireResponse/{summary['summary_id']}"
                                 if fhir_id(summary["summary_id"]) else None)
    if ref:
        resource["derivedFrom"] = [{"reference": ref, "type": "QuestionnaireResponse"}]
    return resource


def work_situation_text(summary: Mapping[str, Any]) -> str:
    """The zib WorkSituation value: work status, occupation, contract, hours, absence."""
    answers, _ = answers_from_summary(summary)
    parts = [f"{label}: {text}" for qid, label, text in readback_items(answers)
             if qid in WORK_SITUATION_QUESTIONS]
    return ". ".join(parts) + "."


def _work_components(summary: Mapping[str, Any], base: Optional[str]) -> List[Dict[str, Any]]:
    work = summary.get("work") or {}
    system = code_system_url("summary", base)

    def code(c: str) -> Dict[str, Any]:
        return {"coding": [{"system": system, "code": c, "display": SUMMARY_DISPLAY[c]}]}

    def coded(qid: str, value: str) -> Dict[str, Any]:
        """Our coding, plus the standard ones of the option (bot/content/fhir_codes.yml)."""
        return {"coding": [coding(content.question(qid), value, base)] + standard_option_codes(qid, value)}

    out = []
    if work.get("status") in content.option_codes(content.question("work_status")):
        status_code = code("work-status")
        status_code["coding"] += standard_question_codes("work_status")
        out.append({"code": status_code, "valueCodeableConcept": coded("work_status", work["status"])})
    if work.get("employment_type"):
        out.append({"code": code("employment-type"),
                    "valueCodeableConcept": coded("employment_type", work["employment_type"])})
    if work.get("hours_per_week") is not None:
        out.append({"code": code("hours-per-week"), "valueQuantity": {
            "value": work["hours_per_week"], "unit": "uur per week", "system": UCUM, "code": "h/wk"}})
    absence = work.get("absence") or {}
    if absence.get("status"):
        out.append({"code": code("absence"),
                    "valueCodeableConcept": coded("absence", absence["status"])})
    if absence.get("weeks") is not None:
        out.append({"code": code("absence-weeks"), "valueQuantity": {
            "value": absence["weeks"], "unit": "weken", "system": UCUM, "code": "wk"}})
    if work.get("work_ability") is not None:
        out.append({"code": code("work-ability"), "valueInteger": work["work_ability"]})
    return out
