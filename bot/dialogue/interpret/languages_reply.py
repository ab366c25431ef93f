"""The reply to a message in another language (bot/content/languages.yml)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List

from bot import content
from bot.dialogue.messages import Message


@lru_cache(maxsize=1)
def _data() -> Dict[str, Any]:
    data = content.load("languages")
    content.require(content.require(data, "languages", "languages"), "en", "languages", "languages")
    content.require(data, "dutch_note", "languages")
    return data


def other_language_messages(code: str) -> List[Message]:
    lang = _data()["languages"].get(code) or _data()["languages"]["en"]
    return [Message(text=t) for t in lang["texts"]] + [Message(text=_data()["dutch_note"])]
