"""Sanic app factories for the two listeners (docs/security.md):

- ``create_patient_app``: the patient chat, the patient's own copy and tablet
  enrolment; ``python -m bot.web`` on WEB_HOST:WEB_PORT (default 127.0.0.1:8080). This
  is the one to expose (through TLS) to patients.
- ``create_careteam_app``: the care-team pages and API and the background maintenance;
  ``python -m bot.web careteam`` on CARETEAM_HOST:CARETEAM_PORT (default
  127.0.0.1:8081). Expose it only on the hospital's internal network.

Web options read from the environment besides bot/runtime/settings.py:

    WEB_COOKIE_SECURE=1            Secure flag on cookies (set 0 only for plain-http testing)
    WEB_SESSION_HOURS=8            care-team session lifetime (absolute)
    WEB_SESSION_IDLE_MINUTES=15    care-team session ends after this long without a request
    PATIENT_KEY_DAYS=7             the patient's key to their copy expires
    PATIENT_COOKIE_MINUTES=15      the cookie the key is exchanged for
    UNCONSENTED_RETENTION_HOURS=24 conversations without a consented summary are deleted
    AUDIT_RETENTION_DAYS=730       audit-log entries older than this are deleted
    WEB_REQUEST_MAX_SIZE=1048576   bytes; larger requests get 413
    WEB_MAINTENANCE_INTERVAL=60    seconds between background runs (0 = off)
    WEB_TRACKER_DELETION_DELAY=30  seconds before a queued tracker deletion is processed
    WEB_RETENTION_INTERVAL=3600    seconds between retention runs in the app (0 = off)
    TRACKER_DATABASE_URL           Rasa tracker store database, if not DATABASE_URL
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.exceptions import MethodNotSupported, NotFound, PayloadTooLarge, SanicException

from bot.runtime.logsafe import log_failure
from bot.runtime.settings import Settings, get_settings
from bot.storage.repository import LOCAL_TZ, Repository
from bot.web import json_error, render, run_sync, texts
from bot.web.api import create_api_blueprint
from bot.web.careteam import create_careteam_blueprint
from bot.web.careteam_admin import create_careteam_admin_blueprint
from bot.web.fhir_api import create_fhir_blueprint
from bot.web.limits import MSG_TOO_LARGE, RateLimiter, request_max_size
from bot.web.metrics import register_metrics
from bot.web.patient import create_patient_blueprint
from bot.web.security import Signer, add_security_headers
from bot.web.tablet import create_tablet_blueprint
from bot.web.texts import careteam_text

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
_app_numbers = itertools.count(1)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "ja", "on")


@dataclass(frozen=True)
class WebOptions:
    cookie_secure: bool = True
    session_hours: float = 8
    session_idle_minutes: float = 15
    patient_key_days: float = 7
    patient_cookie_minutes: float = 15
    unconsented_hours: float = 24
    audit_retention_days: int = 730
    maintenance_interval_s: float = 60
    tracker_deletion_delay_s: float = 30
    retention_interval_s: float = 3600
    tracker_url: Optional[str] = None

    @classmethod
    def from_env(cls) -> "WebOptions":
        return cls(
            cookie_secure=_env_bool("WEB_COOKIE_SECURE", True),
            session_hours=float(os.environ.get("WEB_SESSION_HOURS", "8")),
            session_idle_minutes=float(os.environ.get("WEB_SESSION_IDLE_MINUTES", "15")),
            patient_key_days=float(os.environ.get("PATIENT_KEY_DAYS", "7")),
            patient_cookie_minutes=float(os.environ.get("PATIENT_COOKIE_MINUTES", "15")),
            unconsented_hours=float(os.environ.get("UNCONSENTED_RETENTION_HOURS", "24")),
            audit_retention_days=int(os.environ.get("AUDIT_RETENTION_DAYS", "730")),
            maintenance_interval_s=float(os.environ.get("WEB_MAINTENANCE_INTERVAL", "60")),
            tracker_deletion_delay_s=float(os.environ.get("WEB_TRACKER_DELETION_DELAY", "30")),
            retention_interval_s=float(os.environ.get("WEB_RETENTION_INTERVAL", "3600")),
            tracker_url=os.environ.get("TRACKER_DATABASE_URL") or None,
        )


def _session_secret(settings: Settings) -> bytes:
    if settings.session_secret:
        return settings.session_secret.encode("utf-8")
    logger.warning(
        "WEB_SESSION_SECRET not set: using a random secret; care-team sessions end when the web app restarts"
    )
    return secrets.token_bytes(32)


def _base_app(name: str, settings: Optional[Settings], options: Optional[WebOptions]) -> Sanic:
    settings = settings or get_settings()
    options = options or WebOptions.from_env()
    number = next(_app_numbers)
    app = Sanic(name if number == 1 else f"{name}_{number}", configure_logging=number == 1)
    app.config.REQUEST_MAX_SIZE = request_max_size()
    app.ctx.settings = settings
    app.ctx.options = options
    app.ctx.repo = Repository(settings.database_url)
    app.ctx.signer = Signer(_session_secret(settings))
    app.ctx.limiter = RateLimiter()
    app.ctx.jinja = Environment(
        loader=FileSystemLoader(str(WEB_DIR / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    app.ctx.jinja.filters["localtime"] = lambda dt, fmt: dt.astimezone(LOCAL_TZ).strftime(fmt)
    # Every sentence of the pages: bot/content/web.yml (t) and careteam.yml (ct).
    app.ctx.jinja.globals.update(t=texts.web(), ct=texts.careteam())
    app.static("/static/careteam", str(WEB_DIR / "static" / "careteam"), name="careteam_static")
    app.register_middleware(add_security_headers, "response")
    _register_small_routes(app)
    register_metrics(app)
    _register_errors(app)
    return app


def create_patient_app(settings: Optional[Settings] = None, options: Optional[WebOptions] = None) -> Sanic:
    """The patient-facing listener (default 127.0.0.1:8080): chat, own copy, tablet enrolment."""
    app = _base_app("werkintake_patient", settings, options)
    app.blueprint(create_patient_blueprint())
    app.blueprint(create_tablet_blueprint())
    _register_chat(app, app.ctx.settings)
    return app


def create_careteam_app(settings: Optional[Settings] = None, options: Optional[WebOptions] = None) -> Sanic:
    """The care-team listener (default 127.0.0.1:8081): pages, API, background maintenance."""
    app = _base_app("werkintake_careteam", settings, options)
    app.blueprint(create_api_blueprint())
    app.blueprint(create_careteam_blueprint())
    app.blueprint(create_careteam_admin_blueprint())
    app.blueprint(create_fhir_blueprint())
    _register_maintenance(app)

    async def careteam_alias(request):
        return response.redirect("/zorgteam/", status=301)

    app.add_route(careteam_alias, "/careteam", methods=["GET"], name="careteam_alias")
    return app


def create_app(settings: Optional[Settings] = None, options: Optional[WebOptions] = None) -> Sanic:
    """Both surfaces in one app: only for tests and local tools (never deploy this)."""
    app = create_careteam_app(settings, options)
    app.blueprint(create_patient_blueprint())
    app.blueprint(create_tablet_blueprint())
    _register_chat(app, app.ctx.settings)
    return app


def _register_small_routes(app: Sanic) -> None:
    async def healthz(request):
        """Liveness for scripts/run.sh and monitoring; says whether the database answers."""
        try:
            await run_sync(app.ctx.repo.list_summaries, limit=1)
            database = "ok"
        except Exception:
            database = "unavailable"
        return response.json({"status": "ok", "database": database})

    app.add_route(healthz, "/healthz", methods=["GET"], name="healthz")


def _register_chat(app: Sanic, settings: Settings) -> None:
    """The web chat (bot/web/chat.py) is optional: register it when it imports."""
    try:
        from bot.web.chat import create_chat_blueprint
    except ImportError as exc:
        logger.info("web chat not available (%s)", exc)
        return
    app.blueprint(create_chat_blueprint(settings))


def _register_errors(app: Sanic) -> None:
    async def not_found(request, exc):
        if request.path.startswith("/api/"):
            return json_error(careteam_text("errors.not_found"), 404)
        return render(
            request, "careteam/error.html", status=404, message=careteam_text("errors.page_not_found")
        )

    async def not_allowed(request, exc):
        if request.path.startswith("/api/"):
            return json_error(careteam_text("errors.method"), 405)
        return render(request, "careteam/error.html", status=405, message=careteam_text("errors.method"))

    async def server_error(request, exc):
        status = getattr(exc, "status_code", 500) if isinstance(exc, SanicException) else 500
        if status >= 500:  # type and place only: a message may quote patient text
            log_failure(logger, "request failed", exc)
        message = careteam_text("errors.server" if status >= 500 else "errors.bad_request")
        if request.path.startswith("/api/"):
            return json_error(message, status)
        return render(request, "careteam/error.html", status=status, message=message)

    async def too_large(request, exc):
        if request.path.startswith(("/api/", "/chat/api/")):
            return json_error(MSG_TOO_LARGE, 413)
        return render(request, "careteam/error.html", status=413, message=MSG_TOO_LARGE)

    app.error_handler.add(PayloadTooLarge, too_large)
    app.error_handler.add(NotFound, not_found)
    app.error_handler.add(MethodNotSupported, not_allowed)
    app.error_handler.add(Exception, server_error)


def run_maintenance(app: Sanic, with_retention: bool = False) -> None:
    """One background round: outbox flush, tracker deletions, FHIR push, optionally retention."""
    from bot.storage import outbox, retention, scrub

    settings, options = app.ctx.settings, app.ctx.options
    url = settings.database_url
    tracker_url = options.tracker_url or url
    flushed = outbox.flush_outbox(url, settings.data_dir)
    if flushed.flushed:
        logger.info("outbox: %d item(s) stored", flushed.flushed)
    retention.process_pending_deletions(
        url, tracker_url=tracker_url, min_age_seconds=options.tracker_deletion_delay_s
    )
    _fhir_push(url)
    if with_retention:
        retention.purge_expired(
            url,
            settings.retention_days,
            tracker_url=tracker_url,
            data_dir=settings.data_dir,
            unconsented_hours=options.unconsented_hours,
            audit_days=options.audit_retention_days,
        )
    scrub.finish_pending(settings.data_dir)  # raises (logged as ERROR) while it cannot


def _fhir_push(url: str) -> None:
    """Send due summaries to the hospital's FHIR server (no-op without WERK_FHIR_PUSH_URL);
    a failure here never stops retention or scrubbing."""
    from bot.report.fhir.delivery import deliver_pending

    try:
        pushed = deliver_pending(url)
    except Exception:  # noqa: BLE001 - database down: the next round tries again
        logger.warning("FHIR push round failed", exc_info=True)
        return
    if pushed.delivered or pushed.retrying or pushed.failed:
        logger.info(
            "FHIR push: %d delivered, %d to retry, %d failed",
            pushed.delivered,
            pushed.retrying,
            pushed.failed,
        )


async def _maintenance_loop(app: Sanic) -> None:
    options = app.ctx.options
    last_retention = None
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(options.maintenance_interval_s)
        now = loop.time()
        with_retention = options.retention_interval_s > 0 and (
            last_retention is None or now - last_retention >= options.retention_interval_s
        )
        try:
            await run_sync(run_maintenance, app, with_retention)
            if with_retention:
                last_retention = now
        except Exception as exc:  # the database may be down; try again next round, loudly
            logger.error("background maintenance failed: %s: %s", type(exc).__name__, str(exc)[:200])


def _register_maintenance(app: Sanic) -> None:
    async def start(app, loop):
        if app.ctx.options.maintenance_interval_s > 0:
            app.ctx.maintenance_task = loop.create_task(_maintenance_loop(app))

    async def stop(app, loop):
        task = getattr(app.ctx, "maintenance_task", None)
        if task is not None:
            task.cancel()

    app.register_listener(start, "after_server_start")
    app.register_listener(stop, "before_server_stop")
