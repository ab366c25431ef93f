"""Retention: delete what is older than RETENTION_DAYS, and delete Rasa trackers on request.

Rasa's SQLTrackerStore keeps every conversation in the table ``events`` (``sender_id`` =
conversation id, ``timestamp`` = Unix seconds). The tracker may live in our database
(default) or elsewhere: pass ``tracker_url`` (CLI: env ``TRACKER_DATABASE_URL``). A
missing ``events`` table (Rasa not started yet, or another tracker store) is not an error.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Optional

import sqlalchemy as sa

from bot.storage import db, scrub
from bot.storage.models import (
    AuditEntry,
    ConversationBinding,
    DeletedSummary,
    FhirDelivery,
    FhirTask,
    PendingTrackerDeletion,
    Summary,
    utcnow,
)
from bot.storage.repository import Repository

logger = logging.getLogger(__name__)

TRACKER_TABLE = "events"
DEFAULT_DELETION_DELAY_S = 30


DEFAULT_UNCONSENTED_HOURS = 24
DEFAULT_AUDIT_DAYS = 730


@dataclass
class RetentionResult:
    summaries: int = 0
    tracker_events: int = 0
    outbox_files: int = 0
    unconsented_conversations: int = 0
    audit_entries: int = 0


def _events_table() -> sa.Table:
    return sa.Table(
        TRACKER_TABLE,
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255)),
        sa.Column("timestamp", sa.Float),
    )


def delete_tracker_events(
    tracker_url: Optional[str] = None, *, sender_id: Optional[str] = None, before: Optional[datetime] = None
) -> Optional[int]:
    """Delete tracker events of one conversation and/or older than ``before``.
    Returns the number deleted, or None when there is no ``events`` table."""
    if sender_id is None and before is None:
        raise ValueError("refusing to delete all tracker events")
    engine = db.get_engine(tracker_url)
    if not db.table_exists(engine, TRACKER_TABLE):
        return None
    events = _events_table()
    statement = sa.delete(events)
    if sender_id is not None:
        statement = statement.where(events.c.sender_id == sender_id)
    if before is not None:
        statement = statement.where(events.c.timestamp < before.timestamp())
    with engine.begin() as conn:
        return conn.execute(statement).rowcount or 0


def purge_expired(
    url: Optional[str] = None,
    days: Optional[int] = None,
    *,
    tracker_url: Optional[str] = None,
    data_dir: Optional[Path] = None,
    now: Optional[datetime] = None,
    unconsented_hours: Optional[float] = None,
    audit_days: Optional[int] = None,
) -> RetentionResult:
    """Delete summaries, tracker events and outbox files older than ``days``; conversations
    without a consented summary older than ``unconsented_hours``; audit entries older than
    ``audit_days``; ended sessions and old login counters. Raises if a step fails."""
    from bot.runtime.settings import get_settings

    settings = get_settings()
    days = settings.retention_days if days is None else days
    if unconsented_hours is None:
        unconsented_hours = float(os.environ.get("UNCONSENTED_RETENTION_HOURS", DEFAULT_UNCONSENTED_HOURS))
    if audit_days is None:
        audit_days = int(os.environ.get("AUDIT_RETENTION_DAYS", DEFAULT_AUDIT_DAYS))
    if days < 1 or unconsented_hours <= 0 or audit_days < 1:
        raise ValueError("retention must be at least 1 day (conversations: more than 0 hours)")
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    result = RetentionResult()
    repo = Repository(url)
    tracker_url = tracker_url or repo.url
    with repo.session() as s:
        ids = list(s.execute(sa.select(Summary.id).where(Summary.created_at < cutoff)).scalars())
        for summary_id in ids:
            s.merge(DeletedSummary(summary_id=summary_id, deleted_at=now))
        result.summaries = s.execute(sa.delete(Summary).where(Summary.created_at < cutoff)).rowcount or 0
        # FHIR (docs/fhir.md): hospital Tasks (they name the patient) and push states
        s.execute(sa.delete(FhirTask).where(FhirTask.created_at < cutoff, FhirTask.expires_at < now))
        s.execute(sa.delete(FhirDelivery).where(FhirDelivery.created_at < cutoff))
        s.execute(sa.delete(DeletedSummary).where(DeletedSummary.deleted_at < cutoff - timedelta(days=days)))
        result.audit_entries = (
            s.execute(sa.delete(AuditEntry).where(AuditEntry.at < now - timedelta(days=audit_days))).rowcount
            or 0
        )
    result.tracker_events = delete_tracker_events(tracker_url, before=cutoff) or 0
    result.unconsented_conversations = purge_unconsented(
        repo.url, tracker_url=tracker_url, older_than=timedelta(hours=unconsented_hours), now=now
    )
    result.outbox_files = _purge_outbox(data_dir or settings.data_dir, cutoff)
    repo.purge_sessions(timedelta(days=1))
    repo.purge_login_attempts(timedelta(days=1))
    if result.summaries or result.tracker_events or result.unconsented_conversations:
        scrub.after_delete(repo.url, data_dir)
        if tracker_url != repo.url:
            scrub.after_delete(tracker_url, data_dir)
    if result.summaries:
        repo.audit("system", "delete", detail=f"bewaartermijn: {result.summaries} samenvatting(en)")
    logger.info("retention (%d days): %s", days, result)
    return result


def purge_unconsented(
    url: Optional[str] = None,
    *,
    tracker_url: Optional[str] = None,
    older_than: timedelta = timedelta(hours=DEFAULT_UNCONSENTED_HOURS),
    now: Optional[datetime] = None,
) -> int:
    """Delete the trackers (and bindings) of conversations whose last event is older than
    ``older_than`` and that have no consented summary. Returns the number of conversations."""
    repo = Repository(url)
    cutoff = (now or utcnow()) - older_than
    engine = db.get_engine(tracker_url or repo.url)
    with repo.session() as s:
        keep = set(s.execute(sa.select(Summary.conversation_id)).scalars())
        s.execute(
            sa.delete(ConversationBinding)
            .where(
                ConversationBinding.created_at < cutoff,
                ConversationBinding.conversation_id.notin_(sa.select(Summary.conversation_id)),
            )
            .execution_options(synchronize_session=False)
        )
    if not db.table_exists(engine, TRACKER_TABLE):
        return 0
    events = _events_table()
    with engine.connect() as conn:
        stale = [
            row[0]
            for row in conn.execute(
                sa.select(events.c.sender_id)
                .group_by(events.c.sender_id)
                .having(sa.func.max(events.c.timestamp) < cutoff.timestamp())
            )
        ]
    count = 0
    for sender_id in stale:
        if sender_id not in keep:
            delete_tracker_events(tracker_url or repo.url, sender_id=sender_id)
            count += 1
    return count


def _purge_outbox(data_dir: Path, cutoff: datetime) -> int:
    directory = Path(data_dir) / "outbox"
    if not directory.is_dir():
        return 0
    count = 0
    for path in directory.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff.timestamp():
            path.unlink()
            count += 1
    return count


def process_pending_deletions(
    url: Optional[str] = None,
    *,
    tracker_url: Optional[str] = None,
    min_age_seconds: float = DEFAULT_DELETION_DELAY_S,
    now: Optional[datetime] = None,
) -> int:
    """Delete the trackers of queued conversations whose request is at least
    ``min_age_seconds`` old (Rasa writes the last turn after the action ran).
    Returns the number of requests processed."""
    repo = Repository(url)
    limit = (now or utcnow()) - timedelta(seconds=min_age_seconds)
    with repo.session() as s:
        rows = (
            s.execute(
                sa.select(PendingTrackerDeletion)
                .where(PendingTrackerDeletion.requested_at <= limit)
                .order_by(PendingTrackerDeletion.id)
            )
            .scalars()
            .all()
        )
        work = [(r.id, r.conversation_id) for r in rows]
    processed = 0
    for row_id, conversation_id in work:
        deleted = delete_tracker_events(tracker_url or repo.url, sender_id=conversation_id)
        if deleted is None:
            logger.info("no tracker table; deletion request for a conversation dropped")
        with repo.session() as s:
            s.execute(sa.delete(PendingTrackerDeletion).where(PendingTrackerDeletion.id == row_id))
            s.execute(
                sa.delete(ConversationBinding).where(ConversationBinding.conversation_id == conversation_id)
            )
        processed += 1
    if processed:
        scrub.after_delete(tracker_url or repo.url)
    return processed
