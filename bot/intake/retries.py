"""A patient's retry never applies the same answer twice.

The web chat gives every message an id (``metadata.message_id``). When the patient
presses "Opnieuw proberen" after an error reply it sends the same message again with
the same id and ``metadata.retry = true``. The first attempt may have been processed
in full with only its reply lost: the web app died with the message in flight, the
phone's connection dropped, the reply took longer than the proxy waited. Sending the
answer again would then apply it twice (the next question taken as answered).

``deduplicate_retries`` (applied by bot/runtime/channels.py when Rasa loads the channel) wraps
Rasa's ``MessageProcessor.handle_message``, which runs inside the conversation's lock
(so after any earlier attempt has finished, on whichever Rasa server): for a retry it
reads the tracker, and when the last user message carries the same id and was
answered, it sends those answers again and processes nothing. Otherwise (the first
attempt never reached the tracker, or got no answer because the action server was
down) the message is processed as usual. Only retries pay for the extra tracker read.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Sequence, TypeGuard

logger = logging.getLogger(__name__)

MESSAGE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def valid_message_id(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(MESSAGE_ID_RE.match(value))


def answered_replies(events: Sequence[Any], message_id: str) -> Optional[List[Dict[str, Any]]]:
    """The bot messages that answered the last user message, if that message had
    ``message_id`` and got at least one answer; else None (process the retry)."""
    from rasa.shared.core.events import BotUttered, UserUttered

    last_user = None
    for index, event in enumerate(events):
        if isinstance(event, UserUttered):
            last_user = index
    if last_user is None or (events[last_user].metadata or {}).get("message_id") != message_id:
        return None
    replies = []
    for event in events[last_user + 1 :]:
        if isinstance(event, BotUttered):
            message = {"text": event.text} if event.text else {}
            message.update({k: v for k, v in (event.data or {}).items() if v})
            replies.append(message)
    if not replies or any(isinstance(m.get("custom"), dict) and m["custom"].get("error") for m in replies):
        return None
    return replies


def deduplicate_retries() -> bool:
    """Patch Rasa's message handling as described above (once)."""
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor.handle_message
    if getattr(original, "_werk_retry", False):
        return False

    async def handle_message(self: MessageProcessor, message: Any) -> Any:
        metadata = message.metadata or {}
        message_id = metadata.get("message_id")
        if metadata.get("retry") is True and valid_message_id(message_id):
            tracker = await self.tracker_store.retrieve(message.sender_id)
            replies = answered_replies(list(tracker.events), message_id) if tracker else None
            if replies is not None:
                logger.info("retry of an answered message in %s: answers sent again", message.sender_id)
                for reply in replies:
                    await message.output_channel.send_response(message.sender_id, dict(reply))
                if isinstance(message.output_channel, CollectingOutputChannel):
                    return message.output_channel.messages
                return None
        return await original(self, message)

    handle_message._werk_retry = True  # type: ignore[attr-defined]
    MessageProcessor.handle_message = handle_message
    return True
