"""Care-team API (spec intake.md §5), every call with ``Authorization: Bearer <token>``.

    GET /api/v1/summaries                 list (?date=YYYY-MM-DD, ?appointment_code=, ?limit=)
    GET /api/v1/summaries/<id>            the summary JSON (summary.schema.json)
    GET /api/v1/summaries/<id>/fhir       FHIR R4 QuestionnaireResponse
    GET /api/v1/summaries/<id>/delivery   push into the hospital's FHIR record (docs/fhir.md)
    GET /api/v1/summaries/<id>/text       readable Dutch text (text/plain; charset=utf-8)
    GET /api/v1/summaries/<id>/html       readable Dutch HTML page
    GET /api/v1/summaries/<id>/pdf        one-page Dutch PDF
    POST /api/v1/invitations              create an appointment invitation (scope
                                          invitations:write; see docs/security.md)

No valid token: 401; a token without the scope: 403; unknown id: 404; errors are ``{"error": "<Dutch>", "status": n}``.
Every list, view and export is written to the audit log.
"""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta

from sanic import Blueprint, response

from bot.runtime.logsafe import log_failure
from bot.storage.repository import StoredSummary
from bot.web import json_error, run_sync
from bot.web.auth import api_auth
from bot.web.security import CSP_DOCUMENT
from bot.web.texts import careteam_text

logger = logging.getLogger(__name__)

MSG_NOT_FOUND = careteam_text("api.summary_not_found")  # Dutch texts: bot/content/careteam.yml
MSG_UNAVAILABLE = careteam_text("errors.view_unavailable")
MSG_BAD_DATE = careteam_text("api.bad_date")
EXPORT_KINDS = ("fhir", "text", "html", "pdf")


class ExportUnavailable(Exception):
    """The module that renders this export is missing or failed."""


def _render_export(kind: str, stored: StoredSummary):
    """(body, content type) of one export; runs in a worker thread."""
    try:
        if kind == "fhir":
            from bot.report.fhir import questionnaire_response
            from bot.report.fhir.tasks import identity_and_task

            identity, _ = identity_and_task(stored.body)
            data = questionnaire_response(stored.body, stored.answers, identity=identity)
            return json.dumps(data, ensure_ascii=False), "application/fhir+json; charset=utf-8"
        from bot.report import summary_text

        if kind == "text":
            return summary_text.care_team_text(stored.body), "text/plain; charset=utf-8"
        if kind == "html":
            return summary_text.care_team_html(stored.body), "text/html; charset=utf-8"
        if kind == "pdf":
            return summary_text.care_team_pdf(stored.body), "application/pdf"
    except ImportError as exc:
        raise ExportUnavailable(kind) from exc
    except Exception as exc:  # a bug in a renderer must not leak details to the client
        log_failure(logger, "export %s failed for a summary", exc, kind)
        raise ExportUnavailable(kind) from exc
    raise ValueError(kind)


async def export_response(kind: str, stored: StoredSummary):
    """The HTTP response for an export (shared by the API and the care-team pages)."""
    body, content_type = await run_sync(_render_export, kind, stored)
    headers = {}
    if kind == "pdf":
        headers["Content-Disposition"] = f'attachment; filename="werk-samenvatting-{stored.id}.pdf"'
    elif kind == "html":
        headers["Content-Security-Policy"] = CSP_DOCUMENT
    if isinstance(body, str):
        body = body.encode("utf-8")
    return response.raw(body, content_type=content_type, headers=headers)


def parse_day(value):
    """``YYYY-MM-DD`` or empty -> date or None; ValueError otherwise."""
    return date.fromisoformat(value) if value else None


def create_api_blueprint() -> Blueprint:
    bp = Blueprint("careteam_api", url_prefix="/api/v1")

    @bp.get("/summaries")
    @api_auth
    async def list_summaries(request):
        repo = request.app.ctx.repo
        try:
            day = parse_day(request.args.get("date", ""))
        except ValueError:
            return json_error(MSG_BAD_DATE, 400)
        try:
            limit = max(1, min(int(request.args.get("limit", "500")), 1000))
        except ValueError:
            return json_error(careteam_text("api.bad_limit"), 400)
        code = request.args.get("appointment_code") or None
        items = await run_sync(repo.list_summaries, day=day, appointment_code=code, limit=limit)
        detail = f"date={day or ''} appointment_code={code or ''} count={len(items)}"
        await run_sync(repo.audit, request.ctx.actor, "list", None, detail)
        from bot.report.fhir import delivery

        pushed = await run_sync(delivery.states, [s.id for s in items], repo.url)
        listed = [dict(s.info(), fhir_delivery=pushed.get(s.id)) for s in items]
        return response.json({"count": len(items), "summaries": listed}, ensure_ascii=False)

    @bp.get("/summaries/<summary_id:str>")
    @api_auth
    async def get_summary(request, summary_id: str):
        repo = request.app.ctx.repo
        stored = await run_sync(repo.get_summary, summary_id)
        if stored is None:
            return json_error(MSG_NOT_FOUND, 404)
        await run_sync(repo.audit, request.ctx.actor, "view", stored.id, "json")
        return response.json(stored.body, ensure_ascii=False)

    @bp.get("/summaries/<summary_id:str>/<kind:str>")
    @api_auth
    async def export(request, summary_id: str, kind: str):
        repo = request.app.ctx.repo
        if kind == "delivery":
            return await delivery_state(request, summary_id)
        if kind not in EXPORT_KINDS:
            return json_error(careteam_text("api.unknown_view"), 404)
        stored = await run_sync(repo.get_summary, summary_id)
        if stored is None:
            return json_error(MSG_NOT_FOUND, 404)
        try:
            resp = await export_response(kind, stored)
        except ExportUnavailable:
            return json_error(MSG_UNAVAILABLE, 503)
        await run_sync(repo.audit, request.ctx.actor, "export", stored.id, kind)
        return resp

    @bp.post("/invitations")
    @api_auth(scope="invitations:write")
    async def create_invitation(request):
        """``{"appointment_code", "patient_identifier"?, "expires_in_hours"?}`` -> 201
        ``{"code", "link", "appointment_code", "expires_at"}`` (the code is shown once)."""
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            return json_error(careteam_text("api.need_json"), 400)
        hours = data.get("expires_in_hours", 14 * 24)
        if isinstance(hours, bool) or not isinstance(hours, (int, float)):
            return json_error(careteam_text("api.hours_number"), 400)
        result = await issue_invitation(
            request, data.get("appointment_code"), data.get("patient_identifier"), timedelta(hours=hours)
        )
        if isinstance(result, str):
            return json_error(result, 400)
        return response.json(result, status=201, ensure_ascii=False)

    return bp


async def delivery_state(request, summary_id: str):
    """``GET /summaries/<id>/delivery``: the push into the hospital's record (null: not
    pushed, e.g. no FHIR server configured or no patient identifier)."""
    from bot.report.fhir import delivery

    repo = request.app.ctx.repo
    stored = await run_sync(repo.get_summary, summary_id)
    if stored is None:
        return json_error(MSG_NOT_FOUND, 404)
    state = await run_sync(delivery.state, stored.id, repo.url)
    return response.json({"summary_id": stored.id, "fhir_delivery": state}, ensure_ascii=False)


async def issue_invitation(request, appointment_code, patient_identifier, expires_in):
    """Create and audit an invitation; a dict for the caller, or a Dutch error message."""
    from bot.storage import invitations

    try:
        code = await run_sync(
            invitations.create,
            appointment_code,
            patient_identifier,
            expires_in,
            request.ctx.actor,
            url=request.app.ctx.repo.url,
        )
    except ValueError:
        return careteam_text("api.bad_invitation")
    await run_sync(
        request.app.ctx.repo.audit, request.ctx.actor, "invite", None, f"appointment_code={appointment_code}"
    )
    from bot.storage.models import utcnow

    return {
        "code": code,
        "link": invitations.link_path(code),
        "appointment_code": appointment_code,
        "expires_at": (utcnow() + expires_in).isoformat(),
    }
