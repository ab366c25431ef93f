"""The patient's own copy, opened with the secret key the web chat gave them.

    GET    /mijn-samenvatting/<id>                  with the cookie: the copy; else a page
                                                    that reads the key from the URL fragment
                                                    (#sleutel=<key>) and exchanges it
    POST   /mijn-samenvatting/<id>/openen           form: key, csrf_token -> cookie, 303
    POST   /mijn-samenvatting/<id>/verwijderen      form: csrf_token (and the cookie) -> removed
    DELETE /mijn-samenvatting/<id>[/verwijderen]    key in the JSON body {"key": ...} or the
                                                    header X-Patient-Key -> {"deleted": true}

The key is never in a query string (proxies log those) and never in Rasa's tracker (the
chat gets it from ``Repository.issue_patient_key``). The key expires after
PATIENT_KEY_DAYS; the cookie it is exchanged for (``wi_copy``, signed, HttpOnly,
SameSite=Strict, path of this summary only) after PATIENT_COOKIE_MINUTES. Only a SHA-256
of the key is stored. A wrong key and an unknown id give the same 404; key attempts are
rate limited per address. Removal deletes the summary and queues deletion of the Rasa
conversation; a removal that cannot be done says so (503), it never pretends.
"""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import quote

from sanic import Blueprint, response

from bot.web import json_error, render, run_sync
from bot.web.security import CSP_DOCUMENT, clear_cookie, csrf_valid, set_cookie
from bot.web.texts import web_text

logger = logging.getLogger(__name__)

COPY_COOKIE = "wi_copy"
# Dutch texts: bot/content/web.yml (patient)
MSG_NOT_FOUND = web_text("patient.not_found")
MSG_FAILED = web_text("patient.remove_failed")
_BODY_RE = re.compile(r"<body[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)
_STYLE_RE = re.compile(r"<style[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)


def patient_copy_path(summary_id: str, key: str) -> str:
    """The path to give the patient (prefix it with the public base URL of the web app)."""
    return f"/mijn-samenvatting/{quote(summary_id, safe='')}#sleutel={quote(key, safe='')}"


def _patient_html(body):
    """(inline styles, body content) of bot.report.summary_text.patient_html, which escapes all
    patient text; its styles are static CSS from its own template."""
    from bot.report.summary_text import patient_html

    html = patient_html(body)
    match = _BODY_RE.search(html)
    if not match:
        return [], html
    head = html[: match.start()]
    return _STYLE_RE.findall(head), match.group(1)


def _cookie_path(summary_id: str) -> str:
    return f"/mijn-samenvatting/{quote(summary_id, safe='')}"


def _has_cookie(request, summary_id: str) -> bool:
    body = request.app.ctx.signer.unsign("copy", request.cookies.get(COPY_COOKIE))
    return bool(body) and body.get("s") == summary_id


def _message(request, status: int, title_key: str, message: str):
    """The patient's message page (not found, expired, failed, ...)."""
    return render(request, "patient/message.html", status=status, title=web_text(title_key), message=message)


def _not_found(request, status=404):
    return _message(request, status, "patient.not_found_title", MSG_NOT_FOUND)


def _limited(request):
    limiter = request.app.ctx.limiter
    if limiter.allow(request.remote_addr or request.ip or "?", "patient_copy"):
        return None
    return render(
        request,
        "patient/message.html",
        status=429,
        title=web_text("patient.wait_title"),
        message=limiter.message,
        headers={"Retry-After": "60"},
    )


def create_patient_blueprint() -> Blueprint:
    bp = Blueprint("patient_copy", url_prefix="/mijn-samenvatting")

    @bp.get("/<summary_id:str>")
    async def show(request, summary_id: str):
        if not _has_cookie(request, summary_id):
            return render(request, "patient/open.html", summary_id=summary_id)
        stored = await run_sync(request.app.ctx.repo.patient_summary, summary_id)
        if stored is None:
            return _not_found(request)
        try:
            styles, content = await run_sync(_patient_html, stored.body)
        except Exception as exc:  # noqa: BLE001
            logger.error("patient_html failed: %s", type(exc).__name__)
            return _message(request, 503, "patient.unavailable_title", web_text("patient.unavailable"))
        await run_sync(request.app.ctx.repo.audit, "patient", "view", stored.id, "eigen kopie")
        return render(
            request,
            "patient/summary.html",
            summary_html=content,
            styles=styles,
            summary_id=stored.id,
            headers={"Content-Security-Policy": CSP_DOCUMENT},
        )

    @bp.post("/<summary_id:str>/openen")
    async def open_copy(request, summary_id: str):
        limited = _limited(request)
        if limited is not None:
            return limited
        if not csrf_valid(request):
            return _message(request, 403, "patient.failed_title", web_text("patient.expired_open"))
        key = (request.form.get("key") or "").strip()
        stored = await run_sync(request.app.ctx.repo.summary_for_patient, summary_id, key)
        if stored is None:
            return _not_found(request)
        options = request.app.ctx.options
        max_age = int(options.patient_cookie_minutes * 60)
        resp = response.redirect(_cookie_path(stored.id), status=303)
        set_cookie(
            resp,
            COPY_COOKIE,
            request.app.ctx.signer.sign("copy", {"s": stored.id}, max_age),
            secure=options.cookie_secure,
            max_age=max_age,
            path=_cookie_path(stored.id),
        )
        return resp

    async def _delete(request, stored) -> bool:
        repo = request.app.ctx.repo
        try:
            await run_sync(repo.delete_summary, stored.id, tracker_reason="patient_request")
        except Exception as exc:  # noqa: BLE001 - loud: logged and told, never "done"
            logger.error("patient removal failed: %s", type(exc).__name__)
            return False
        await run_sync(repo.audit, "patient", "delete", stored.id, "door patiënt")
        return True

    @bp.post("/<summary_id:str>/verwijderen")
    async def remove_form(request, summary_id: str):
        if not csrf_valid(request):
            return _message(request, 403, "patient.failed_title", web_text("patient.expired_remove"))
        if not _has_cookie(request, summary_id):
            return _not_found(request)
        stored = await run_sync(request.app.ctx.repo.patient_summary, summary_id)
        if stored is None:
            return _not_found(request)
        if not await _delete(request, stored):
            return _message(request, 503, "patient.failed_title", MSG_FAILED)
        resp = render(
            request,
            "patient/message.html",
            title=web_text("patient.removed_title"),
            message=web_text("patient.removed"),
        )
        clear_cookie(resp, COPY_COOKIE, secure=request.app.ctx.options.cookie_secure)
        return resp

    # Sanic types its route decorator's result as handler or (route, handler): stacked, mypy
    # sees the tuple; at run time the handler is returned.
    @bp.delete("/<summary_id:str>", name="remove_api_short", ignore_body=False)  # type: ignore[arg-type]
    @bp.delete("/<summary_id:str>/verwijderen", name="remove_api", ignore_body=False)
    async def remove_api(request, summary_id: str):
        limited = _limited(request)
        if limited is not None:
            return json_error(request.app.ctx.limiter.message, 429)
        key = request.headers.get("x-patient-key", "")
        if not key and request.body:
            try:
                data = json.loads(request.body)
                key = data.get("key", "") if isinstance(data, dict) else ""
            except (ValueError, UnicodeDecodeError):
                key = ""
        stored = await run_sync(
            request.app.ctx.repo.summary_for_patient, summary_id, key if isinstance(key, str) else ""
        )
        if stored is None:
            return json_error(MSG_NOT_FOUND, 404)
        if not await _delete(request, stored):
            return json_error(MSG_FAILED, 503)
        return response.json(
            {"deleted": True, "message": web_text("patient.removed_short")}, ensure_ascii=False
        )

    return bp
