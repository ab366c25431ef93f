"""Rate limits (per process, in memory) with a Dutch message, and the request size limit.

Each kind has ``(requests, seconds)``; a key is a client address, a conversation or a
token. Several web instances each count for themselves (behind nginx, add
``limit_req`` there too; see docs/security.md). Limits are env-configurable:
``RATE_CHAT=30/60`` (per conversation), ``RATE_CHAT_ADDRESS=600/60`` (per address: a
hospital's tablets share one), ``RATE_PATIENT_COPY=20/60``, ``RATE_API=600/60``,
``RATE_ENROL=10/600``.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from typing import Deque, Dict, Optional, Tuple

from bot.web.texts import web_text

DEFAULT_LIMITS = {
    "chat": (30, 60),
    "chat_address": (600, 60),
    "patient_copy": (20, 60),
    "api": (600, 60),
    "enrol": (10, 600),
}
MESSAGE = web_text("limits.too_many")  # Dutch texts: bot/content/web.yml
DEFAULT_REQUEST_MAX_SIZE = 1024 * 1024  # bytes; WEB_REQUEST_MAX_SIZE
MSG_TOO_LARGE = web_text("limits.too_large")


def _from_env(kind: str, default: Tuple[int, int]) -> Tuple[int, int]:
    raw = os.environ.get(f"RATE_{kind.upper()}", "")
    try:
        count, seconds = raw.split("/")
        return max(1, int(count)), max(1, int(seconds))
    except ValueError:
        return default


def request_max_size() -> int:
    try:
        return max(1024, int(os.environ.get("WEB_REQUEST_MAX_SIZE", DEFAULT_REQUEST_MAX_SIZE)))
    except ValueError:
        return DEFAULT_REQUEST_MAX_SIZE


class RateLimiter:
    message = MESSAGE

    def __init__(self, limits: Optional[Dict[str, Tuple[int, int]]] = None):
        base = dict(DEFAULT_LIMITS, **(limits or {}))
        self.limits = {kind: _from_env(kind, value) for kind, value in base.items()}
        self._hits: Dict[Tuple[str, str], Deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, kind: str) -> bool:
        count, seconds = self.limits[kind]
        now = time.monotonic()
        with self._lock:
            if len(self._hits) > 50_000:  # keys are attacker-chosen: bound the memory
                self._hits = {k: v for k, v in self._hits.items() if v and now - v[-1] < 3600}
            hits = self._hits.setdefault((kind, key), deque())
            while hits and now - hits[0] >= seconds:
                hits.popleft()
            if len(hits) >= count:
                return False
            hits.append(now)
            return True
