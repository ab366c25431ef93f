"""Enrolling a waiting-room tablet (patient listener):

    GET  /kiosk/inschrijven    form for the tablet code an administrator made at /zorgteam/tablets
    POST /kiosk/inschrijven    valid code -> cookie ``wi_tablet`` (HttpOnly, SameSite=Strict,
                               one year) and on to /kiosk; attempts are rate limited

Only a conversation from a browser with a valid, unrevoked tablet cookie is channel
``tablet`` (bot/web/chat.py binds it; bot/intake/handoff.py reads the binding).
"""

from __future__ import annotations

from sanic import Blueprint, response

from bot.storage import invitations
from bot.web import render, run_sync
from bot.web.chat import TABLET_COOKIE
from bot.web.security import csrf_valid, set_cookie
from bot.web.texts import web_text

ONE_YEAR = 365 * 24 * 3600


def create_tablet_blueprint() -> Blueprint:
    bp = Blueprint("tablet", url_prefix="/kiosk")

    @bp.get("/inschrijven")
    async def form(request):
        return render(request, "patient/enrol.html", error=None)

    @bp.post("/inschrijven")
    async def enrol(request):
        limiter = request.app.ctx.limiter
        if not limiter.allow(request.remote_addr or request.ip or "?", "enrol"):
            return render(request, "patient/enrol.html", status=429, error=limiter.message)
        if not csrf_valid(request):
            return render(request, "patient/enrol.html", status=403, error=web_text("tablet.expired"))
        token = (request.form.get("code") or "").strip()
        tablet_id = await run_sync(invitations.tablet_for_token, token, url=request.app.ctx.repo.url)
        if tablet_id is None:
            return render(request, "patient/enrol.html", status=400, error=web_text("tablet.wrong_token"))
        resp = response.redirect("/kiosk", status=303)
        set_cookie(resp, TABLET_COOKIE, token, secure=request.app.ctx.options.cookie_secure, max_age=ONE_YEAR)
        return resp

    return bp
