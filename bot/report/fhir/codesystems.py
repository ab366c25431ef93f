"""Our own CodeSystems: one per choice question (the option codes with their Dutch
labels), ``werk-intake-summary`` (Observation component codes) and ``werk-intake-task``
(Task input/output types). No standard system (SNOMED CT, zib) has codes that mean
exactly these answer options, so they are published here at their canonical URLs
(``{base}/CodeSystem/<id>``), served by the web app and bundled with the Questionnaire.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from fhir.resources.codesystem import CodeSystem

from bot import content
from bot.report.fhir.common import (
    QUESTIONNAIRE_VERSION,
    code_system_id,
    code_system_url,
    content_date,
    narrative,
    publisher,
    validated,
)

TASK_CODES: Tuple[Tuple[str, str], ...] = (
    ("werk-intake", "Werk-intake voor de afspraak invullen"),
    ("invitation-code", "Uitnodigingscode voor de patiënt"),
    ("invitation-link", "Link naar de werk-intake voor de patiënt"),
    ("questionnaire-response", "Ingevulde werk-intake"),
    ("appointment", "Afspraak"),
)


@lru_cache(maxsize=None)
def _standard() -> Dict[str, Any]:
    data = content.load("fhir_codes")
    questions = content.require(data, "questions", "fhir_codes")
    known = content.questions_by_id()
    for qid, entry in questions.items():
        if qid not in known:
            raise content.ContentError("fhir_codes.yml", f"unknown question {qid!r}")
        unknown = set(entry.get("options", {})) - set(content.option_codes(known[qid]))
        if unknown:
            raise content.ContentError("fhir_codes.yml", f"{qid} has no option(s) {sorted(unknown)}")
    return questions


def standard_question_codes(question_id: str) -> List[Dict[str, str]]:
    """Standard codings of a question (bot/content/fhir_codes.yml), e.g. LOINC."""
    return [dict(c) for c in _standard().get(question_id, {}).get("codes", [])]


def standard_option_codes(question_id: str, code: str) -> List[Dict[str, str]]:
    """Standard codings of an answer option, e.g. SNOMED CT."""
    return [dict(c) for c in _standard().get(question_id, {}).get("options", {}).get(code, [])]


def _name(code_system: str) -> str:
    return "WerkIntake" + "".join(part.capitalize() for part in code_system.replace("-", "_").split("_"))


def _code_system(
    name: str, title: str, concepts: List[Tuple[str, str]], base: Optional[str], date: str
) -> Dict[str, Any]:
    resource = {
        "resourceType": "CodeSystem",
        "id": code_system_id(name),
        "text": narrative(title, (f"{code}: {display}" for code, display in concepts)),
        "url": code_system_url(name, base),
        "version": QUESTIONNAIRE_VERSION,
        "name": _name(name),
        "title": title,
        "status": "active",
        "experimental": False,
        "date": date,
        "publisher": publisher(),
        "language": "nl",
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": [{"code": code, "display": display} for code, display in concepts],
    }
    return validated(CodeSystem, resource)


def work_components() -> List[Tuple[Dict[str, Any], Dict[str, Any]]]:
    """(question, component) for every zib WorkSituation component (questions.yml
    `fhir.components`), in the order of their summary fields in summary.schema.json."""
    from bot.report.summary import schema

    order = list(schema()["properties"]["work"]["properties"])
    found = [(q, comp) for q in content.questions() for comp in q.get("fhir", {}).get("components", [])]
    return sorted(found, key=lambda qc: order.index(qc[0]["summary"]["field"]))


def summary_codes() -> List[Tuple[str, str]]:
    """The codes of our ``werk-intake-summary`` CodeSystem: one per WorkSituation component."""
    return [(comp["code"], comp["display"]) for _, comp in work_components()]


def question_code_system_names() -> List[str]:
    return [q["id"] for q in content.questions() if q["answer_type"] in ("choice", "multi_choice")]


def code_systems(base: Optional[str] = None) -> List[Dict[str, Any]]:
    """Every CodeSystem we publish, questionnaire order, then summary and task."""
    date = content_date()
    out = []
    for qid in question_code_system_names():
        q = content.question(qid)
        concepts = [(str(o["code"]), o["label"]) for o in q["options"]]
        out.append(_code_system(qid, f"Werk-intake: antwoorden op '{q['text']}'", concepts, base, date))
    out.append(
        _code_system("summary", "Werk-intake: onderdelen van de arbeidssituatie", summary_codes(), base, date)
    )
    out.append(_code_system("task", "Werk-intake: taken en hun gegevens", list(TASK_CODES), base, date))
    return out


def code_system_by_id(resource_id: str, base: Optional[str] = None) -> Optional[Dict[str, Any]]:
    return next((cs for cs in code_systems(base) if cs["id"] == resource_id), None)


def code_system_by_url(url: str, base: Optional[str] = None) -> Optional[Dict[str, Any]]:
    url = url.split("|", 1)[0]
    return next((cs for cs in code_systems(base) if cs["url"] == url), None)
