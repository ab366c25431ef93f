"""Care-team pages (Dutch): login, today's list, a summary, the audit log.

    GET  /zorgteam/                       list (?datum=JJJJ-MM-DD, ?afspraak=, ?alle=1)
    GET  /zorgteam/inloggen, POST /zorgteam/inloggen, POST /zorgteam/uitloggen
    GET  /zorgteam/samenvatting/<id>      detail, links to PDF, FHIR, text and HTML
    GET  /zorgteam/samenvatting/<id>/<pdf|fhir|text|html>
    POST /zorgteam/samenvatting/<id>/verwijderen
    GET  /zorgteam/audit                  audit log (?samenvatting=<id>; administrators)
    GET/POST /zorgteam/uitnodigingen, /zorgteam/tablets   see bot/web/careteam_admin.py

All POST forms need the CSRF token; all patient text goes through Jinja2 autoescape.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from sanic import Blueprint, response

from bot.storage.repository import local_today
from bot.web import render, run_sync
from bot.web.api import EXPORT_KINDS, ExportUnavailable, export_response, parse_day
from bot.web.auth import acquire_login_attempt, end_session, login_required, login_succeeded, start_session
from bot.web.security import csrf_valid, rotate_csrf
from bot.web.texts import careteam, careteam_text

# Dutch texts: bot/content/careteam.yml
MSG_CSRF = careteam_text("errors.form_expired")
MSG_GONE = careteam_text("errors.summary_gone")

ACTION_LABELS = careteam()["audit"]["actions"]
CHANNEL_LABELS = careteam()["channels"]


def _answer(question: Optional[Dict[str, Any]], value: Any) -> str:
    """Codes, numbers and lists in Dutch words; free text as typed (escaped later)."""
    if isinstance(value, bool):
        return careteam_text("work_values.yes" if value else "work_values.no")
    if question and (not isinstance(value, str) or question["answer_type"] == "choice"):
        try:
            from bot.report.answer_text import describe_answer

            return describe_answer(question["id"], value)
        except Exception:
            pass
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or careteam_text("work_values.none")
    return str(value)


def work_rows(work: Dict[str, Any]) -> List[Tuple[str, str]]:
    """(Dutch label, Dutch value) for every answered work field, in the order of
    summary.schema.json. Labels and wording come from each question's keys in
    questions.yml (`readback`, `summary.care_team_label`, `summary.care_team_extra_label`);
    the words around them from careteam.yml (`work_values`)."""
    from bot import content
    from bot.content import question_keys as keys
    from bot.report.summary import schema

    rows = []
    for field in schema()["properties"]["work"]["properties"]:
        value = work.get(field)
        owner = keys.summary_field_owner(field)
        if value is None or value == [] or value == "" or owner is None:
            continue
        q, extra = owner
        spec = q["summary"]
        if extra:
            rows.append((spec["care_team_extra_label"], _answer(None, value)))
        elif spec.get("care_team_label"):
            rows.append((spec["care_team_label"], _answer(None, value)))
        elif spec["shape"] == "absence_period" and isinstance(value, dict):
            text = _answer(q, value.get("status"))
            if value.get("since") or value.get("weeks") is not None:
                since = {"date": value.get("since"), "weeks": value.get("weeks")}
                text = careteam_text(
                    "work_values.absent_since",
                    status=text,
                    since=_answer(content.question(spec["since"]), since),
                )
            rows.append((q["readback"], text))
        else:
            rows.append((q["readback"], _answer(q, value)))
    return rows


def consent_rows(body: Dict[str, Any]) -> List[Tuple[str, str]]:
    """(Dutch label, Dutch answer) for the answers kept under "consent" (questions.yml
    `summary.section: consent` with a `care_team_label`; options' `care_team_answer`)."""
    from bot import content
    from bot.content import question_keys as keys

    rows = []
    for q in content.questions():
        spec = q["summary"]
        if spec.get("section") != "consent" or not spec.get("care_team_label"):
            continue
        value = keys.summary_value(body, q["id"])
        if value:
            option: Dict[str, Any] = next((o for o in q.get("options", []) if str(o["code"]) == value), {})
            rows.append((spec["care_team_label"], option.get("care_team_answer", value)))
    return rows


def create_careteam_blueprint() -> Blueprint:
    bp = Blueprint("careteam", url_prefix="/zorgteam")

    @bp.get("/")
    @login_required
    async def summaries(request):
        repo = request.app.ctx.repo
        show_all = request.args.get("alle") == "1"
        code = (request.args.get("afspraak") or "").strip() or None
        error = None
        try:
            day = None if show_all else (parse_day(request.args.get("datum", "")) or local_today())
        except ValueError:
            day, error = local_today(), careteam_text("list.bad_date")
        items = await run_sync(repo.list_summaries, day=day, appointment_code=code)
        await run_sync(
            repo.audit,
            request.ctx.actor,
            "list",
            None,
            f"date={day or 'alle'} appointment_code={code or ''} count={len(items)}",
        )
        return render(
            request,
            "careteam/list.html",
            items=items,
            day=day,
            code=code or "",
            show_all=show_all,
            error=error,
            channels=CHANNEL_LABELS,
        )

    @bp.get("/inloggen")
    async def login_form(request):
        message = careteam_text("login.logged_out") if request.args.get("uit") == "1" else None
        return render(request, "careteam/login.html", message=message, error=None, username="")

    @bp.post("/inloggen")
    async def login(request):
        ctx = request.app.ctx
        username = (request.form.get("username") or "").strip()[:64]
        password = request.form.get("password") or ""
        client = request.remote_addr or request.ip or "?"
        if not csrf_valid(request):
            return render(
                request, "careteam/login.html", status=403, error=MSG_CSRF, message=None, username=username
            )
        if not await acquire_login_attempt(request, username, client):
            await run_sync(
                ctx.repo.audit, f"user:{username or '?'}", "login", None, "geweigerd: te veel pogingen"
            )
            return render(
                request,
                "careteam/login.html",
                status=429,
                message=None,
                username=username,
                error=careteam_text("login.too_many"),
                headers={"Retry-After": "900"},
            )
        if not username or not await run_sync(ctx.repo.verify_password, username, password):
            await run_sync(ctx.repo.audit, f"user:{username or '?'}", "login", None, "mislukt")
            return render(
                request,
                "careteam/login.html",
                status=401,
                message=None,
                username=username,
                error=careteam_text("login.wrong"),
            )
        await login_succeeded(request, username, client)
        await run_sync(ctx.repo.audit, f"user:{username}", "login", None, "gelukt")
        resp = response.redirect("/zorgteam/", status=303)
        await start_session(request, resp, username)
        rotate_csrf(request)
        return resp

    @bp.post("/uitloggen")
    @login_required
    async def logout(request):
        if not csrf_valid(request):
            return render(request, "careteam/error.html", status=403, message=MSG_CSRF)
        await run_sync(request.app.ctx.repo.audit, request.ctx.actor, "logout")
        resp = response.redirect("/zorgteam/inloggen?uit=1", status=303)
        await end_session(request, resp)
        rotate_csrf(request)
        return resp

    @bp.get("/samenvatting/<summary_id:str>")
    @login_required
    async def detail(request, summary_id: str):
        repo = request.app.ctx.repo
        stored = await run_sync(repo.get_summary, summary_id)
        if stored is None:
            return render(request, "careteam/error.html", status=404, message=MSG_GONE)
        await run_sync(repo.audit, request.ctx.actor, "view", stored.id, "html-pagina")
        body = stored.body
        from bot.report.fhir import delivery

        pushed = await run_sync(delivery.state, stored.id, repo.url)
        return render(
            request,
            "careteam/detail.html",
            s=stored,
            body=body,
            pushed=pushed,
            work=work_rows(body.get("work") or {}),
            consent=consent_rows(body),
            channels=CHANNEL_LABELS,
        )

    @bp.get("/samenvatting/<summary_id:str>/<kind:str>")
    @login_required
    async def export(request, summary_id: str, kind: str):
        repo = request.app.ctx.repo
        stored = await run_sync(repo.get_summary, summary_id) if kind in EXPORT_KINDS else None
        if stored is None:
            return render(request, "careteam/error.html", status=404, message=MSG_GONE)
        try:
            resp = await export_response(kind, stored)
        except ExportUnavailable:
            return render(
                request, "careteam/error.html", status=503, message=careteam_text("errors.view_unavailable")
            )
        await run_sync(repo.audit, request.ctx.actor, "export", stored.id, kind)
        return resp

    @bp.post("/samenvatting/<summary_id:str>/verwijderen")
    @login_required
    async def delete(request, summary_id: str):
        if not csrf_valid(request):
            return render(request, "careteam/error.html", status=403, message=MSG_CSRF)
        repo = request.app.ctx.repo
        conversation_id = await run_sync(repo.delete_summary, summary_id, tracker_reason="careteam_request")
        if conversation_id is None:
            return render(request, "careteam/error.html", status=404, message=MSG_GONE)
        await run_sync(repo.audit, request.ctx.actor, "delete", summary_id, "door zorgteam")
        return response.redirect("/zorgteam/", status=303)

    @bp.get("/audit")
    @login_required(role="admin")
    async def audit_log(request):
        summary_id = (request.args.get("samenvatting") or "").strip()[:64] or None
        entries = await run_sync(request.app.ctx.repo.audit_entries, summary_id=summary_id)
        return render(
            request, "careteam/audit.html", entries=entries, summary_id=summary_id or "", labels=ACTION_LABELS
        )

    return bp
