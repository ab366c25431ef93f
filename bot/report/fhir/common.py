"""Shared FHIR constants, canonical URLs and helpers (see docs/fhir.md).

Two different base URLs exist:

- the *canonical* base (``WERK_FHIR_BASE_URL``, default
  ``https://werk-intake.example.nl/fhir``): where our own definitions (Questionnaire,
  CodeSystems) live; the web app serves them under ``/fhir`` so that base must point at
  the public address of this app's ``/fhir``;
- the hospital's FHIR server to push to (``WERK_FHIR_PUSH_URL``, bot/report/fhir/delivery.py).
"""

from __future__ import annotations

import html
import os
import re
from typing import Any, Dict, Iterable, Mapping, Optional

import fhir.resources

FHIR_VERSION = fhir.resources.__fhir_version__  # "4.3.0" (R4B) in fhir.resources 6.5.0
DEFAULT_BASE_URL = "https://werk-intake.example.nl/fhir"
DEFAULT_PUBLISHER = "Werk-intake (Arbeid in de spreekkamer)"
QUESTIONNAIRE_ID = "werk-intake"
QUESTIONNAIRE_VERSION = "1.0"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
XHTML_NS = "http://www.w3.org/1999/xhtml"

PARTICIPATION_PROFILE = "http://nictiz.nl/fhir/StructureDefinition/nl-core-ParticipationInSociety"
WORK_SITUATION_PROFILE = (
    "http://nictiz.nl/fhir/StructureDefinition/nl-core-ParticipationInSociety.WorkSituation"
)
SDC_BEHAVE_PROFILE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-behave"
SDC_RESPONSE_PROFILE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaireresponse"

EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
EXT_HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
EXT_ENTRY_MODE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-entryMode"
EXT_ENABLE_WHEN_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)
EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"

_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def base_url(base: Optional[str] = None) -> str:
    return (base or os.environ.get("WERK_FHIR_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def content_date() -> str:
    """The date of the question content (questions.yml ``version_date``; older files:
    ``checked``): Questionnaire.date and CodeSystem.date."""
    from bot import content

    data = content.questionnaire()
    return str(data.get("version_date") or data["checked"])


def publisher() -> str:
    return os.environ.get("WERK_FHIR_PUBLISHER") or DEFAULT_PUBLISHER


def questionnaire_url(base: Optional[str] = None) -> str:
    return f"{base_url(base)}/Questionnaire/{QUESTIONNAIRE_ID}"


def code_system_id(name: str) -> str:
    """``werk-intake-<name>`` with hyphens: a valid FHIR id and the tail of the URL."""
    return f"{QUESTIONNAIRE_ID}-{name.replace('_', '-')}"


def code_system_url(name: str, base: Optional[str] = None) -> str:
    """One CodeSystem per question (codes such as "yes" mean different things per
    question), plus ``summary`` (Observation components) and ``task`` (Task codes)."""
    return f"{base_url(base)}/CodeSystem/{code_system_id(name)}"


def identifier_system(kind: str, base: Optional[str] = None) -> str:
    """Our identifier systems: ``summary-id`` (QuestionnaireResponse, Observations)."""
    return f"{base_url(base)}/NamingSystem/{kind}"


def fhir_id(value: str) -> Optional[str]:
    return value if isinstance(value, str) and _FHIR_ID.match(value) else None


def narrative(title: str, lines: Iterable[str] = ()) -> Dict[str, str]:
    """A generated narrative: a heading and a list, every text escaped."""
    body = f"<p><b>{html.escape(title)}</b></p>"
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    if items:
        body += f"<ul>{items}</ul>"
    return {"status": "generated", "div": f'<div xmlns="{XHTML_NS}">{body}</div>'}


def validated(model: Any, resource: Dict[str, Any]) -> Dict[str, Any]:
    """Parse with the fhir.resources model (raises pydantic.ValidationError when invalid)."""
    model.parse_obj(resource)
    return resource


def parse(resource: Mapping[str, Any]) -> Any:
    """The fhir.resources model instance of a resource dict (for callers and tests)."""
    return fhir.resources.construct_fhir_element(resource["resourceType"], dict(resource))
