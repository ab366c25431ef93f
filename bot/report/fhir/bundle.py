"""The transaction Bundle that delivers one summary into the hospital's record:
QuestionnaireResponse, zib WorkSituation and ParticipationInSociety Observations and,
when the intake came from a hospital Task, the completed Task.

Idempotent: every resource is a conditional create on its identifier (``ifNoneExist``),
the Task a conditional update on the hospital's Task identifier, so sending the same
Bundle twice (a retry after a lost answer) stores everything once. Resources refer to
each other by ``urn:uuid`` fullUrls (derived from the summary id, so stable across
retries), which the server replaces by the ids it assigns. The patient is referred to
by identifier (a logical reference: the hospital's own id of the patient is not known to
us), or by the literal reference the hospital gave in its Task.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any, Dict, List, Mapping, Optional

from fhir.resources.bundle import Bundle

from bot.report.fhir.common import validated
from bot.report.fhir.observations import participation_observation, work_situation_observation
from bot.report.fhir.response import Identity, questionnaire_response

_NAMESPACE = uuid.UUID("7d1f2a8e-4f43-4b7c-9b0e-2f1f7a6c9e10")


def _urn(summary_id: str, kind: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{summary_id}/{kind}')}"


def _if_none_exist(resource: Mapping[str, Any]) -> str:
    ident = resource["identifier"]
    ident = ident[0] if isinstance(ident, list) else ident
    return f"identifier={ident['system']}|{ident['value']}"


def _create(resource: Dict[str, Any], full_url: str) -> Dict[str, Any]:
    resource = copy.deepcopy(resource)
    resource.pop("id", None)  # the server assigns ids; we find ours by identifier
    return {
        "fullUrl": full_url,
        "resource": resource,
        "request": {
            "method": "POST",
            "url": resource["resourceType"],
            "ifNoneExist": _if_none_exist(resource),
        },
    }


def transaction_bundle(
    summary: Mapping[str, Any],
    answers: Optional[Mapping[str, Any]] = None,
    identity: Optional[Identity] = None,
    task: Optional[Dict[str, Any]] = None,
    base: Optional[str] = None,
) -> Dict[str, Any]:
    """One transaction Bundle for ``summary``. ``task``: the completed Task resource as the
    hospital should see it (bot/report/fhir/tasks.py), with the hospital's Task identifier."""
    sid = summary["summary_id"]
    qr_url, ws_url, part_url = _urn(sid, "qr"), _urn(sid, "work-situation"), _urn(sid, "participation")
    qr = questionnaire_response(summary, answers, base, identity)
    ws = work_situation_observation(summary, base, identity, response_reference=qr_url)
    part = participation_observation(
        summary, base, identity, response_reference=qr_url, member_reference=ws_url
    )
    entries: List[Dict[str, Any]] = [_create(qr, qr_url), _create(ws, ws_url), _create(part, part_url)]
    if task is not None:
        task = copy.deepcopy(task)
        task.pop("id", None)
        for output in task.get("output", []):
            if "valueReference" in output and output["valueReference"].get("type") == "QuestionnaireResponse":
                output["valueReference"] = {"reference": qr_url, "type": "QuestionnaireResponse"}
        ident = task["identifier"][0]
        entries.append(
            {
                "fullUrl": _urn(sid, "task"),
                "resource": task,
                "request": {"method": "PUT", "url": f"Task?identifier={ident['system']}|{ident['value']}"},
            }
        )
    resource = {"resourceType": "Bundle", "type": "transaction", "entry": entries}
    return validated(Bundle, resource)
