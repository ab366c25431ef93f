"""MedMij-style Task flow (docs/fhir.md, "Task flow").

The hospital POSTs a FHIR ``Task`` (the invitation: who, which appointment, until when)
to ``/fhir/Task``. We create an appointment invitation (bot/storage/invitations.py) and
answer with the Task, status ``ready``, whose ``output`` carries the patient's code and
link (shown once: only its hash is stored). The Task then follows the intake:

- ``in-progress``: the patient opened the invitation;
- ``completed``: the patient consented; ``output`` refers to the QuestionnaireResponse
  (``GET /fhir/QuestionnaireResponse/<id>``, and pushed into the record when configured);
- ``rejected``: the patient declined to share (nothing is stored);
- ``cancelled``: the invitation expired, or was revoked, before a summary came.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any, Dict, Optional, Tuple

import sqlalchemy as sa
from fhir.resources.task import Task
from pydantic import ValidationError

from bot.report.fhir.codesystems import TASK_CODES
from bot.report.fhir.common import (
    base_url,
    code_system_url,
    identifier_system,
    narrative,
    questionnaire_url,
    validated,
)
from bot.report.fhir.response import Identity
from bot.storage import db, hashing
from bot.storage.models import ConversationBinding, FhirTask, Invitation, utcnow

logger = logging.getLogger(__name__)

DEFAULT_EXPIRES_IN = timedelta(days=14)
DECLINED_NL = "De patiënt gaf geen toestemming om de antwoorden te delen."
EXPIRED_NL = "De uitnodiging is verlopen of ingetrokken voordat de patiënt de vragen beantwoordde."
TASK_DISPLAY = dict(TASK_CODES)


class TaskError(ValueError):
    """A Task we cannot accept; the message is Dutch, for the hospital's developers."""


# --------------------------------------------------------------------------- create


def create_task(
    body: Any,
    actor: str,
    url: Optional[str] = None,
    base: Optional[str] = None,
    now: Optional[datetime] = None,
) -> Dict[str, Any]:
    """Accept the hospital's Task: returns our Task (with the invitation code, once)."""
    from bot.storage import invitations

    if not isinstance(body, dict) or body.get("resourceType") != "Task":
        raise TaskError("Stuur een FHIR Task (resourceType Task) als JSON.")
    try:
        Task.parse_obj(body)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0].get("loc", ()) if p != "__root__")
        raise TaskError(
            f"De Task is geen geldige FHIR-resource ({len(exc.errors())} fout(en), "
            f"eerste bij {where or 'Task'})."
        ) from exc
    if body.get("status") not in ("requested", "ready"):
        raise TaskError("Task.status moet 'requested' zijn.")
    patient, reference = _patient(body)
    appointment = _appointment(body)
    now = now or utcnow()
    expires_at = _expires_at(body, now)
    ident = (body.get("identifier") or [{}])[0]
    try:
        code = invitations.create(appointment, patient, expires_at - now, f"fhir:{actor}"[:128], url=url)
    except ValueError as exc:
        raise TaskError(
            "De afspraakcode heeft 1 tot 64 letters, cijfers, _ of -; de "
            "geldigheid is 5 minuten tot 90 dagen."
        ) from exc
    digest = hashing.sha256_hex(invitations.normalise(code))
    task_id = uuid.uuid4().hex
    with db.session_scope(url) as s:
        invitation_id = s.execute(sa.select(Invitation.id).where(Invitation.code_sha256 == digest)).scalar()
        s.add(
            FhirTask(
                id=task_id,
                identifier_system=ident.get("system"),
                identifier_value=ident.get("value"),
                invitation_id=invitation_id,
                status="ready",
                patient=patient,
                patient_reference=reference,
                appointment_code=appointment,
                body=body,
                source=actor[:128],
                created_at=now,
                updated_at=now,
                expires_at=expires_at,
            )
        )
    resource = task_resource(task_id, url, base)
    assert resource is not None  # stored just above
    resource["output"] = [
        _output("invitation-code", {"valueString": code}, base),
        _output("invitation-link", {"valueString": invitations.link_path(code)}, base),
    ]
    return validated(Task, resource)


def _patient(body: Dict[str, Any]) -> Tuple[Optional[str], Optional[str]]:
    who = body.get("for") or {}
    ident = who.get("identifier") or {}
    value = ident.get("value")
    token = f"{ident['system']}|{value}" if value and ident.get("system") else value
    if token and len(token) > 128:
        raise TaskError("Task.for.identifier is te lang (meer dan 128 tekens).")
    reference = who.get("reference")
    if not token and not reference:
        raise TaskError("Task.for moet de patiënt noemen (identifier met system en value).")
    return token, reference


def _appointment(body: Dict[str, Any]) -> str:
    for item in body.get("input") or []:
        codes = {c.get("code") for c in (item.get("type") or {}).get("coding") or []}
        if "appointment" in codes:
            value = item.get("valueString") or (item.get("valueIdentifier") or {}).get("value")
            if value:
                return str(value)
    raise TaskError(
        "Geef de afspraak mee als Task.input met type 'appointment' "
        f"({code_system_url('task')}) en valueString of valueIdentifier."
    )


def _expires_at(body: Dict[str, Any], now: datetime) -> datetime:
    end = ((body.get("restriction") or {}).get("period") or {}).get("end")
    if not end:
        return now + DEFAULT_EXPIRES_IN
    try:
        moment = datetime.fromisoformat(str(end).replace("Z", "+00:00"))
    except ValueError as exc:
        raise TaskError("Task.restriction.period.end is geen geldige datum-tijd.") from exc
    if moment.tzinfo is None:
        raise TaskError("Task.restriction.period.end heeft een tijdzone nodig.")
    return moment


# --------------------------------------------------------------------------- state


def task_resource(
    task_id: str, url: Optional[str] = None, base: Optional[str] = None, now: Optional[datetime] = None
) -> Optional[Dict[str, Any]]:
    """Our Task as the hospital sees it now (None when unknown)."""
    now = now or utcnow()
    with db.session_scope(url) as s:
        row = s.get(FhirTask, task_id)
        if row is None:
            return None
        invitation = s.get(Invitation, row.invitation_id) if row.invitation_id else None
        return _resource(row, invitation, now, base)


def _status(row: FhirTask, invitation: Optional[Invitation], now: datetime) -> str:
    if row.status in ("completed", "rejected"):
        return row.status
    if invitation is not None and invitation.redeemed_at is not None:
        return "in-progress"
    if row.expires_at <= now or (invitation is not None and invitation.revoked):
        return "cancelled"
    return "ready"


def _resource(
    row: FhirTask, invitation: Optional[Invitation], now: datetime, base: Optional[str]
) -> Dict[str, Any]:
    status = _status(row, invitation, now)
    identifiers = [{"system": identifier_system("task-id", base), "value": row.id}]
    if row.identifier_value:
        hospital = {"value": row.identifier_value}
        if row.identifier_system:
            hospital = {"system": row.identifier_system, "value": row.identifier_value}
        identifiers.insert(0, hospital)
    identity = Identity.from_token(row.patient, patient_literal=row.patient_reference)
    resource: Dict[str, Any] = {
        "resourceType": "Task",
        "id": row.id,
        "text": narrative(f"Werk-intake voor afspraak {row.appointment_code}: {status}"),
        "identifier": identifiers,
        "instantiatesCanonical": f"{questionnaire_url(base)}",
        "status": status,
    }
    if status == "rejected":
        resource["statusReason"] = {"text": DECLINED_NL}
    elif status == "cancelled":
        resource["statusReason"] = {"text": EXPIRED_NL}
    resource.update(
        {
            "intent": "order",
            "code": {
                "coding": [
                    {
                        "system": code_system_url("task", base),
                        "code": "werk-intake",
                        "display": TASK_DISPLAY["werk-intake"],
                    }
                ]
            },
            "focus": {"reference": questionnaire_url(base), "type": "Questionnaire"},
            "for": identity.patient_reference(),
            "authoredOn": _iso(row.created_at),
            "lastModified": _iso(row.updated_at),
            "restriction": {"period": {"end": _iso(row.expires_at)}},
            "input": [_output("appointment", {"valueString": row.appointment_code}, base)],
        }
    )
    if row.body.get("requester"):
        resource["requester"] = row.body["requester"]
    if status == "completed" and row.summary_id:
        resource["output"] = [
            _output(
                "questionnaire-response",
                {
                    "valueReference": {
                        "reference": f"{base_url(base)}/QuestionnaireResponse/{row.summary_id}",
                        "type": "QuestionnaireResponse",
                        "identifier": {
                            "system": identifier_system("summary-id", base),
                            "value": row.summary_id,
                        },
                    }
                },
                base,
            )
        ]
    return resource


def _output(code: str, value: Dict[str, Any], base: Optional[str]) -> Dict[str, Any]:
    return {
        "type": {
            "coding": [{"system": code_system_url("task", base), "code": code, "display": TASK_DISPLAY[code]}]
        },
        **value,
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


# --------------------------------------------------------------------------- events


def _task_for_conversation(s, conversation_id: Optional[str]) -> Optional[FhirTask]:
    binding = s.get(ConversationBinding, (conversation_id or "")[:255])
    if binding is None or binding.invitation_id is None:
        return None
    return s.execute(sa.select(FhirTask).where(FhirTask.invitation_id == binding.invitation_id)).scalar()


def on_summary_stored(summary: Dict[str, Any], url: Optional[str] = None) -> Optional[str]:
    """The patient consented: the Task of their invitation is completed."""
    with db.session_scope(url) as s:
        row = _task_for_conversation(s, summary.get("conversation_id"))
        if row is None or row.status == "completed":
            return None
        row.status, row.summary_id, row.updated_at = "completed", summary["summary_id"], utcnow()
        return row.id


def on_declined(conversation_id: str, url: Optional[str] = None) -> Optional[str]:
    """The patient declined to share: the Task is rejected (nothing else is kept)."""
    with db.session_scope(url) as s:
        row = _task_for_conversation(s, conversation_id)
        if row is None or row.status in ("completed", "rejected"):
            return None
        row.status, row.updated_at = "rejected", utcnow()
        return row.id


def identity_and_task(
    summary: Dict[str, Any], url: Optional[str] = None, base: Optional[str] = None
) -> Tuple[Optional[Identity], Optional[Dict[str, Any]]]:
    """Who the summary is about (from its Task or invitation), and the completed Task to
    send along (with the hospital's Task identifier), if it came from a Task."""
    with db.session_scope(url) as s:
        row = s.execute(sa.select(FhirTask).where(FhirTask.summary_id == summary["summary_id"])).scalar()
        if row is not None:
            invitation = s.get(Invitation, row.invitation_id) if row.invitation_id else None
            identity = Identity.from_token(
                row.patient,
                patient_literal=row.patient_reference,
                appointment_value=row.appointment_code,
                task_id=row.id,
            )
            return identity, _resource(row, invitation, utcnow(), base)
        binding = s.get(ConversationBinding, str(summary.get("conversation_id") or "")[:255])
        invitation = s.get(Invitation, binding.invitation_id) if binding and binding.invitation_id else None
        if invitation is not None and invitation.patient_identifier:
            return Identity.from_token(
                invitation.patient_identifier, appointment_value=invitation.appointment_code
            ), None
    return None, None
