"""Digressions: out-of-scope questions, asking for a person, and not understanding.

Texts and keyword lists live in ``bot/content/scope.yml``. These functions only build
messages; the dialogue (``bot/intake/operations.py``) records ``human_contact_requested`` and
re-asks the pending intake question afterwards.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from bot import content
from bot.dialogue.messages import Button, Message
from bot.knowledge import faq

SCOPE_FILE = content.path("scope")
CHANNELS = ("tablet", "home")


@lru_cache(maxsize=1)
def _data() -> Dict[str, Any]:
    data = content.load(SCOPE_FILE)
    for key in ("out_of_scope", "human_contact", "rephrase"):
        content.require(data, key, SCOPE_FILE)
    return data


@lru_cache(maxsize=1)
def _categories() -> Tuple[Tuple[str, re.Pattern, str], ...]:
    out = []
    for cat in _data()["out_of_scope"]["categories"]:
        words = [_normalise(str(k)) for k in cat["keywords"]]
        regex = re.compile(r"(?<![a-z0-9])(?:%s)" % "|".join(re.escape(w) for w in words))
        out.append((cat["id"], regex, cat["text"].strip()))
    return tuple(out)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def out_of_scope_category(text: Optional[str]) -> str:
    """The out-of-scope category of a text ("medical", "practical", ...) or "default"."""
    norm = _normalise(text or "")
    for cat_id, regex, _ in _categories():
        if regex.search(norm):
            return cat_id
    return "default"


def out_of_scope_messages(text: Optional[str]) -> List[Message]:
    """A short, honest "daar kan ik u niet mee helpen" with a pointer. Medical questions
    (results, medication, diagnosis, ...) always go to the care team."""
    cat = out_of_scope_category(text)
    for cat_id, _, answer in _categories():
        if cat_id == cat:
            return [Message(text=answer)]
    return [Message(text=_data()["out_of_scope"]["default"]["text"].strip())]


def human_contact_messages(channel: Optional[str] = None) -> List[Message]:
    """How to reach a person (desk at the tablet, phone at home, both when the channel
    is unknown), and that the wish is noted in the summary."""
    hc = _data()["human_contact"]
    key = channel if channel in CHANNELS else "unknown"
    return [Message(text=hc[key]["text"].strip()), Message(text=hc["noted"]["text"].strip())]


def rephrase_messages(attempt: int) -> List[Message]:
    """What to say when a message was not understood. Attempt 1: ask to rephrase.
    Attempt 2 and later: also offer buttons with common topics (payload ``/faq_<id>``)."""
    rp = _data()["rephrase"]
    if attempt <= 1:
        return [Message(text=rp["first"]["text"].strip())]
    buttons = [Button(title=faq.topic(t)["title"], payload=faq.button_payload(t)) for t in rp["topics"]]
    return [Message(text=rp["second"]["text"].strip(), buttons=buttons)]


def rephrase_topics() -> List[str]:
    return list(_data()["rephrase"]["topics"])
