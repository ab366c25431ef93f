"""What happens at the end of the intake: store the consented summary, or forget
everything when the patient says no.

Storing never loses a consented summary: when the database is unavailable it goes to
the file outbox (bot/storage/outbox.py) and the patient is told it will follow.

What decides storage comes from the server, never from the caller: the appointment
code and the channel are taken from the conversation's binding in the database
(``bot.storage.invitations``: a redeemed invitation, an enrolled tablet), not from the
intake state or the message metadata. A code the patient's client merely claimed is
kept as ``claimed_appointment_code``, the summary is marked ``verified: false`` ("niet
geverifieerd") and it is never filed under that appointment. The patient key is not
made here: it would end up in Rasa's tracker. The web chat asks for it once
(``Repository.issue_patient_key``).
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, Optional

from bot.intake import questionnaire
from bot.intake.operations import StoreOutcome
from bot.runtime.settings import Settings, get_settings

logger = logging.getLogger(__name__)
CHANNELS = ("home", "tablet", "other")


def _binding(conversation_id: str, url: str):
    from bot.storage import invitations

    try:
        return invitations.binding_for(conversation_id, url=url)
    except Exception as exc:  # noqa: BLE001 - database down: store unverified (outbox)
        logger.warning("conversation binding unavailable: %s", type(exc).__name__)
        return None


def apply_binding(summary: Dict[str, Any], binding) -> Dict[str, Any]:
    """Set appointment code, channel and ``verified`` from the server's binding."""
    context = summary.setdefault("context", {})
    claimed = context.get("appointment_code")
    verified = binding is not None and binding.verified
    context["appointment_code"] = binding.appointment_code if verified else None
    claimed_channel = context.get("channel")
    if binding is not None and binding.channel == "tablet":
        context["channel"] = "tablet"
    else:
        context["channel"] = claimed_channel if claimed_channel in ("home", "other") else "home"
    summary["verified"] = verified
    if claimed and claimed != context["appointment_code"]:
        summary["claimed_appointment_code"] = str(claimed)[:64]
    return summary


# Namespace of the intake summary ids (uuid5): one fixed random UUID for this project.
SUMMARY_ID_NAMESPACE = uuid.UUID("6f3c1a52-1d3e-4c0b-9a51-7f5e0e2c9b14")


def intake_summary_id(state: Dict[str, Any], conversation_id: str) -> str:
    """The summary id of an intake: the same conversation with the same answers gives
    the same id, so a consent that is processed twice (an action call retried on the
    other action server after one died, or the patient's retry after a lost reply)
    stores one summary, not two (``Repository.save_summary`` ignores a known id)."""
    basis = {key: state.get(key) for key in ("answers", "context", "skipped", "faq_topics")}
    basis["answers"] = {k: v for k, v in (basis["answers"] or {}).items() if k != questionnaire.CONSENT_ID}
    text = conversation_id + "\n" + json.dumps(basis, sort_keys=True, ensure_ascii=False, default=str)
    return str(uuid.uuid5(SUMMARY_ID_NAMESPACE, text))


class StorageHandoff:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.retention_days = settings.retention_days

    def store(self, state: Dict[str, Any], conversation_id: str) -> StoreOutcome:
        from bot.report.summary import build_summary
        from bot.storage.outbox import save_summary_or_queue

        summary = build_summary(
            state,
            conversation_id,
            datetime.now(timezone.utc),
            summary_id=intake_summary_id(state, conversation_id),
        )
        summary["care_team"] = questionnaire.has_care_team(state)
        apply_binding(summary, _binding(conversation_id, self.settings.database_url))
        summary_id, stored = save_summary_or_queue(
            summary,
            answers=state["answers"],
            patient_key=None,
            url=self.settings.database_url,
            data_dir=self.settings.data_dir,
        )
        return StoreOutcome(summary_id=summary_id, patient_key=None, stored=stored)

    def forget(self, conversation_id: str) -> None:
        """Declined consent: nothing was stored; queue deletion of the Rasa tracker
        (done by the web app's background task once the conversation has ended)."""
        from bot.storage.outbox import request_tracker_deletion_or_queue

        request_tracker_deletion_or_queue(
            conversation_id,
            "consent declined",
            url=self.settings.database_url,
            data_dir=self.settings.data_dir,
        )
        try:  # a hospital Task for this invitation says "rejected" (bot/report/fhir/tasks.py)
            from bot.report.fhir.tasks import on_declined

            on_declined(conversation_id, self.settings.database_url)
        except Exception as exc:  # noqa: BLE001 - database down: the Task expires instead
            logger.warning("FHIR Task not updated after a declined consent: %s", type(exc).__name__)


def trusted_metadata(
    conversation_id: str, metadata: Optional[Dict[str, Any]], url: Optional[str] = None
) -> Dict[str, Any]:
    """The message metadata the dialogue may use: an ``invitation`` code is redeemed for
    this conversation and replaced by its appointment code; ``channel: tablet`` only for
    a conversation bound to an enrolled tablet. A claimed ``appointment_code`` stays (the
    patient is asked the care-team questions) but storage ignores it (see above)."""
    metadata = dict(metadata or {})
    if not metadata:
        return metadata
    code = metadata.pop("invitation", None)
    url = url or get_settings().database_url
    binding = None
    try:
        from bot.storage import invitations

        if isinstance(code, str) and code:
            invitations.redeem(code, conversation_id, url=url)
        binding = invitations.binding_for(conversation_id, url=url)
    except Exception as exc:  # noqa: BLE001 - the patient continues, unverified
        logger.warning("invitation check unavailable: %s", type(exc).__name__)
    if binding is not None and binding.verified:
        metadata["appointment_code"] = binding.appointment_code
    if binding is not None and binding.channel == "tablet":
        metadata["channel"] = "tablet"
    elif metadata.get("channel") not in ("home", "other"):
        metadata["channel"] = "home"
    return metadata


@lru_cache(maxsize=1)
def get_handoff() -> StorageHandoff:
    return StorageHandoff(get_settings())
