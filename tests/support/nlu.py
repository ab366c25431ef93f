"""The trained Rasa NLU in this process (no servers): text -> intent, confidence, ranking.
Used by the corpus evaluations so that every message is understood exactly as the
running assistant would (same model, same pipeline, CrisisOverride included)."""
from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import Any, Dict, List, Tuple

MODEL = Path(__file__).resolve().parents[2] / "models" / "werk-intake.tar.gz"


class Parser:
    def __init__(self, model: Path = MODEL):
        os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
        from rasa.core.agent import Agent
        from rasa.utils.common import configure_logging_and_warnings
        from rasa.utils.log_utils import configure_structlog

        configure_logging_and_warnings(logging.ERROR)
        configure_structlog(logging.ERROR)

        self._loop = asyncio.new_event_loop()
        self._agent = Agent.load(str(model))
        self._cache: Dict[str, Dict[str, Any]] = {}

    def parse(self, text: str) -> Tuple[str, float, List[Tuple[str, float]], Dict[str, Any]]:
        if text not in self._cache:
            self._cache[text] = self._loop.run_until_complete(self._agent.parse_message(text))
        data = self._cache[text]
        intent = data.get("intent") or {}
        ranking = [(r["name"], float(r.get("confidence") or 0)) for r in data.get("intent_ranking") or []]
        return intent.get("name") or "nlu_fallback", float(intent.get("confidence") or 0.0), ranking, data
