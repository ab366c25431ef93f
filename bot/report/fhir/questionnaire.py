"""The published SDC Questionnaire, generated from bot/content/questions.yml, and the
package Bundle (Questionnaire + CodeSystems) the hospital loads once."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from fhir.resources.bundle import Bundle
from fhir.resources.questionnaire import Questionnaire

from bot import content
from bot.report.fhir import enablement
from bot.report.fhir.codesystems import code_systems, standard_question_codes
from bot.report.fhir.common import (
    EXT_ENTRY_MODE,
    EXT_HIDDEN,
    EXT_ITEM_CONTROL,
    EXT_MAX_VALUE,
    EXT_MIN_VALUE,
    EXT_OPTION_EXCLUSIVE,
    QUESTIONNAIRE_ID,
    QUESTIONNAIRE_VERSION,
    SDC_BEHAVE_PROFILE,
    code_system_url,
    content_date,
    narrative,
    publisher,
    questionnaire_url,
    validated,
)

ITEM_TYPES = {
    "choice": "choice",
    "multi_choice": "choice",
    "yes_no": "boolean",
    "number": "decimal",
    "scale": "integer",
    "date_or_duration": "date",
    "text": "text",
}
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
EXCLUSIVE_CODES = ("none",)  # "Nee, ik merk er niets van", "Nee, geen zorgen"
CONTEXT_TEXTS = {
    "returning_patient": "Vervolgafspraak (ingevuld door het ziekenhuis)",
    "channel": "Kanaal (ingevuld door het systeem)",
    "appointment_code": "Afspraakcode (ingevuld door het ziekenhuis)",
}
WEEKS_TEXT = "Aantal weken geleden"


def questionnaire(base: Optional[str] = None) -> Dict[str, Any]:
    """The Questionnaire (status active); linkId = question id."""
    items = [_context_item(fact) for fact in enablement.context_items()]
    items += [question_item(q, base) for q in content.questions()]
    resource = {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "meta": {"profile": [SDC_BEHAVE_PROFILE]},
        "language": "nl",
        "text": narrative("Werk-intake voor de afspraak", [q["text"] for q in content.questions()]),
        "extension": [{"url": EXT_ENTRY_MODE, "valueCode": "sequential"}],
        "url": questionnaire_url(base),
        "version": QUESTIONNAIRE_VERSION,
        "name": "WerkIntake",
        "title": "Werk-intake voor de afspraak",
        "status": "active",
        "experimental": False,
        "subjectType": ["Patient"],
        "date": content_date(),
        "publisher": publisher(),
        "description": "Vragen over werk en gezondheid vóór een afspraak in het ziekenhuis "
        "(module Arbeid in de spreekkamer). De patiënt beantwoordt ze één voor "
        "één in een gesprek; elke vraag mag worden overgeslagen, behalve de "
        "toestemming.",
        "purpose": "Het zorgteam weet vóór de afspraak hoe het met het werk van de patiënt "
        "gaat en welke hulp past.",
        "jurisdiction": [{"coding": [{"system": "urn:iso:std:iso:3166", "code": "NL"}]}],
        "item": items,
    }
    return validated(Questionnaire, resource)


def _context_item(fact: str) -> Dict[str, Any]:
    return {
        "linkId": fact,
        "text": CONTEXT_TEXTS[fact],
        "type": enablement.CONTEXT_ITEM_TYPES[fact],
        "readOnly": True,
        "extension": [{"url": EXT_HIDDEN, "valueBoolean": True}],
    }


def question_item(q: Mapping[str, Any], base: Optional[str] = None) -> Dict[str, Any]:
    kind = q["answer_type"]
    item: Dict[str, Any] = {"linkId": q["id"]}
    if standard_question_codes(q["id"]):  # bot/content/fhir_codes.yml
        item["code"] = standard_question_codes(q["id"])
    item.update({"text": q["text"], "type": ITEM_TYPES[kind]})
    extensions: List[Dict[str, Any]] = []
    if kind == "multi_choice":
        item["repeats"] = True
        if q.get("other_text"):
            item["type"] = "open-choice"  # the "other" free text goes in as valueString
    if q.get("final"):
        item["required"] = True  # the consent; every other question may be skipped (intake.md §2)
    if kind in ("choice", "multi_choice"):
        system = code_system_url(q["id"], base)
        item["answerOption"] = []
        for o in q["options"]:
            option: Dict[str, Any] = {
                "valueCoding": {"system": system, "code": str(o["code"]), "display": o["label"]}
            }
            if kind == "multi_choice" and str(o["code"]) in EXCLUSIVE_CODES:
                option["extension"] = [{"url": EXT_OPTION_EXCLUSIVE, "valueBoolean": True}]
            item["answerOption"].append(option)
        # buttons, as in the chat: radio buttons for one answer, check boxes for several
        control = "check-box" if kind == "multi_choice" else "radio-button"
        extensions.append(
            {
                "url": EXT_ITEM_CONTROL,
                "valueCodeableConcept": {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": control}]},
            }
        )
    if kind in ("number", "scale") and "min" in q:
        value_key = "valueInteger" if kind == "scale" else "valueDecimal"
        extensions += [
            {"url": EXT_MIN_VALUE, value_key: q["min"]},
            {"url": EXT_MAX_VALUE, value_key: q["max"]},
        ]
    if kind == "date_or_duration":
        item["item"] = [{"linkId": f"{q['id']}.weeks", "text": WEEKS_TEXT, "type": "integer"}]
    enable = enablement.enable_for(q["id"], base)
    extensions += enable.pop("extension", [])
    if extensions:
        item["extension"] = extensions
    item.update(enable)
    return item


def package(base: Optional[str] = None) -> Dict[str, Any]:
    """A collection Bundle: the Questionnaire and every CodeSystem it uses."""
    entries = [questionnaire(base)] + code_systems(base)
    resource = {
        "resourceType": "Bundle",
        "id": f"{QUESTIONNAIRE_ID}-package",
        "type": "collection",
        "entry": [{"fullUrl": r["url"], "resource": r} for r in entries],
    }
    return validated(Bundle, resource)
