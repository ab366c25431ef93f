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
from bot.report.fhir.codesystems import (
    standard_option_codes,
    standard_question_codes,
    summary_codes,
    work_components,
)
from bot.report.fhir.common import (
    PARTICIPATION_PROFILE,
    SNOMED,
    UCUM,
    WORK_SITUATION_PROFILE,
    code_system_url,
    fhir_id,
    identifier_system,
    narrative,
    validated,
)
from bot.report.fhir.response import Identity, coding
from bot.report.summary import answers_from_summary

SOCIAL_HISTORY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "social-history",
            "display": "Social History",
        }
    ]
}
NOTE = "Uit de werk-intake vóór de afspraak; gedeeld met toestemming van de patiënt."


def observation_ids(summary_id: str) -> Dict[str, Optional[str]]:
    sid = fhir_id(summary_id)
    return {
        "participation": f"participation-{sid}"[:64] if sid else None,
        "work_situation": f"work-situation-{sid}"[:64] if sid else None,
    }


def observation_identifier(
    summary: Mapping[str, Any], kind: str, base: Optional[str] = None
) -> Dict[str, str]:
    return {"system": identifier_system("observation-id", base), "value": f"{summary['summary_id']}-{kind}"}


def work_situation_observation(
    summary: Mapping[str, Any],
    base: Optional[str] = None,
    identity: Optional[Identity] = None,
    response_reference: Optional[str] = None,
) -> Dict[str, Any]:
    value = work_situation_text(summary)
    resource = _observation(
        summary,
        "work_situation",
        WORK_SITUATION_PROFILE,
        "364703007",
        "Employment detail",
        "Arbeidssituatie",
        base,
        identity,
        response_reference,
    )
    resource["valueString"] = value
    components = _work_components(summary, base)
    if components:
        resource["component"] = components
    return validated(Observation, resource)


def participation_observation(
    summary: Mapping[str, Any],
    base: Optional[str] = None,
    identity: Optional[Identity] = None,
    response_reference: Optional[str] = None,
    member_reference: Optional[str] = None,
) -> Dict[str, Any]:
    resource = _observation(
        summary,
        "participation",
        PARTICIPATION_PROFILE,
        "314845004",
        "Patient participation status",
        "Participatie in maatschappij",
        base,
        identity,
        response_reference,
    )
    member_id = observation_ids(summary["summary_id"])["work_situation"]
    member = member_reference or (f"Observation/{member_id}" if member_id else None)
    if member:
        resource["hasMember"] = [{"reference": member, "type": "Observation", "display": "Arbeidssituatie"}]
    resource["note"] = [{"text": NOTE}]
    return validated(Observation, resource)


def _observation(
    summary: Mapping[str, Any],
    kind: str,
    profile: str,
    snomed: str,
    display: str,
    title: str,
    base: Optional[str],
    identity: Optional[Identity],
    response_reference: Optional[str],
) -> Dict[str, Any]:
    """What both Observations share: id, profile, narrative, identifier, status, category,
    SNOMED code, subject and performer (the patient), derivedFrom, effective time."""
    resource: Dict[str, Any] = {"resourceType": "Observation"}
    resource_id = observation_ids(summary["summary_id"])[kind]
    if resource_id:
        resource["id"] = resource_id
    resource.update(
        {
            "meta": {"profile": [profile]},
            "text": narrative(title, [work_situation_text(summary)]),
            "identifier": [observation_identifier(summary, kind.replace("_", "-"), base)],
            "status": "final",
            "category": [SOCIAL_HISTORY],
            "code": {"coding": [{"system": SNOMED, "code": snomed, "display": display}], "text": title},
        }
    )
    known = identity if identity is not None and identity.known else None
    if known is not None:
        resource["subject"] = known.patient_reference()
    resource["effectiveDateTime"] = summary["created_at"]
    if known is not None:
        resource["performer"] = [known.patient_reference()]  # reported by the patient
    ref = response_reference or (
        f"QuestionnaireResponse/{summary['summary_id']}" if fhir_id(summary["summary_id"]) else None
    )
    if ref:
        resource["derivedFrom"] = [{"reference": ref, "type": "QuestionnaireResponse"}]
    return resource


def work_situation_text(summary: Mapping[str, Any]) -> str:
    """The zib WorkSituation value: work status, occupation, contract, hours, absence."""
    answers, _ = answers_from_summary(summary)
    in_text = {q["id"] for q in content.questions() if q.get("fhir", {}).get("work_situation")}
    parts = [f"{label}: {text}" for qid, label, text in readback_items(answers) if qid in in_text]
    return ". ".join(parts) + "."


def _work_components(summary: Mapping[str, Any], base: Optional[str]) -> List[Dict[str, Any]]:
    """One component per `fhir.components` entry of questions.yml whose summary value is
    there: a coding (our code plus the standard ones of bot/content/fhir_codes.yml), a
    UCUM quantity or an integer."""
    work = summary.get("work") or {}
    system = code_system_url("summary", base)
    display = dict(summary_codes())
    out = []
    for q, comp in work_components():
        qid = q["id"]
        value = work.get(q["summary"]["field"])
        if comp.get("from"):
            value = value.get(comp["from"]) if isinstance(value, Mapping) else None
        code: Dict[str, Any] = {
            "coding": [{"system": system, "code": comp["code"], "display": display[comp["code"]]}]
        }
        if comp["value"] == "coding":
            if not isinstance(value, str) or value not in content.option_codes(q):
                continue
            code["coding"] += standard_question_codes(qid)
            out.append(
                {
                    "code": code,
                    "valueCodeableConcept": {
                        "coding": [coding(q, value, base)] + standard_option_codes(qid, value)
                    },
                }
            )
        elif value is None:
            continue
        elif comp["value"] == "quantity":
            out.append(
                {
                    "code": code,
                    "valueQuantity": {
                        "value": value,
                        "unit": comp.get("unit") or q["unit"],
                        "system": UCUM,
                        "code": comp["ucum"],
                    },
                }
            )
        else:
            out.append({"code": code, "valueInteger": value})
    return out
