"""Authentication: Bearer API tokens with scopes, server-side care-team sessions with an
idle timeout, roles, and the login throttle (all state in the database, so it holds
across processes and restarts; see bot/storage/accounts.py)."""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Optional

from sanic import response

from bot.web import json_error, render, run_sync
from bot.web.security import clear_cookie, set_cookie
from bot.web.texts import careteam_text

SESSION_COOKIE = "wi_session"
LOGIN_PATH = "/zorgteam/inloggen"
# Dutch texts: bot/content/careteam.yml
MSG_NO_TOKEN = careteam_text("api.no_token")
MSG_SCOPE = careteam_text("api.scope")  # with {scope}
MSG_ADMIN = careteam_text("errors.admin_only")

# Login throttle: (key, attempts per window). Per account+address is strict; the address
# alone is wider (a hospital proxy shares one address); the account alone is widest, so a
# distributed attacker can lock an account for one window (15 minutes) at most.
LOGIN_WINDOW = timedelta(minutes=15)
LIMIT_ACCOUNT_ADDRESS, LIMIT_ADDRESS, LIMIT_ACCOUNT = 5, 30, 50


# -- API tokens ------------------------------------------------------------------------


def bearer_token(request) -> Optional[str]:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def api_auth(handler=None, *, scope: str = "summaries:read"):
    """Decorator: 401 (Dutch JSON) unless the request carries a valid, unrevoked,
    unexpired token with ``scope``. Sets ``request.ctx.actor = "token:<name>"``."""
    if handler is None:
        return functools.partial(api_auth, scope=scope)

    @functools.wraps(handler)
    async def wrapper(request, *args, **kwargs):
        token = bearer_token(request)
        repo = request.app.ctx.repo
        found = await run_sync(repo.check_token, token) if token else None
        if found is None:
            return json_error(MSG_NO_TOKEN, 401, headers={"WWW-Authenticate": 'Bearer realm="werkintake"'})
        name, scopes = found
        if scope not in scopes:
            return json_error(MSG_SCOPE.format(scope=scope), 403)
        if not request.app.ctx.limiter.allow(f"token:{name}", "api"):
            return json_error(request.app.ctx.limiter.message, 429, headers={"Retry-After": "60"})
        request.ctx.actor = f"token:{name}"
        return await handler(request, *args, **kwargs)

    return wrapper


# -- sessions --------------------------------------------------------------------------


async def start_session(request, resp, username: str) -> None:
    token = await run_sync(request.app.ctx.repo.create_session, username)
    options = request.app.ctx.options
    set_cookie(
        resp, SESSION_COOKIE, token, secure=options.cookie_secure, max_age=int(options.session_hours * 3600)
    )


async def end_session(request, resp) -> None:
    await run_sync(request.app.ctx.repo.revoke_session, request.cookies.get(SESSION_COOKIE))
    clear_cookie(resp, SESSION_COOKIE, secure=request.app.ctx.options.cookie_secure)


async def session_user(request):
    """The logged-in, still active care-team user (``SessionUser``), or None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    options = request.app.ctx.options
    return await run_sync(
        request.app.ctx.repo.session_user,
        token,
        idle=timedelta(minutes=options.session_idle_minutes),
        max_age=timedelta(hours=options.session_hours),
    )


def login_required(handler=None, *, role: str = "member"):
    """Decorator for care-team pages: redirect to the login page without a session; 403
    for a member on an administrator's page. Sets ``request.ctx.user`` (the name),
    ``request.ctx.role`` and ``request.ctx.actor = "user:<name>"``."""
    if handler is None:
        return functools.partial(login_required, role=role)

    @functools.wraps(handler)
    async def wrapper(request, *args, **kwargs):
        user = await session_user(request)
        if user is None:
            resp = response.redirect(LOGIN_PATH, status=303)
            if request.cookies.get(SESSION_COOKIE):
                clear_cookie(resp, SESSION_COOKIE, secure=request.app.ctx.options.cookie_secure)
            return resp
        request.ctx.user, request.ctx.role = user.username, user.role
        request.ctx.actor = f"user:{user.username}"
        if role == "admin" and user.role != "admin":
            return render(request, "careteam/error.html", status=403, message=MSG_ADMIN)
        return await handler(request, *args, **kwargs)

    return wrapper


# -- throttling ------------------------------------------------------------------------


def throttle_keys(username: str, client: str):
    name = username.lower()[:64]
    return [
        (f"ua:{name}|{client}", LIMIT_ACCOUNT_ADDRESS),
        (f"a:{client}", LIMIT_ADDRESS),
        (f"u:{name}", LIMIT_ACCOUNT),
    ]


async def acquire_login_attempt(request, username: str, client: str) -> bool:
    """Count this attempt before the password is checked (race-free); False = refuse."""
    return await run_sync(
        request.app.ctx.repo.acquire_login_attempt, throttle_keys(username, client), LOGIN_WINDOW
    )


async def login_succeeded(request, username: str, client: str) -> None:
    """Forget the failures of this account from this address; the successful attempt does
    not count against the address or the account (a hospital proxy shares one address)."""
    keys = [key for key, _ in throttle_keys(username, client)]
    await run_sync(request.app.ctx.repo.clear_login_attempts, keys[:1])
    await run_sync(request.app.ctx.repo.release_login_attempt, keys[1:])
