"""Authentication: Bearer API tokens, care-team login sessions, login throttling."""
from __future__ import annotations

import functools
import threading
import time
from typing import Dict, Optional, Tuple

from sanic import response

from bot.web import json_error, run_sync
from bot.web.security import clear_cookie, set_cookie

SESSION_COOKIE = "wi_session"
LOGIN_PATH = "/zorgteam/inloggen"
MSG_NO_TOKEN = "Niet aangemeld: stuur een geldig toegangstoken mee (Authorization: Bearer <token>)."


# -- API tokens ------------------------------------------------------------------------

def bearer_token(request) -> Optional[str]:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def api_auth(handler):
    """Decorator: 401 (Dutch JSON) unless the request carries a valid, unrevoked token.
    Sets ``request.ctx.actor = "token:<name>"``."""

    @functools.wraps(handler)
    async def wrapper(request, *args, **kwargs):
        token = bearer_token(request)
        name = await run_sync(request.app.ctx.repo.verify_token, token) if token else None
        if name is None:
            return json_error(MSG_NO_TOKEN, 401, headers={"WWW-Authenticate": 'Bearer realm="werkintake"'})
        request.ctx.actor = f"token:{name}"
        return await handler(request, *args, **kwargs)

    return wrapper


# -- sessions --------------------------------------------------------------------------

def start_session(request, resp, username: str) -> None:
    options = request.app.ctx.options
    max_age = int(options.session_hours * 3600)
    value = request.app.ctx.signer.sign("session", {"u": username}, max_age)
    set_cookie(resp, SESSION_COOKIE, value, secure=options.cookie_secure, max_age=max_age)


def end_session(request, resp) -> None:
    clear_cookie(resp, SESSION_COOKIE, secure=request.app.ctx.options.cookie_secure)


async def session_user(request) -> Optional[str]:
    """The logged-in, still active care-team user, or None."""
    body = request.app.ctx.signer.unsign("session", request.cookies.get(SESSION_COOKIE))
    username = body.get("u") if body else None
    if not isinstance(username, str):
        return None
    if not await run_sync(request.app.ctx.repo.user_is_active, username):
        return None
    return username


def login_required(handler):
    """Decorator for care-team pages: redirect to the login page without a session.
    Sets ``request.ctx.user`` and ``request.ctx.actor = "user:<name>"``."""

    @functools.wraps(handler)
    async def wrapper(request, *args, **kwargs):
        user = await session_user(request)
        if user is None:
            return response.redirect(LOGIN_PATH, status=303)
        request.ctx.user = user
        request.ctx.actor = f"user:{user}"
        return await handler(request, *args, **kwargs)

    return wrapper


# -- throttling ------------------------------------------------------------------------

class LoginThrottle:
    """In-memory: after ``per_user`` failed logins for one name, or ``per_client`` from one
    client address, within ``window_s`` seconds, further attempts are refused until the
    window has passed. The client limit is higher: a hospital proxy may share one address."""

    def __init__(self, per_user: int = 5, per_client: int = 30, window_s: float = 900):
        self.per_user, self.per_client, self.window_s = per_user, per_client, window_s
        self._failures: Dict[str, Tuple[int, float]] = {}
        self._lock = threading.Lock()

    def _keys(self, username: str, client: str):
        return ((f"u:{username.lower()}", self.per_user), (f"c:{client}", self.per_client))

    def blocked(self, username: str, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            for key, limit in self._keys(username, client):
                count, since = self._failures.get(key, (0, now))
                if now - since > self.window_s:
                    self._failures.pop(key, None)
                elif count >= limit:
                    return True
        return False

    def failed(self, username: str, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > 10000:  # names are attacker-chosen: bound the memory
                self._failures = {k: v for k, v in self._failures.items()
                                  if now - v[1] <= self.window_s}
            for key, _ in self._keys(username, client):
                count, since = self._failures.get(key, (0, now))
                if now - since > self.window_s:
                    count, since = 0, now
                self._failures[key] = (count + 1, since)

    def succeeded(self, username: str, client: str) -> None:
        with self._lock:
            self._failures.pop(f"u:{username.lower()}", None)
