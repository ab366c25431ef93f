"""The Dutch texts of the web pages, from bot/content/web.yml (patients: chat, own copy,
tablet) and bot/content/careteam.yml (care team: pages and API), through the content
loader. Templates get them as ``t`` (web.yml) and ``ct`` (careteam.yml); the chat's
script gets ``client_texts()`` with the page. careteam.yml has one reader,
``bot.content.careteam_texts``/``careteam_text`` (the summary's exports read it too);
this module passes it on."""

from __future__ import annotations

import json
from typing import Any, Dict

from bot import content
from bot.content import careteam_text
from bot.content import careteam_texts as careteam

__all__ = ["careteam", "careteam_text", "client_texts", "client_texts_json", "web", "web_text"]

PATIENT_FILE = "web"


def web() -> Dict[str, Any]:
    return content.load(PATIENT_FILE)


def web_text(key: str, **fmt: Any) -> str:
    """A text of web.yml by its dotted key, e.g. ``web_text("chat.errors.empty")``."""
    return content.file_text(PATIENT_FILE, key, **fmt)


def client_texts() -> Dict[str, str]:
    """The texts chat.js and controls.js show, plus two replies of the proxy they also
    give themselves ('unavailable', 'too_long' with its {max})."""
    texts = dict(content.require(web()["chat"], "client", PATIENT_FILE, "chat"))
    texts["unavailable"] = web_text("chat.errors.unavailable")
    texts["too_long"] = web_text("chat.errors.too_long")
    return texts


def client_texts_json() -> str:
    return json.dumps(client_texts(), ensure_ascii=False, sort_keys=True)
