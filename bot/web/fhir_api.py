"""FHIR R4 endpoints on the care-team listener, under ``/fhir`` (docs/fhir.md).

Definitions (no token; they hold no patient data), at their canonical URLs when
``WERK_FHIR_BASE_URL`` is this app's public ``…/fhir``:

    GET  /fhir/metadata                               CapabilityStatement
    GET  /fhir/Questionnaire/werk-intake              the SDC Questionnaire
    GET  /fhir/Questionnaire?url=<canonical>          search by canonical URL (searchset)
    GET  /fhir/Questionnaire/werk-intake/$package     Bundle: Questionnaire + CodeSystems
    GET  /fhir/CodeSystem/<id>, /fhir/CodeSystem?url= our CodeSystems

With a token (``Authorization: Bearer``):

    POST /fhir/Task                                   start an intake (scope invitations:write)
    GET  /fhir/Task/<id>                              its state     (scope invitations:write)
    GET  /fhir/QuestionnaireResponse/<summary id>     the answers   (scope summaries:read)

Errors are OperationOutcomes with a Dutch ``diagnostics`` (a missing or wrong token:
the API's Dutch JSON error, 401/403). Task, QuestionnaireResponse reads are audited.
"""

from __future__ import annotations

import json

from sanic import Blueprint, response

from bot.web import run_sync
from bot.web.auth import api_auth
from bot.web.texts import careteam_text

FHIR_JSON = "application/fhir+json; charset=utf-8"


def fhir_response(resource, status: int = 200, headers=None):
    body = json.dumps(resource, ensure_ascii=False).encode("utf-8")
    return response.raw(body, status=status, content_type=FHIR_JSON, headers=headers)


def outcome(message_nl: str, status: int, code: str = "invalid"):
    return fhir_response(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": message_nl}],
        },
        status,
    )


def searchset(resources):
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [
            {"fullUrl": r.get("url") or r["id"], "resource": r, "search": {"mode": "match"}}
            for r in resources
        ],
    }


def capability_statement():
    from bot.report.fhir.common import content_date, publisher, questionnaire_url

    def rest(kind, interactions, params=()):
        out = {"type": kind, "interaction": [{"code": i} for i in interactions]}
        if params:
            out["searchParam"] = [{"name": p, "type": "uri"} for p in params]
        return out

    return {
        "resourceType": "CapabilityStatement",
        "name": "WerkIntakeServer",
        "status": "active",
        "date": content_date(),
        "publisher": publisher(),
        "description": careteam_text("fhir.server_description"),
        "kind": "instance",
        "software": {"name": "werk-intake"},
        "implementation": {"description": careteam_text("fhir.implementation_description")},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json"],
        "instantiates": [questionnaire_url()],
        "rest": [
            {
                "mode": "server",
                "resource": [
                    rest("Questionnaire", ["read", "search-type"], ["url"]),
                    rest("CodeSystem", ["read", "search-type"], ["url"]),
                    rest("Task", ["create", "read"]),
                    rest("QuestionnaireResponse", ["read"]),
                ],
            }
        ],
    }


def create_fhir_blueprint() -> Blueprint:
    bp = Blueprint("fhir_api", url_prefix="/fhir")

    @bp.get("/metadata")
    async def metadata(request):
        return fhir_response(capability_statement())

    @bp.get("/Questionnaire")
    async def questionnaire_search(request):
        from bot.report.fhir import questionnaire

        q = questionnaire()
        url = request.args.get("url")
        found = [q] if not url or url.split("|")[0] == q["url"] else []
        return fhir_response(searchset(found))

    @bp.get("/Questionnaire/<resource_id:str>")
    async def questionnaire_read(request, resource_id: str):
        from bot.report.fhir import questionnaire

        q = questionnaire()
        if resource_id != q["id"]:
            return outcome(careteam_text("fhir.questionnaire_missing"), 404, "not-found")
        return fhir_response(q)

    @bp.get("/Questionnaire/<resource_id:str>/<operation:str>")
    async def questionnaire_package(request, resource_id: str, operation: str):
        from bot.report.fhir import package, questionnaire

        if operation != "$package":
            return outcome(careteam_text("fhir.unknown_operation"), 404, "not-supported")
        if resource_id != questionnaire()["id"]:
            return outcome(careteam_text("fhir.questionnaire_missing"), 404, "not-found")
        return fhir_response(package())

    @bp.get("/CodeSystem")
    async def code_system_search(request):
        from bot.report.fhir import code_system_by_url, code_systems

        url = request.args.get("url")
        found = code_systems() if not url else [cs for cs in [code_system_by_url(url)] if cs]
        return fhir_response(searchset(found))

    @bp.get("/CodeSystem/<resource_id:str>")
    async def code_system_read(request, resource_id: str):
        from bot.report.fhir import code_system_by_id

        found = code_system_by_id(resource_id)
        if found is None:
            return outcome(careteam_text("fhir.codesystem_missing"), 404, "not-found")
        return fhir_response(found)

    @bp.post("/Task")
    @api_auth(scope="invitations:write")
    async def task_create(request):
        from bot.report.fhir.tasks import TaskError, create_task

        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return outcome(careteam_text("fhir.need_task"), 400, "structure")
        repo = request.app.ctx.repo
        try:
            task = await run_sync(create_task, body, request.ctx.actor, repo.url)
        except TaskError as exc:
            return outcome(str(exc), 400)
        await run_sync(repo.audit, request.ctx.actor, "invite", None, f"fhir-task={task['id']}")
        return fhir_response(task, 201, headers={"Location": f"/fhir/Task/{task['id']}"})

    @bp.get("/Task/<task_id:str>")
    @api_auth(scope="invitations:write")
    async def task_read(request, task_id: str):
        from bot.report.fhir.tasks import task_resource

        task = await run_sync(task_resource, task_id, request.app.ctx.repo.url)
        if task is None:
            return outcome(careteam_text("fhir.task_missing"), 404, "not-found")
        return fhir_response(task)

    @bp.get("/QuestionnaireResponse/<summary_id:str>")
    @api_auth
    async def response_read(request, summary_id: str):
        from bot.report.fhir import questionnaire_response
        from bot.report.fhir.tasks import identity_and_task

        repo = request.app.ctx.repo
        stored = await run_sync(repo.get_summary, summary_id)
        if stored is None:
            return outcome(careteam_text("fhir.response_missing"), 404, "not-found")
        identity, _ = await run_sync(identity_and_task, stored.body, repo.url)
        qr = questionnaire_response(stored.body, stored.answers, identity=identity)
        await run_sync(repo.audit, request.ctx.actor, "export", stored.id, "fhir")
        return fhir_response(qr)

    return bp
