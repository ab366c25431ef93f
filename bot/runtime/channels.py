"""The REST channel the assistant runs with (credentials.yml: ``bot.runtime.channels.DutchRestInput``).

It is Rasa's ``RestInput`` (same URL: ``/webhooks/rest/webhook``, same reply: a JSON
list of bot messages) with two additions:

1. **Input validation.** The body must be a JSON object with a non-empty string
   ``sender`` (≤ 255 characters, no control characters), a string ``message``
   (≤ ``MAX_TEXT_CHARS``) and an optional object ``metadata``. Anything else gets a Dutch JSON error
   ``{"error": <code>, "message": <Dutch text>}`` with 400 (unreadable / wrong shape) or
   413 (too long), never a 5xx. Rasa's own ``RestInput`` answered ``[]`` with 500 to
   a JSON list, put messages without a sender into the shared ``default``
   conversation, and answered an empty list to a 1 MB message or a wrong type.
   Control characters (except tab and newlines) and lone UTF-16 surrogates are removed
   from the text, so they never reach the tracker or the database.
2. **Never silence.** When Rasa produced no message at all, nearly always because
   the action server is down or an action failed (Rasa logs the error and carries on
   with an empty reply), the patient gets the Dutch ``action_error`` text, flagged
   ``custom.error = "unavailable"`` like the web chat's own error reply. The intake
   state is untouched, so the patient continues at the same question once the action
   server is back. (With ``?stream=true`` Rasa's streaming reply is used unchanged.)

The Rasa server loads this module (credentials.yml); that is the one documented place
where the patches of ``bot/runtime/rasa_patches.py`` are applied (``rasa_patches.apply()``
below), with a version guard that refuses an unknown Rasa.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot import content
from bot.runtime import rasa_patches
from bot.runtime.logsafe import log_failure

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 20_000  # the REST API; the web chat allows 2,000
MAX_BODY_BYTES = 256 * 1024  # 20,000 characters, JSON-escaped, fit
MAX_SENDER_CHARS = 255  # Rasa's events.sender_id column

# Dutch texts live in bot/content/messages.yml (checked by the plain-language test).
ERROR_TOO_LONG = content.message("rest_too_long", max_chars=f"{MAX_TEXT_CHARS:,}".replace(",", "."))
ERROR_BAD_REQUEST = content.message("rest_bad_request")
ERROR_NO_SENDER = content.message("rest_no_sender")

UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATES = re.compile(r"[\ud800-\udfff]")
BAD_SENDER_CHARS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


class BadRequest(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def clean_text(text: str) -> str:
    return SURROGATES.sub("\ufffd", UNSAFE_CHARS.sub("", text))


def parse_body(body: Optional[bytes]) -> Tuple[str, str, Optional[Dict[str, Any]], Optional[str]]:
    """``(sender, text, metadata, input_channel)`` from the raw body, or BadRequest."""
    body = body or b""
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(413, "too_long", ERROR_TOO_LONG)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest(400, "bad_request", ERROR_BAD_REQUEST) from None
    if not isinstance(data, dict):
        raise BadRequest(400, "bad_request", ERROR_BAD_REQUEST)
    sender = data.get("sender")
    if (
        not isinstance(sender, str)
        or not sender.strip()
        or len(sender) > MAX_SENDER_CHARS
        or BAD_SENDER_CHARS.search(sender)
    ):
        raise BadRequest(400, "bad_sender", ERROR_NO_SENDER)
    text = data.get("message")
    if not isinstance(text, str):
        raise BadRequest(400, "bad_request", ERROR_BAD_REQUEST)
    if len(text) > MAX_TEXT_CHARS:
        raise BadRequest(413, "too_long", ERROR_TOO_LONG)
    metadata = data.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest(400, "bad_request", ERROR_BAD_REQUEST)
    channel = data.get("input_channel")
    return sender, clean_text(text), metadata, channel if isinstance(channel, str) else None


def fallback_messages(sender: str) -> List[Dict[str, Any]]:
    from bot import content

    return [
        {"recipient_id": sender, "text": content.message("action_error"), "custom": {"error": "unavailable"}}
    ]


def _error(err: BadRequest) -> response.HTTPResponse:
    return response.json({"error": err.code, "message": err.message}, status=err.status, ensure_ascii=False)


class DutchRestInput(RestInput):
    """``RestInput`` with validation and a Dutch reply instead of silence."""

    @classmethod
    def name(cls) -> str:
        return "rest"  # keeps the URL /webhooks/rest/webhook

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint("dutch_rest_webhook", __name__)

        @webhook.listener("before_server_start")
        async def dutch_payload_too_large(app, _loop) -> None:
            """Bodies over SANIC_REQUEST_MAX_SIZE are refused by Sanic before any route runs
            (docs/security.md); answer them like our own 413, in Dutch."""
            from sanic.exceptions import PayloadTooLarge

            async def too_large(request: Request, exception: Exception) -> response.HTTPResponse:
                return _error(BadRequest(413, "too_long", ERROR_TOO_LONG))

            app.error_handler.add(PayloadTooLarge, too_large)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            try:
                sender, text, metadata, channel = parse_body(request.body)
            except BadRequest as err:
                logger.info("REST message refused: %s", err.code)
                return _error(err)
            input_channel = channel or self.name()
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(on_new_message, text, sender, input_channel, metadata),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=input_channel, metadata=metadata)
                )
            except asyncio.CancelledError:
                logger.error("REST message timed out for conversation %s", sender)
            except Exception as exc:  # noqa: BLE001 - the patient gets a Dutch reply below
                log_failure(logger, "REST message failed for conversation %s", exc, sender)
            messages = collector.messages
            if not messages:
                logger.warning("empty reply for conversation %s (action server down?)", sender)
                messages = fallback_messages(sender)
            return response.json(messages)

        return webhook


rasa_patches.apply()  # the Rasa server loads this module: patch it here, once, checked
