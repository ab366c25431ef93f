"""The patient web chat: pages (home and kiosk), static files and a proxy to Rasa.

Routes (blueprint ``chat``):

- ``GET /``                  home mode (the patient's own phone); reads ``?code=``
- ``GET /kiosk``             kiosk mode (shared waiting-room tablet); ``?timeout=`` and
                             ``?warn=`` (seconds) shorten the inactivity timers for tests
- ``GET /chat-static/...``   chat.js, chat.css, favicon (all self-hosted)
- ``POST /chat/api/message`` ``{sender, message, metadata}`` -> list of bot messages
                             (Rasa timeout: CHAT_RASA_TIMEOUT seconds, default 20)

Security (docs/security.md): ``metadata.invitation`` (from ``?code=`` or the link's
``#uitnodiging=``) is passed on and redeemed by the action server; an enrolled tablet's
cookie binds the conversation to channel ``tablet`` (the client's own ``channel`` is a
claim only); after the assistant stored a summary, the proxy asks the database once for
the patient's key (``custom.patient_key``), so the key never passes through Rasa. Each
conversation and each address is rate limited (429 with a Dutch message).

The proxy never answers 5xx: when Rasa is down or slow the patient gets one Dutch message
flagged ``custom.error = "unavailable"``. See docs/webchat.md.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiohttp
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, response
from sanic.request import Request

from bot.intake.retries import valid_message_id
from bot.web import texts

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static" / "chat"

API_PATH = "/chat/api/message"
STATIC_PREFIX = "/chat-static"
SUMMARY_PATH = "/mijn-samenvatting/"

MAX_MESSAGE_CHARS = 2000
MAX_BODY_BYTES = 64 * 1024  # 2,000 characters, JSON-escaped, fit easily
DEFAULT_RASA_TIMEOUT = 20.0
CONVERSATION_HEADER = "X-Conversation-Id"

KIOSK_TIMEOUT_DEFAULT, KIOSK_TIMEOUT_MIN, KIOSK_TIMEOUT_MAX = 120, 5, 3600
KIOSK_WARN_DEFAULT, KIOSK_WARN_MIN, KIOSK_WARN_MAX = 30, 3, 600

# Dutch texts: bot/content/web.yml (chat.errors), read once at import.
UNAVAILABLE_TEXT = texts.web_text("chat.errors.unavailable")
ERROR_TOO_LONG = texts.web_text("chat.errors.too_long", max=MAX_MESSAGE_CHARS)
ERROR_BAD_REQUEST = texts.web_text("chat.errors.bad_request")
ERROR_EMPTY = texts.web_text("chat.errors.empty")
ERROR_CONTENT_TYPE = texts.web_text("chat.errors.content_type")
TABLET_COOKIE = "wi_tablet"

SENDER_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CHANNELS = ("home", "tablet")

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _asset_version() -> str:
    """Short hash of the static files, so a new deployment is never served from cache."""
    digest = hashlib.sha256()
    for path in sorted(STATIC_DIR.glob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _int_param(raw: Optional[str], default: int, low: int, high: int) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return max(low, min(high, value))


def _duration_text(seconds: int) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return (
            texts.web_text("chat.duration.one_minute")
            if minutes == 1
            else texts.web_text("chat.duration.minutes", n=minutes)
        )
    return (
        texts.web_text("chat.duration.one_second")
        if seconds == 1
        else texts.web_text("chat.duration.seconds", n=seconds)
    )


def clean_metadata(raw: Dict[str, Any]) -> Dict[str, Any]:
    """Keep only the metadata fields of spec §5 (and the message id), with valid values."""
    out: Dict[str, Any] = {}
    if raw.get("channel") in CHANNELS:
        out["channel"] = raw["channel"]
    code = raw.get("appointment_code")
    if isinstance(code, str) and CODE_RE.match(code):
        out["appointment_code"] = code
    if isinstance(raw.get("returning_patient"), bool):
        out["returning_patient"] = raw["returning_patient"]
    invitation = raw.get("invitation")
    if isinstance(invitation, str) and CODE_RE.match(invitation):
        out["invitation"] = invitation
    # the web chat's id of this message, and whether this is the patient's retry of it
    # (bot/intake/retries.py: a retry of an answered message is not processed twice)
    if valid_message_id(raw.get("message_id")):
        out["message_id"] = raw["message_id"]
        if raw.get("retry") is True:
            out["retry"] = True
    return out


def clean_bot_messages(raw: Any) -> Optional[List[Dict[str, Any]]]:
    """Keep text, buttons and custom of each Rasa message; None if the shape is wrong."""
    if not isinstance(raw, list):
        return None
    out: List[Dict[str, Any]] = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        msg: Dict[str, Any] = {}
        if isinstance(item.get("text"), str):
            msg["text"] = item["text"]
        buttons = [
            {"title": b["title"], "payload": b["payload"]}
            for b in item.get("buttons") or []
            if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
        ]
        if buttons:
            msg["buttons"] = buttons
        if isinstance(item.get("custom"), dict):
            msg["custom"] = item["custom"]
        if msg:
            out.append(msg)
    return out


def _rasa_timeout(settings: Any, explicit: Optional[float]) -> float:
    """Seconds to wait for Rasa: argument, else settings.chat_rasa_timeout, else the
    environment variable CHAT_RASA_TIMEOUT, else 20."""
    for value in (
        explicit,
        getattr(settings, "chat_rasa_timeout", None),
        os.environ.get("CHAT_RASA_TIMEOUT"),
    ):
        try:
            if value is not None and float(value) > 0:
                return float(value)
        except (TypeError, ValueError):
            continue
    return DEFAULT_RASA_TIMEOUT


def unavailable_reply() -> List[Dict[str, Any]]:
    return [{"text": UNAVAILABLE_TEXT, "custom": {"error": "unavailable"}}]


def _error(status: int, code: str, message: str) -> response.HTTPResponse:
    return response.json(
        {"error": code, "message": message},
        status=status,
        headers=NO_STORE,
        ensure_ascii=False,
    )


def create_chat_blueprint(settings: Any, *, rasa_timeout: Optional[float] = None) -> Blueprint:
    """The chat blueprint. ``settings`` needs ``rasa_url`` (see bot/runtime/settings.py)."""
    bp = Blueprint("chat")
    webhook_url = str(settings.rasa_url).rstrip("/") + "/webhooks/rest/webhook"
    timeout = _rasa_timeout(settings, rasa_timeout)
    templates = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    version = _asset_version()
    bp.static(STATIC_PREFIX, str(STATIC_DIR), name="static")
    guard = ChatGuard(settings)

    def render(name: str, **context: Any) -> response.HTTPResponse:
        body = templates.get_template(name).render(
            asset_version=version,
            static_prefix=STATIC_PREFIX,
            api_url=API_PATH,
            summary_path=SUMMARY_PATH,
            max_chars=MAX_MESSAGE_CHARS,
            t=texts.web(),
            client_texts=texts.client_texts_json(),
            **context,
        )
        return response.html(body, headers=NO_STORE)

    @bp.get("/", name="home")
    async def home(request: Request) -> response.HTTPResponse:
        code = request.args.get("code", "")
        return render(
            "chat/home.html",
            mode="home",
            channel="home",
            appointment_code=code if CODE_RE.match(code or "") else "",
        )

    @bp.get("/kiosk", name="kiosk")
    async def kiosk(request: Request) -> response.HTTPResponse:
        idle = _int_param(
            request.args.get("timeout"),
            KIOSK_TIMEOUT_DEFAULT,
            KIOSK_TIMEOUT_MIN,
            KIOSK_TIMEOUT_MAX,
        )
        warn = _int_param(request.args.get("warn"), KIOSK_WARN_DEFAULT, KIOSK_WARN_MIN, KIOSK_WARN_MAX)
        return render(
            "chat/kiosk.html",
            mode="kiosk",
            channel="tablet",
            appointment_code="",
            idle_seconds=idle,
            warn_seconds=warn,
            idle_text=_duration_text(idle),
        )

    @bp.post(API_PATH, name="message")
    async def message(request: Request) -> response.HTTPResponse:
        body = request.body or b""
        if len(body) > MAX_BODY_BYTES:
            return _error(413, "too_long", ERROR_TOO_LONG)
        content_type = (request.headers.get("content-type") or "").split(";")[0]
        if content_type.strip().lower() != "application/json":
            return _error(415, "content_type", ERROR_CONTENT_TYPE)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return _error(400, "bad_request", ERROR_BAD_REQUEST)
        if not isinstance(data, dict):
            return _error(400, "bad_request", ERROR_BAD_REQUEST)
        sender, text = data.get("sender"), data.get("message")
        metadata = data.get("metadata", {})
        if metadata is None:
            metadata = {}
        if (
            not isinstance(sender, str)
            or not SENDER_RE.match(sender)
            or not isinstance(text, str)
            or not isinstance(metadata, dict)
        ):
            return _error(400, "bad_request", ERROR_BAD_REQUEST)
        sender = sender.lower()
        if not guard.allow(request, sender):
            return _error(429, "rate_limited", guard.limiter.message)
        if len(text) > MAX_MESSAGE_CHARS:
            return _error(413, "too_long", ERROR_TOO_LONG)
        if not text.strip():
            return _error(400, "empty", ERROR_EMPTY)

        payload: Dict[str, Any] = {"sender": sender, "message": text}
        cleaned = clean_metadata(metadata)
        if cleaned:
            payload["metadata"] = cleaned
            await guard.bind_tablet(request, sender)
        messages = await _ask_rasa(webhook_url, payload, timeout)
        await guard.add_patient_key(sender, messages)
        return response.json(messages, headers=NO_STORE, ensure_ascii=False)

    @bp.on_response
    async def security_headers(request: Request, resp: response.HTTPResponse) -> None:
        for key, value in SECURITY_HEADERS.items():
            resp.headers.setdefault(key, value)

    return bp


class ChatGuard:
    """Rate limits, tablet binding and the patient key for the chat proxy."""

    def __init__(self, settings: Any):
        from bot.web.limits import RateLimiter

        self.url = getattr(settings, "database_url", None)
        self.limiter = RateLimiter()
        self.key_days = float(os.environ.get("PATIENT_KEY_DAYS", "7"))

    def allow(self, request: Request, sender: str) -> bool:
        address = request.remote_addr or request.ip or "?"
        return self.limiter.allow(sender, "chat") and self.limiter.allow(address, "chat_address")

    async def bind_tablet(self, request: Request, sender: str) -> None:
        token = request.cookies.get(TABLET_COOKIE)
        if not token or not self.url:
            return
        from bot.storage import invitations
        from bot.web import run_sync

        try:
            tablet_id = await run_sync(invitations.tablet_for_token, token, url=self.url)
            if tablet_id is not None:
                await run_sync(invitations.bind_tablet, sender, tablet_id, url=self.url)
        except Exception as exc:  # noqa: BLE001 - the chat goes on as channel "home"
            logger.warning("tablet check unavailable: %s", type(exc).__name__)

    async def add_patient_key(self, sender: str, messages: List[Dict[str, Any]]) -> None:
        """Give the patient the key to the summary the assistant just stored, once."""
        from datetime import timedelta

        from bot.storage.repository import Repository
        from bot.web import run_sync

        for message in messages:
            custom = message.get("custom")
            if not (
                isinstance(custom, dict)
                and isinstance(custom.get("summary_id"), str)
                and self.url
                and not custom.get("queued")
            ):
                continue
            custom.pop("patient_key", None)
            try:
                key = await run_sync(
                    Repository(self.url).issue_patient_key,
                    custom["summary_id"],
                    sender,
                    timedelta(days=self.key_days),
                )
            except Exception as exc:  # noqa: BLE001 - the summary is stored; no link now
                logger.warning("patient key unavailable: %s", type(exc).__name__)
                key = None
            if key:
                custom["patient_key"] = key


async def _ask_rasa(url: str, payload: Dict[str, Any], timeout: float) -> List[Dict[str, Any]]:
    """POST to the Rasa REST webhook; any failure becomes the Dutch 'unavailable' reply.

    Patient text is never logged: only the kind of failure.
    """
    try:
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        async with aiohttp.ClientSession(timeout=client_timeout) as session:
            # The conversation id in a header: a proxy in front of several Rasa servers
            # (deploy/nginx) keeps each conversation on one server by hashing it.
            headers = {CONVERSATION_HEADER: payload["sender"]}
            async with session.post(url, json=payload, headers=headers) as resp:
                if resp.status != 200:
                    logger.warning("Rasa answered HTTP %s", resp.status)
                    return unavailable_reply()
                raw = await resp.json(content_type=None)
    except asyncio.TimeoutError:
        logger.warning("Rasa did not answer within %.0f s", timeout)
        return unavailable_reply()
    except (aiohttp.ClientError, OSError, ValueError) as exc:
        logger.warning("Rasa unreachable or invalid reply: %s", type(exc).__name__)
        return unavailable_reply()
    messages = clean_bot_messages(raw)
    if messages is None:
        logger.warning("Rasa reply was not a list of messages")
        return unavailable_reply()
    return messages
