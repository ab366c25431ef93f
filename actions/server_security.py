"""The action server's guard, attached through rasa-sdk's plugin hook
(``attach_sanic_app_extensions``; discovered via the top-level ``rasa_sdk_plugins``).

- **Only Rasa may call it.** Every request except ``GET /health`` must carry the shared
  secret ``ACTION_SERVER_TOKEN`` in the header ``X-Werk-Action-Token`` (Rasa sends it:
  ``bot/runtime/rasa_endpoints.py`` writes it into the action endpoint's headers). Compared in
  constant time; a wrong or missing secret gets 401 and the action never runs.
- **Loopback by default.** Without ``SANIC_HOST`` the server listens on 127.0.0.1 (rasa-sdk's
  own default is 0.0.0.0). On any other interface it refuses to start without a secret.
  Without a secret on loopback it starts with a loud warning (development only;
  ``scripts/run.sh`` always makes one).
- **Limits and hygiene.** Request bodies above ``ACTION_REQUEST_MAX_SIZE`` bytes (default
  4 MiB) get 413 before they are read; compressed bodies are refused; an error never
  echoes or logs the request (rasa-sdk's own handler logs and returns the whole tracker,
  with the patient's words).
- **Keep-alive longer than Rasa's pool.** Idle connections stay open
  ``ACTION_KEEP_ALIVE_TIMEOUT`` seconds (default 75, Sanic's default is 5): Rasa's HTTP
  client drops pooled connections after 15 s, so it never reuses one the server has just
  closed ("Cannot write to closing transport" under load, when Rasa's loop is busy).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import sys

import pluggy
from sanic import Sanic, response

logger = logging.getLogger(__name__)

hookimpl = pluggy.HookimplMarker("rasa_sdk")
TOKEN_HEADER = "X-Werk-Action-Token"
DEFAULT_MAX_SIZE = 4 * 1024 * 1024
OPEN_PATHS = frozenset({"/health", "/readyz", "/metrics"})  # no patient data (bot/runtime/action_server.py)


class InsecureActionServer(SystemExit):
    pass


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_startup(environ=os.environ) -> str:
    """The secret to require ('' = none); sets SANIC_HOST to loopback when unset; raises
    InsecureActionServer on a non-loopback interface without a secret."""
    environ.setdefault("SANIC_HOST", "127.0.0.1")
    host = environ["SANIC_HOST"]
    secret = environ.get("ACTION_SERVER_TOKEN", "")
    if secret and len(secret) < 16:
        raise InsecureActionServer("ACTION_SERVER_TOKEN must have at least 16 characters")
    if not secret:
        if not is_loopback(host):
            raise InsecureActionServer(
                f"refusing to start the action server on {host} without ACTION_SERVER_TOKEN"
            )
        logger.warning(
            "ACTION_SERVER_TOKEN is not set: any local process can call the action "
            "server. Set it (scripts/run.sh does) outside development."
        )
    return secret


def token_valid(sent: str, secret: str) -> bool:
    return hmac.compare_digest(sent.encode("utf-8", "replace"), secret.encode("utf-8"))


def guard(app: Sanic, secret: str) -> None:
    app.config.REQUEST_MAX_SIZE = int(os.environ.get("ACTION_REQUEST_MAX_SIZE", DEFAULT_MAX_SIZE))
    app.config.KEEP_ALIVE_TIMEOUT = int(os.environ.get("ACTION_KEEP_ALIVE_TIMEOUT", "75"))

    async def require_secret(request):
        if request.path in OPEN_PATHS and request.method in ("GET", "HEAD"):
            return None
        if secret and not token_valid(request.headers.get(TOKEN_HEADER, ""), secret):
            logger.warning("action server: refused a call without the right secret from %s", request.ip)
            return response.json({"error": "unauthorized"}, status=401)
        if request.headers.get("content-encoding"):
            return response.json({"error": "compressed bodies are not accepted"}, status=415)
        return None

    async def quiet_error(request, exception):
        status = getattr(exception, "status_code", 500)
        if not isinstance(status, int) or status < 400:
            status = 500
        if status >= 500:
            logger.error("action server error: %s", type(exception).__name__)  # no tracker, no text
        return response.json({"error": "request failed"}, status=status)

    app.register_middleware(require_secret, "request")
    app.error_handler.add(Exception, quiet_error)


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    guard(app, check_startup())


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(sys.modules[__name__])
