"""Care-team pages for invitations (every member) and waiting-room tablets (administrators).

    GET  /zorgteam/uitnodigingen          recent invitations and a form for a new one
    POST /zorgteam/uitnodigingen          create: shows the code and link once
    POST /zorgteam/uitnodigingen/<n>/intrekken
    GET  /zorgteam/tablets                enrolled tablets (administrators)
    POST /zorgteam/tablets                enrol: shows the one-time tablet code
    POST /zorgteam/tablets/<n>/intrekken
    GET  /zorgteam/trechter               completion funnel per question (administrators)
    GET  /zorgteam/trechter.png           its chart (administrators)

A tablet is enrolled once: the administrator creates a tablet code here and types it on
the tablet at ``/kiosk/inschrijven`` (patient chat), which stores it in a cookie. From
then on the chat on that tablet counts as channel ``tablet``.

The funnel page shows what ``make funnel`` last wrote to FUNNEL_DIR (bot/analytics/funnel.py):
counts per question and the chart, never a conversation id or anything a patient wrote.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sanic import Blueprint, response

from bot.storage import invitations
from bot.web import render, run_sync
from bot.web.api import issue_invitation
from bot.web.auth import login_required
from bot.web.careteam import MSG_CSRF
from bot.web.security import csrf_valid


def create_careteam_admin_blueprint() -> Blueprint:
    bp = Blueprint("careteam_admin", url_prefix="/zorgteam")

    async def invitations_page(request, status=200, created=None, error=None):
        items = await run_sync(invitations.list_recent, 50, url=request.app.ctx.repo.url)
        return render(
            request, "careteam/invitations.html", status=status, items=items, created=created, error=error
        )

    @bp.get("/uitnodigingen")
    @login_required
    async def list_invitations(request):
        return await invitations_page(request)

    @bp.post("/uitnodigingen")
    @login_required
    async def create_invitation(request):
        if not csrf_valid(request):
            return render(request, "careteam/error.html", status=403, message=MSG_CSRF)
        try:
            days = int(request.form.get("dagen") or "14")
        except ValueError:
            days = 0
        code = (request.form.get("afspraak") or "").strip()
        patient = (request.form.get("patient") or "").strip() or None
        result = await issue_invitation(request, code, patient, timedelta(days=days))
        if isinstance(result, str):
            return await invitations_page(request, status=400, error=result)
        return await invitations_page(request, created=result)

    async def revoke(request, revoke_fn, row_id: int, action: str, what: str, back: str):
        if not csrf_valid(request):
            return render(request, "careteam/error.html", status=403, message=MSG_CSRF)
        await run_sync(revoke_fn, row_id, url=request.app.ctx.repo.url)
        await run_sync(
            request.app.ctx.repo.audit, request.ctx.actor, action, None, f"{what} ingetrokken: {row_id}"
        )
        return response.redirect(back, status=303)

    @bp.post("/uitnodigingen/<invitation_id:int>/intrekken")
    @login_required
    async def revoke_invitation(request, invitation_id: int):
        return await revoke(
            request, invitations.revoke, invitation_id, "invite", "uitnodiging", "/zorgteam/uitnodigingen"
        )

    async def tablets_page(request, status=200, token=None):
        items = await run_sync(invitations.list_tablets, url=request.app.ctx.repo.url)
        return render(request, "careteam/tablets.html", status=status, items=items, token=token)

    @bp.get("/tablets")
    @login_required(role="admin")
    async def list_tablets(request):
        return await tablets_page(request)

    @bp.post("/tablets")
    @login_required(role="admin")
    async def enrol_tablet(request):
        if not csrf_valid(request):
            return render(request, "careteam/error.html", status=403, message=MSG_CSRF)
        name = (request.form.get("naam") or "").strip()[:64] or "tablet"
        token = await run_sync(
            invitations.enrol_tablet, name, request.ctx.actor, url=request.app.ctx.repo.url
        )
        await run_sync(request.app.ctx.repo.audit, request.ctx.actor, "enrol", None, f"tablet {name}")
        return await tablets_page(request, token=token)

    @bp.post("/tablets/<tablet_id:int>/intrekken")
    @login_required(role="admin")
    async def revoke_tablet(request, tablet_id: int):
        return await revoke(
            request, invitations.revoke_tablet, tablet_id, "enrol", "tablet", "/zorgteam/tablets"
        )

    @bp.get("/trechter")
    @login_required(role="admin")
    async def funnel_page(request):
        from bot import content
        from bot.analytics import funnel
        from bot.analytics.chart import step_label

        found = await run_sync(funnel.load)
        text = content.load_yaml("funnel.yml")
        if found is None:
            return render(request, "careteam/funnel.html", text=text, rows=None)
        rows, totals, mtime = found
        labelled = [dict(r, label=step_label(str(r["question_id"]))) for r in rows]
        return render(
            request,
            "careteam/funnel.html",
            text=text,
            rows=labelled,
            totals=totals,
            made=datetime.fromtimestamp(mtime, timezone.utc),
        )

    @bp.get("/trechter.png")
    @login_required(role="admin")
    async def funnel_chart(request):
        from bot.analytics import funnel

        path = funnel.default_dir() / funnel.CHART_PNG
        if not path.is_file():
            return response.text("", status=404)
        return await response.file(path, mime_type="image/png")

    return bp
