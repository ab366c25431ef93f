"""Security headers, signed values (session cookie) and CSRF protection.

CSRF uses a signed double-submit cookie: every visitor gets a random ``wi_csrf`` cookie
(HttpOnly, SameSite=Strict); forms carry ``csrf_token`` = HMAC(secret, cookie value) and
every POST form must send it back. Cookies are SameSite=Strict as well, so this is
defence in depth.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any, Dict, Optional

CSRF_COOKIE = "wi_csrf"
CSRF_FIELD = "csrf_token"

CSP_DEFAULT = (
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
# Exports (care_team_html, patient_html) may carry their own inline <style>; no scripts.
CSP_DOCUMENT = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def same(a: str, b: str) -> bool:
    """Constant-time comparison that accepts any text (``hmac.compare_digest`` raises
    TypeError on non-ASCII str: a malformed cookie must be a 4xx, never a 5xx)."""
    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8", "replace"))


class Signer:
    """HMAC-SHA256 signed, expiring JSON values (``<payload>.<signature>``)."""

    def __init__(self, secret: bytes):
        if len(secret) < 16:
            raise ValueError("secret too short")
        self._secret = secret

    def _mac(self, purpose: str, data: str) -> str:
        return _b64(hmac.new(self._secret, f"{purpose}:{data}".encode(), hashlib.sha256).digest())

    def sign(self, purpose: str, payload: Dict[str, Any], max_age_s: int) -> str:
        body = dict(payload, exp=int(time.time()) + max_age_s)
        data = _b64(json.dumps(body, separators=(",", ":")).encode())
        return f"{data}.{self._mac(purpose, data)}"

    def unsign(self, purpose: str, value: Optional[str]) -> Optional[Dict[str, Any]]:
        if not value or value.count(".") != 1 or len(value) > 4096:
            return None
        data, mac = value.split(".")
        if not same(mac, self._mac(purpose, data)):  # non-ASCII input must not raise
            return None
        try:
            body = json.loads(_unb64(data))
        except ValueError:
            return None
        exp = body.get("exp") if isinstance(body, dict) else None
        if not isinstance(exp, (int, float)) or exp < time.time():
            return None
        return body

    def digest(self, purpose: str, value: str) -> str:
        return self._mac(purpose, value)


# -- CSRF ------------------------------------------------------------------------------


def _csrf_seed(request) -> str:
    seed = getattr(request.ctx, "csrf_seed", None)
    if seed is None:
        cookie = request.cookies.get(CSRF_COOKIE)
        if cookie and 20 <= len(cookie) <= 100:
            seed = cookie
        else:
            seed = secrets.token_urlsafe(32)
            request.ctx.csrf_new = True
        request.ctx.csrf_seed = seed
    return seed


def csrf_token(request) -> str:
    return request.app.ctx.signer.digest("csrf", _csrf_seed(request))


def csrf_valid(request) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = (request.form.get(CSRF_FIELD) if request.form else None) or request.headers.get("x-csrf-token")
    if not cookie or not sent:
        return False
    expected = request.app.ctx.signer.digest("csrf", cookie)
    return same(str(sent), expected)


def rotate_csrf(request) -> None:
    request.ctx.csrf_seed = secrets.token_urlsafe(32)
    request.ctx.csrf_new = True


def set_cookie(
    response, name: str, value: str, *, secure: bool, max_age: Optional[int] = None, path: str = "/"
) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = path
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["secure"] = secure
    if max_age is not None:
        cookie["max-age"] = max_age


def clear_cookie(response, name: str, *, secure: bool) -> None:
    set_cookie(response, name, "", secure=secure, max_age=0)


# -- middleware ------------------------------------------------------------------------

OWN_BLUEPRINTS = frozenset({"careteam", "careteam_api", "careteam_admin", "patient_copy", "tablet"})


def _foreign_blueprint(request) -> bool:
    """True for routes of blueprints we do not own (the chat): those set their own,
    stricter headers, and app-level middleware runs before theirs."""
    route = getattr(request, "route", None)
    parts = route.name.split(".") if route is not None and route.name else []
    return len(parts) >= 3 and parts[1] not in OWN_BLUEPRINTS


async def add_security_headers(request, response) -> None:
    """Response middleware: security headers on our pages, API, static files and errors;
    a handler may set a document-specific Content-Security-Policy itself."""
    if _foreign_blueprint(request):
        return
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if "content-security-policy" not in response.headers:
        response.headers["Content-Security-Policy"] = CSP_DEFAULT
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    if getattr(request.ctx, "csrf_new", False) and response.status < 500:
        set_cookie(response, CSRF_COOKIE, request.ctx.csrf_seed, secure=request.app.ctx.options.cookie_secure)
