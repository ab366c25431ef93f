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
from bot.answer_text import readback_items
from bot.fhir.common import (PARTICIPATION_PROFILE, SNOMED, UCUM, WORK_SITUATION_PROFILE,
                             code_system_url, fhir_id, identifier_system, narrative, validated)
from bot.fhir.response import Identity, coding
from bot.summary import answers_from_summary

WORK_SITUATION_QUESTIONS = ("work_status", "occupation", "employment_type", "hours_per_week",
                            "absence", "absence_since")
SOCIAL_HISTORY = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                              "code": "social-history", "display": "Social History"}]}
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
    created = summary["created_at"]
    value = work_situation_text(summary)
    resource: Dict[str, Any] = {"resourceType": "Observation"}
    if observation_ids(summary["summary_id"])["work_situation"]:
        resource["id"] = observation_ids(summary["summary_id"])["work_situation"]
    resource.update({
        "meta": {"profile": [WORK_SITUATION_PROFILE]},
        "text": narrative("Arbeidssituatie", [value]),
        "identifier": [observation_identifier(summary, "work-situation", base)],
        "status": "final",
        "category": [SOCIAL_HISTORY],
        "code": {"coding": [{"system": SNOMED, "code": "364703007", "display": "Employment detail"}],
                 "text": "Arbeidssituatie"},
    })
    _subject_and_source(resource, summary, identity, response_reference)
    resource["effectiveDateTime"] = created
    resource["valueString"] = value
    components = _work_components(summary, base)
    if components:
        resource["component"] = components
    return validated(Observation, resource)


def participation_observation(summary: Mapping[str, Any], base: Optional[str] = None,
                              identity: Optional[Identity] = None,
                              response_reference: Optional[str] = None,
                              member_reference: Optional[str] = None) -> Dict[str, Any]:
    ids = observation_ids(summary["summary_id"])
    resource: Dict[str, Any] = {"resourceType": "Observation"}
    if ids["participation"]:
        resource["id"] = ids["participation"]
    resource.update({
        "meta": {"profile": [PARTICIPATION_PROFILE]},
        "text": narrative("Participatie in maatschappij", [work_situation_text(summary)]),
        "identifier": [observation_identifier(summary, "participation", base)],
        "status": "final",
        "category": [SOCIAL_HISTORY],
        "code": {"coding": [{"system": SNOMED, "code": "314845004", "display": "Patient participation status"}],
                 "text": "Participatie in maatschappij"},
    })
    _subject_and_source(resource, summary, identity, response_reference)
    resource["effectiveDateTime"] = summary["created_at"]
    member = member_reference or (f"Observation/{ids['work_situation']}" if ids["work_situation"] else None)
    if member:
        resource["hasMember"] = [{"reference": member, "type": "Observation", "display": "Arbeidssituatie"}]
    resource["note"] = [{"text": NOTE}]
    return validated(Observation, resource)


def _subject_and_source(resource: Dict[str, Any], summary: Mapping[str, Any],
                        identity: Optional[Identity], response_reference: Optional[str]) -> None:
    if identity is not None and identity.known:
        resource["subject"] = identity.patient_reference()
    ref = response_reference or (f"QuestionnaireResponse/{summary['summary_id']}"
                                 if fhir_id(summary["summary_id"]) else None)
    if ref:
        resource["derivedFrom"] = [{"reference": ref, "type": "QuestionnaireResponse"}]
    if identity is not None and identity.known:
        resource["performer"] = [identity.patient_reference()]  # reported by the patient


def work_situation_text(summary: Mapping[str, Any]) -> str:
    """The zib WorkSituation value: work status, occupation, contract, hours, absence."""
    answers, _ = answers_from_summary(summary)
    parts = [f"{label}: {text}" for qid, label, text in readback_items(answers)
             if qid in WORK_SITUATION_QUESTIONS]
    return ". ".join(parts) + "."


def _work_components(summary: Mapping[str, Any], base: Optional[str]) -> List[Dict[str, Any]]:
    work = summary.get("work") or {}
    system = code_system_url("summary", base)

    def code(c: str, display: str) -> Dict[str, Any]:
        return {"coding": [{"system": system, "code": c, "display": display}]}

    def coded(qid: str, value: str) -> Dict[str, Any]:
        """Our coding, plus the standard ones of the option (questions.yml `codes`)."""
        q = content.question(qid)
        option = next(o for o in q["options"] if str(o["code"]) == value)
        return {"coding": [coding(q, value, base)] + [dict(c) for c in option.get("codes", [])]}

    out = []
    if work.get("status") in content.option_codes(content.question("work_status")):
        status_code = code("work-status", "Werk")
        status_code["coding"] += [dict(c) for c in content.question("work_status").get("codes", [])]
        out.append({"code": status_code, "valueCodeableConcept": coded("work_status", work["status"])})
    if work.get("employment_type"):
        out.append({"code": code("employment-type", "Soort werk"),
                    "valueCodeableConcept": coded("employment_type", work["employment_type"])})
    if work.get("hours_per_week") is not None:
        out.append({"code": code("hours-per-week", "Uren per week"), "valueQuantity": {
            "value": work["hours_per_week"], "unit": "uur per week", "system": UCUM, "code": "h/wk"}})
    absence = work.get("absence") or {}
    if absence.get("status"):
        out.append({"code": code("absence", "Ziekmelding"),
                    "valueCodeableConcept": coded("absence", absence["status"])})
    if absence.get("weeks") is not None:
        out.append({"code": code("absence-weeks", "Weken sinds ziekmelding"), "valueQuantity": {
            "value": absence["weeks"], "unit": "weken", "system": UCUM, "code": "wk"}})
    if work.get("work_ability") is not None:
        out.append({"code": code("work-ability", "Werkvermogen (0-10)"), "valueInteger": work["work_ability"]})
    return out
