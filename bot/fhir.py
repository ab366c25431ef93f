"""FHIR resources for the intake: the published Questionnaire, the QuestionnaireResponse
of one summary, and a zib2020 nl-core-ParticipationInSociety Observation.

FHIR version: fhir.resources 6.5.0 has no separate R4 (4.0.1) package. Its top-level
models (``fhir.resources.questionnaire`` etc.) are FHIR 4.3.0 (R4B); ``fhir.resources.STU3``
and ``.DSTU2`` hold older versions (later major versions of the package moved to R5).
For Questionnaire, QuestionnaireResponse and Observation, R4B made no structural change
to the elements used here, so the JSON below is valid R4 and is checked by parsing it
with the R4B model classes. See docs/summary.md ("FHIR").

The canonical base URL is configurable: argument ``base_url`` or the environment
variable ``WERK_FHIR_BASE_URL`` (default ``https://werk-intake.example.nl/fhir``).
"""
from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta
from typing import Any, Dict, List, Mapping, Optional, Tuple

import fhir.resources
from fhir.resources.observation import Observation
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse

from bot import content
from bot.answer_text import readback_items
from bot.summary import answers_from_summary

FHIR_VERSION = fhir.resources.__fhir_version__  # "4.3.0" (R4B) in fhir.resources 6.5.0
DEFAULT_BASE_URL = "https://werk-intake.example.nl/fhir"
QUESTIONNAIRE_ID = "werk-intake"
QUESTIONNAIRE_VERSION = "1.0"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
PARTICIPATION_PROFILE = "http://nictiz.nl/fhir/StructureDefinition/nl-core-ParticipationInSociety"
WORK_SITUATION_PROFILE = "http://nictiz.nl/fhir/StructureDefinition/nl-core-ParticipationInSociety.WorkSituation"
MIN_VALUE_EXT = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_EXT = "http://hl7.org/fhir/StructureDefinition/maxValue"

ITEM_TYPES = {
    "choice": "choice", "multi_choice": "choice", "yes_no": "boolean", "number": "decimal",
    "scale": "integer", "date_or_duration": "date", "text": "string",
}
WORK_SITUATION_QUESTIONS = ("work_status", "occupation", "employment_type", "hours_per_week",
                            "absence", "absence_since")
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


class NotSimple(Exception):
    """A `when` condition that FHIR enableWhen cannot express."""


# --------------------------------------------------------------------------- URLs

def base_url(base: Optional[str] = None) -> str:
    return (base or os.environ.get("WERK_FHIR_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def questionnaire_url(base: Optional[str] = None) -> str:
    return f"{base_url(base)}/Questionnaire/{QUESTIONNAIRE_ID}"


def code_system_url(question_id: str, base: Optional[str] = None) -> str:
    """One CodeSystem per question (codes such as "yes" mean different things per question)."""
    return f"{base_url(base)}/CodeSystem/{QUESTIONNAIRE_ID}-{question_id.replace('_', '-')}"


def ask_when_extension_url(base: Optional[str] = None) -> str:
    return f"{base_url(base)}/StructureDefinition/ask-when"


# --------------------------------------------------------------------------- Questionnaire

def questionnaire(base: Optional[str] = None) -> Dict[str, Any]:
    """The published Questionnaire (status active); linkId = question id."""
    items = [_question_item(q, base) for q in content.questions()]
    resource = {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": questionnaire_url(base),
        "version": QUESTIONNAIRE_VERSION,
        "name": "WerkIntake",
        "title": "Werk-intake voor de afspraak",
        "status": "active",
        "date": content.questionnaire()["version_date"],
        "language": "nl",
        "description": "Vragen over werk en gezondheid vóór een afspraak in het ziekenhuis "
                       "(module Arbeid in de spreekkamer).",
        "subjectType": ["Patient"],
        "item": items,
    }
    return _validated(Questionnaire, resource)


def _question_item(q: Mapping[str, Any], base: Optional[str]) -> Dict[str, Any]:
    kind = q["answer_type"]
    item: Dict[str, Any] = {"linkId": q["id"], "text": q["text"], "type": ITEM_TYPES[kind]}
    if kind == "multi_choice":
        item["repeats"] = True
        if q.get("other_text"):
            item["type"] = "open-choice"  # free text for "other" goes in as valueString
    if kind in ("choice", "multi_choice"):
        system = code_system_url(q["id"], base)
        item["answerOption"] = [
            {"valueCoding": {"system": system, "code": str(o["code"]), "display": o["label"]}}
            for o in q["options"]
        ]
    if kind in ("number", "scale") and "min" in q:
        value_key = "valueInteger" if kind == "scale" else "valueDecimal"
        item["extension"] = [{"url": MIN_VALUE_EXT, value_key: q["min"]},
                             {"url": MAX_VALUE_EXT, value_key: q["max"]}]
    if kind == "date_or_duration":
        item["item"] = [{"linkId": f"{q['id']}.weeks", "text": "Aantal weken geleden", "type": "integer"}]
    when = q.get("when", "always")
    if when != "always":
        try:
            enable_when, behavior = enable_when_for(when, base)
            item["enableWhen"] = enable_when
            if behavior:
                item["enableBehavior"] = behavior
        except NotSimple:
            item.setdefault("extension", []).append(
                {"url": ask_when_extension_url(base), "valueString": json.dumps(when, ensure_ascii=False)})
    return item


def enable_when_for(cond: Any, base: Optional[str] = None) -> Tuple[List[Dict[str, Any]], Optional[str]]:
    """enableWhen for a simple condition: one fact with allowed values ("any"), or an
    ``all`` of single-value facts ("all"). Raises NotSimple otherwise."""
    named = content.named_conditions()
    while isinstance(cond, str) and cond in named:
        cond = named[cond]
    if isinstance(cond, Mapping) and set(cond) == {"all"}:
        parts = []
        for sub in cond["all"]:
            part, _ = enable_when_for(sub, base)
            if len(part) != 1:
                raise NotSimple(cond)
            parts.extend(part)
        return parts, "all"
    if not isinstance(cond, Mapping) or len(cond) != 1:
        raise NotSimple(cond)
    (fact, values), = cond.items()
    questions = content.questions_by_id()
    if fact not in questions or not isinstance(values, list) or not values:
        raise NotSimple(cond)
    q = questions[fact]
    out = []
    for value in values:
        if q["answer_type"] == "yes_no":
            out.append({"question": fact, "operator": "=", "answerBoolean": bool(value)})
        elif q["answer_type"] in ("choice", "multi_choice"):
            out.append({"question": fact, "operator": "=", "answerCoding": {
                "system": code_system_url(fact, base), "code": str(value)}})
        else:
            raise NotSimple(cond)
    return out, ("any" if len(out) > 1 else None)


# --------------------------------------------------------------------------- QuestionnaireResponse

def questionnaire_response(summary: Mapping[str, Any], answers: Mapping[str, Any],
                           base: Optional[str] = None) -> Dict[str, Any]:
    """A completed QuestionnaireResponse for every answered question (skipped ones are left out)."""
    authored = summary["created_at"]
    items = []
    for q in content.questions():
        value = answers.get(q["id"])
        if value is None:
            continue
        answer = _answers(q, value, answers, authored, base)
        if answer:
            items.append({"linkId": q["id"], "text": q["text"], "answer": answer})
    resource: Dict[str, Any] = {"resourceType": "QuestionnaireResponse"}
    if _FHIR_ID.match(summary["summary_id"]):
        resource["id"] = summary["summary_id"]
    resource.update({
        "identifier": {"system": f"{base_url(base)}/summary-id", "value": summary["summary_id"]},
        "questionnaire": f"{questionnaire_url(base)}|{QUESTIONNAIRE_VERSION}",
        "status": "completed",
        "authored": authored,
        "item": items,
    })
    return _validated(QuestionnaireResponse, resource)


def _answers(q: Mapping[str, Any], value: Any, answers: Mapping[str, Any], authored: str,
             base: Optional[str]) -> List[Dict[str, Any]]:
    kind, qid = q["answer_type"], q["id"]
    if kind in ("choice", "multi_choice"):
        codes = value if isinstance(value, list) else [value]
        out = [{"valueCoding": _coding(q, str(c), base)} for c in codes]
        extra = answers.get(f"{qid}_text")
        if q.get("other_text") and isinstance(extra, str) and extra.strip():
            out.append({"valueString": extra.strip()})
        return out
    if kind == "yes_no":
        return [{"valueBoolean": bool(value)}]
    if kind == "number":
        return [{"valueDecimal": value}]
    if kind == "scale":
        return [{"valueInteger": int(value)}]
    if kind == "date_or_duration":
        return _date_answer(qid, value, authored)
    return [{"valueString": str(value)}]


def _date_answer(qid: str, value: Mapping[str, Any], authored: str) -> List[Dict[str, Any]]:
    """valueDate, with the weeks as a nested answer. Without a stored date the date is
    counted back from `authored` (an estimate, like the patient's "sinds 3 weken")."""
    weeks = value.get("weeks")
    when = value.get("date")
    if not when and weeks is not None:
        when = (datetime.fromisoformat(authored).date() - timedelta(weeks=int(weeks))).isoformat()
    if not when:
        return []
    answer: Dict[str, Any] = {"valueDate": when}
    if weeks is not None:
        answer["item"] = [{"linkId": f"{qid}.weeks", "text": "Aantal weken geleden",
                           "answer": [{"valueInteger": int(weeks)}]}]
    return [answer]


def _coding(q: Mapping[str, Any], code: str, base: Optional[str]) -> Dict[str, str]:
    return {"system": code_system_url(q["id"], base), "code": code,
            "display": content.option_label(q, code)}


# --------------------------------------------------------------------------- Observation

def participation_observation(summary: Mapping[str, Any], base: Optional[str] = None) -> Dict[str, Any]:
    """zib2020 ParticipationInSociety (nl-core-ParticipationInSociety): the grouping
    Observation (SNOMED 314845004) with its WorkSituation / Arbeidssituatie member
    (SNOMED 364703007, valueString in plain Dutch) contained and referenced from
    ``hasMember``, as the Nictiz profile models it. ``subject`` is left to the system
    that knows the patient."""
    created = summary["created_at"]
    work_situation = {
        "resourceType": "Observation",
        "id": "work-situation",
        "meta": {"profile": [WORK_SITUATION_PROFILE]},
        "status": "final",
        "code": {"coding": [{"system": SNOMED, "code": "364703007", "display": "Employment detail"}],
                 "text": "Arbeidssituatie"},
        "effectiveDateTime": created,
        "valueString": work_situation_text(summary),
        "component": _work_components(summary, base),
    }
    if not work_situation["component"]:
        del work_situation["component"]
    resource: Dict[str, Any] = {
        "resourceType": "Observation",
        "meta": {"profile": [PARTICIPATION_PROFILE]},
        "contained": [work_situation],
        "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "social-history", "display": "Social History"}]}],
        "code": {"coding": [{"system": SNOMED, "code": "314845004", "display": "Patient participation status"}],
                 "text": "Participatie in maatschappij"},
        "effectiveDateTime": created,
        "hasMember": [{"reference": "#work-situation", "type": "Observation", "display": "Arbeidssituatie"}],
        "note": [{"text": "Uit de werk-intake vóór de afspraak; gedeeld met toestemming van de patiënt."}],
    }
    if _FHIR_ID.match(summary["summary_id"]):
        resource["id"] = f"participation-{summary['summary_id']}"[:64]
        resource["derivedFrom"] = [{"reference": f"QuestionnaireResponse/{summary['summary_id']}"}]
    return _validated(Observation, resource)


def work_situation_text(summary: Mapping[str, Any]) -> str:
    """The zib WorkSituation value: work status, occupation, contract, hours, absence."""
    answers, _ = answers_from_summary(summary)
    parts = [f"{label}: {text}" for qid, label, text in readback_items(answers)
             if qid in WORK_SITUATION_QUESTIONS]
    return ". ".join(parts) + "."


def _work_components(summary: Mapping[str, Any], base: Optional[str]) -> List[Dict[str, Any]]:
    work = summary.get("work") or {}
    system = f"{base_url(base)}/CodeSystem/{QUESTIONNAIRE_ID}-summary"

    def code(c: str, display: str) -> Dict[str, Any]:
        return {"coding": [{"system": system, "code": c, "display": display}]}

    def coded(qid: str, value: str) -> Dict[str, Any]:
        return {"coding": [_coding(content.question(qid), value, base)]}

    out = [{"code": code("work-status", "Werk"), "valueCodeableConcept": coded("work_status", work["status"])}]
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


# --------------------------------------------------------------------------- helpers

def _validated(model: Any, resource: Dict[str, Any]) -> Dict[str, Any]:
    """Parse with the fhir.resources model (raises pydantic.ValidationError when invalid)."""
    model.parse_obj(resource)
    return resource


def parse(resource: Mapping[str, Any]) -> Any:
    """The fhir.resources model instance of a resource dict (for callers and tests)."""
    return fhir.resources.construct_fhir_element(resource["resourceType"], dict(resource))


__all__ = ["questionnaire", "questionnaire_response", "participation_observation", "parse",
           "questionnaire_url", "code_system_url", "base_url", "FHIR_VERSION"]
