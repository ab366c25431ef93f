"""The QuestionnaireResponse of one consented summary.

Only questions that are *enabled* (bot/report/fhir/enablement.py) given the earlier answers are
answered, so a response never contradicts the Questionnaire's enableWhen. ``identity``
(see ``Identity``) gives subject, author and source: the patient, as identified by the
hospital in the invitation or Task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Dict, List, Mapping, Optional

from fhir.resources.questionnaireresponse import QuestionnaireResponse

from bot import content
from bot.report.fhir import enablement
from bot.report.fhir.common import (
    QUESTIONNAIRE_VERSION,
    SDC_RESPONSE_PROFILE,
    code_system_url,
    fhir_id,
    identifier_system,
    narrative,
    questionnaire_url,
    validated,
)
from bot.report.fhir.questionnaire import CONTEXT_TEXTS, WEEKS_TEXT
from bot.report.summary import answers_from_summary


@dataclass(frozen=True)
class Identity:
    """Who the summary is about, as the hospital named them (invitation or Task)."""

    patient_system: Optional[str] = None
    patient_value: Optional[str] = None
    appointment_system: Optional[str] = None
    appointment_value: Optional[str] = None
    patient_literal: Optional[str] = None  # e.g. the hospital's Patient URL from Task.for
    task_id: Optional[str] = None  # our Task id when the intake came from a FHIR Task

    @property
    def known(self) -> bool:
        return bool(self.patient_value or self.patient_literal)

    def patient_reference(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        if self.patient_literal:
            out["reference"] = self.patient_literal
        out["type"] = "Patient"
        if self.patient_value:
            out["identifier"] = (
                {"system": self.patient_system, "value": self.patient_value}
                if self.patient_system
                else {"value": self.patient_value}
            )
        return out

    @classmethod
    def from_token(cls, token: Optional[str], **kwargs: Any) -> "Identity":
        """``system|value`` (FHIR token form) or a bare value."""
        if not token:
            return cls(**kwargs)
        system, _, value = token.rpartition("|")
        return cls(patient_system=system or None, patient_value=value, **kwargs)

    def appointment_identifier(self) -> Optional[Dict[str, str]]:
        if not self.appointment_value:
            return None
        out = {"value": self.appointment_value}
        if self.appointment_system:
            out["system"] = self.appointment_system
        return out


def summary_identifier(summary: Mapping[str, Any], base: Optional[str] = None) -> Dict[str, str]:
    return {"system": identifier_system("summary-id", base), "value": summary["summary_id"]}


def questionnaire_response(
    summary: Mapping[str, Any],
    answers: Optional[Mapping[str, Any]] = None,
    base: Optional[str] = None,
    identity: Optional[Identity] = None,
) -> Dict[str, Any]:
    """A completed QuestionnaireResponse. ``answers`` are the raw intake answers (stored
    with the summary); without them they are rebuilt from the summary."""
    authored = summary["created_at"]
    if answers is None:
        answers, _ = answers_from_summary(summary)
    context = summary.get("context") or {}
    kept = enablement.enabled_answers(answers, context)
    items: List[Dict[str, Any]] = []
    for fact in enablement.context_items():
        if context.get(fact) is not None:
            items.append(
                {
                    "linkId": fact,
                    "text": CONTEXT_TEXTS[fact],
                    "answer": [_context_answer(fact, context[fact])],
                }
            )
    for q in content.questions():
        if q["id"] not in kept:
            continue
        answer = _answers(q, kept[q["id"]], kept, authored, base)
        if answer:
            items.append({"linkId": q["id"], "text": q["text"], "answer": answer})
    resource: Dict[str, Any] = {"resourceType": "QuestionnaireResponse"}
    if fhir_id(summary["summary_id"]):
        resource["id"] = summary["summary_id"]
    resource.update(
        {
            "meta": {"profile": [SDC_RESPONSE_PROFILE]},
            "text": narrative(
                "Ingevulde werk-intake", [f"{i['text']}: {_answer_text(i['answer'])}" for i in items]
            ),
            "identifier": summary_identifier(summary, base),
            "questionnaire": f"{questionnaire_url(base)}|{QUESTIONNAIRE_VERSION}",
            "status": "completed",
        }
    )
    patient = identity.patient_reference() if identity is not None and identity.known else None
    if patient:
        resource["subject"] = patient
    resource["authored"] = authored
    if patient:  # the patient filled it in themself
        resource["author"] = patient
        resource["source"] = patient
    resource["item"] = items
    return validated(QuestionnaireResponse, resource)


def _context_answer(fact: str, value: Any) -> Dict[str, Any]:
    return {"valueBoolean": value} if isinstance(value, bool) else {"valueString": str(value)}


def _answer_text(answers: List[Dict[str, Any]]) -> str:
    parts = []
    for a in answers:
        if "valueCoding" in a:
            parts.append(a["valueCoding"]["display"])
        elif "valueBoolean" in a:
            parts.append("ja" if a["valueBoolean"] else "nee")
        else:
            parts.append(str(next(v for k, v in a.items() if k.startswith("value"))))
    return ", ".join(parts)


def _answers(
    q: Mapping[str, Any], value: Any, answers: Mapping[str, Any], authored: str, base: Optional[str]
) -> List[Dict[str, Any]]:
    kind, qid = q["answer_type"], q["id"]
    if kind in ("choice", "multi_choice"):
        codes = value if isinstance(value, list) else [value]
        out: List[Dict[str, Any]] = [{"valueCoding": coding(q, str(c), base)} for c in codes]
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
    if not isinstance(value, Mapping):
        return []
    weeks = value.get("weeks")
    when = value.get("date")
    if not when and weeks is not None:
        when = (datetime.fromisoformat(authored).date() - timedelta(weeks=int(weeks))).isoformat()
    if not when:
        return []
    answer: Dict[str, Any] = {"valueDate": when}
    if weeks is not None:
        answer["item"] = [
            {"linkId": f"{qid}.weeks", "text": WEEKS_TEXT, "answer": [{"valueInteger": int(weeks)}]}
        ]
    return [answer]


def coding(q: Mapping[str, Any], code: str, base: Optional[str] = None) -> Dict[str, str]:
    return {"system": code_system_url(q["id"], base), "code": code, "display": content.option_label(q, code)}
