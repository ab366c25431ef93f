"""The patient's own copy, opened with the secret key the assistant gave them.

    GET    /mijn-samenvatting/<id>?key=<key>           the patient's copy (HTML)
    POST   /mijn-samenvatting/<id>/verwijderen         form: key, csrf_token -> removed
    DELETE /mijn-samenvatting/<id>[/verwijderen]?key=  JSON {"deleted": true}

Only a SHA-256 of the key is stored. A wrong key and an unknown id give the same 404.
Removal deletes the summary and queues deletion of the Rasa conversation (tracker).
"""
from __future__ import annotations

import logging
import re
from urllib.parse import quote

from sanic import Blueprint, response

from bot.web import json_error, render, run_sync
from bot.web.security import CSP_DOCUMENT, csrf_valid

logger = logging.getLogger(__name__)

MSG_NOT_FOUND = ("Deze samenvatting is niet gevonden. Misschien is de link niet compleet, "
                 "of is de samenvatting al verwijderd.")
_BODY_RE = re.compile(r"<body[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)
_STYLE_RE = re.compile(r"<style[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)


def patient_copy_path(summary_id: str, key: str) -> str:
    """The path to give the patient (prefix it with the public base URL of the web app)."""
    return f"/mijn-samenvatting/{quote(summary_id, safe='')}?key={quote(key, safe='')}"


def _patient_html(body):
    """(inline styles, body content) of bot.summary_text.patient_html, which escapes all
    patient text; its styles are static CSS from its own template."""
    from bot.summary_text import patient_html

    html = patient_html(body)
    match = _BODY_RE.search(html)
    if not match:
        return [], html
    head = html[:match.start()]
    return _STYLE_RE.findall(head), match.group(1)


def create_patient_blueprint() -> Blueprint:
    bp = Blueprint("patient_copy", url_prefix="/mijn-samenvatting")

    async def _find(request, summary_id: str, key: str):
        return await run_sync(request.app.ctx.repo.summary_for_patient, summary_id, key)

    @bp.get("/<summary_id:str>")
    async def show(request, summary_id: str):
        key = request.args.get("key", "")
        stored = await _find(request, summary_id, key)
        if stored is None:
            return render(request, "patient/message.html", status=404, title="Niet gevonden",
                          message=MSG_NOT_FOUND)
        try:
            styles, content = await run_sync(_patient_html, stored.body)
        except Exception:
            logger.exception("patient_html failed")
            return render(request, "patient/message.html", status=503, title="Even niet beschikbaar",
                          message="Uw samenvatting kan nu niet worden getoond. Probeer het later opnieuw.")
        await run_sync(request.app.ctx.repo.audit, "patient", "view", stored.id, "eigen kopie")
        return render(request, "patient/summary.html", summary_html=content, styles=styles,
                      summary_id=stored.id,
                      key=key, headers={"Content-Security-Policy": CSP_DOCUMENT})

    async def _remove(request, summary_id: str) -> bool:
        repo = request.app.ctx.repo
        key = request.form.get("key") if request.form else None
        if not key and request.method == "DELETE":
            key = request.args.get("key")
            if not key and request.body:
                try:
                    key = (request.json or {}).get("key")
                except Exception:
                    key = None
        stored = await _find(request, summary_id, key or "")
        if stored is None:
            return False
        await run_sync(repo.delete_summary, stored.id, tracker_reason="patient_request")
        await run_sync(repo.audit, "patient", "delete", stored.id, "door patiënt")
        return True

    @bp.post("/<summary_id:str>/verwijderen")
    async def remove_form(request, summary_id: str):
        if not csrf_valid(request):
            return render(request, "patient/message.html", status=403, title="Niet gelukt",
                          message="Het formulier is verlopen. Open de link opnieuw en probeer het nog eens.")
        if not await _remove(request, summary_id):
            return render(request, "patient/message.html", status=404, title="Niet gevonden",
                          message=MSG_NOT_FOUND)
        return render(request, "patient/message.html", title="Verwijderd",
                      message="Uw samenvatting is verwijderd. Ook het gesprek met de assistent "
                              "wordt binnen enkele minuten gewist.")

    @bp.delete("/<summary_id:str>", name="remove_api_short", ignore_body=False)
    @bp.delete("/<summary_id:str>/verwijderen", name="remove_api", ignore_body=False)
    async def remove_api(request, summary_id: str):
        if not await _remove(request, summary_id):
            return json_error(MSG_NOT_FOUND, 404)
        return response.json({"deleted": True, "message": "Uw samenvatting is verwijderd."},
                             ensure_ascii=False)

    return bp
