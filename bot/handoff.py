"""What happens at the end of the intake: store the consented summary, or forget
everything when the patient says no.

Storing never loses a consented summary: when the database is unavailable it goes to
the file outbox (bot/storage/outbox.py) and the patient is told it will follow.
"""
from __future__ import annotations

import logging
import secrets
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict

from bot import questionnaire
from bot.dialogue import StoreOutcome
from bot.settings import Settings, get_settings

logger = logging.getLogger(__name__)


class StorageHandoff:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.retention_days = settings.retention_days

    def store(self, state: Dict[str, Any], conversation_id: str) -> StoreOutcome:
        from bot.storage.outbox import save_summary_or_queue
        from bot.summary import build_summary

        summary = build_summary(state, conversation_id, datetime.now(timezone.utc))
        summary["care_team"] = questionnaire.has_care_team(state)
        patient_key = secrets.token_urlsafe(18)
        summary_id, stored = save_summary_or_queue(
            summary, answers=state["answers"], patient_key=patient_key,
            url=self.settings.database_url, data_dir=self.settings.data_dir)
        return StoreOutcome(summary_id=summary_id, patient_key=patient_key, stored=stored)

    def forget(self, conversation_id: str) -> None:
        """Declined consent: nothing was stored; queue deletion of the Rasa tracker
        (done by the web app's background task once the conversation has ended)."""
        from bot.storage.outbox import request_tracker_deletion_or_queue

        request_tracker_deletion_or_queue(conversation_id, "consent declined",
                                          url=self.settings.database_url,
                                          data_dir=self.settings.data_dir)


@lru_cache(maxsize=1)
def get_handoff() -> StorageHandoff:
    return StorageHandoff(get_settings())
