"""All reads and writes of our tables. Returns plain dataclasses, never live ORM rows.

Typical use::

    repo = Repository()            # settings.database_url
    summary_id = repo.save_summary(summary, answers=state["answers"], patient_key=key)
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.storage import db, hashing
from bot.storage.accounts import NAME_RE, AccountsMixin, TokenInfo, UserInfo  # noqa: F401
from bot.storage.models import (
    AUDIT_ACTIONS,
    SUMMARY_ID_MAX,
    AuditEntry,
    DeletedSummary,
    PendingTrackerDeletion,
    Summary,
    utcnow,
)

logger = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
SUMMARY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,%d}$" % SUMMARY_ID_MAX)


@lru_cache(maxsize=1)
def attention_signals() -> frozenset:
    """Signals that put a summary at the top of the care team's list: `top_of_list` in
    bot/content/signals.yml (docs/storage.md). A summary may also set "attention" itself."""
    from bot import content

    return frozenset(s["code"] for s in content.load("signals")["signals"] if s.get("top_of_list"))


@dataclass(frozen=True)
class StoredSummary:
    id: str
    conversation_id: str
    appointment_code: Optional[str]
    created_at: datetime
    attention: bool
    channel: Optional[str]
    body: Dict[str, Any]
    answers: Optional[Dict[str, Any]]
    verified: bool = False

    def info(self) -> Dict[str, Any]:
        """The list view of a summary (API list items)."""
        return {
            "summary_id": self.id,
            "conversation_id": self.conversation_id,
            "appointment_code": self.appointment_code,
            "created_at": self.created_at.isoformat(),
            "attention": self.attention,
            "channel": self.channel,
            "verified": self.verified,
            "signals": [s.get("code") for s in self.body.get("signals", [])],
        }


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    summary_id: Optional[str]
    detail: Optional[str]


def needs_attention(summary: Dict[str, Any]) -> bool:
    if isinstance(summary.get("attention"), bool):
        return summary["attention"]
    if summary.get("human_contact_requested"):
        return True
    return any(s.get("code") in attention_signals() for s in summary.get("signals", []))


def parse_timestamp(value: Any) -> Optional[datetime]:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def local_day_bounds(day: date) -> Tuple[datetime, datetime]:
    """[start, end) in UTC of a calendar day in the hospital's time zone."""
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


def valid_summary_id(value: str) -> bool:
    return bool(value) and bool(SUMMARY_ID_RE.match(value))


def _stored(row: Summary) -> StoredSummary:
    return StoredSummary(
        row.id,
        row.conversation_id,
        row.appointment_code,
        row.created_at,
        row.attention,
        row.channel,
        row.body,
        row.answers,
        bool(row.verified),
    )


class Repository(AccountsMixin):
    def __init__(self, url: Optional[str] = None):
        self.url = url or db.default_url()

    def session(self):
        return db.session_scope(self.url)

    # -- summaries -----------------------------------------------------------------

    def save_summary(
        self,
        summary: Dict[str, Any],
        *,
        answers: Optional[Dict[str, Any]] = None,
        patient_key: Optional[str] = None,
        patient_key_hash: Optional[str] = None,
    ) -> str:
        """Store a consented summary; returns its id (``summary["summary_id"]`` when that is
        a URL-safe id, else a new random one written into the body). Saving the same id
        again is a no-op, so retries are safe: from the outbox, and a consent processed
        twice (bot/intake/handoff.py gives an intake one id). Two concurrent saves of one id
        store one row.

        ``appointment_code`` is stored only when ``summary["verified"]`` is True (set by
        bot/intake/handoff.py from a redeemed invitation): an unverified summary never appears
        under an appointment."""
        summary = prepare_summary(summary)
        summary_id = summary["summary_id"]
        if patient_key:
            patient_key_hash = hashing.sha256_hex(patient_key)
        try:
            self._insert_summary(summary, answers, patient_key_hash)
        except sa.exc.IntegrityError:
            with self.session() as s:  # the other save won; make sure it is there
                if s.get(Summary, summary_id) is None:
                    raise
        return summary_id

    def _insert_summary(
        self, summary: Dict[str, Any], answers: Optional[Dict[str, Any]], patient_key_hash: Optional[str]
    ) -> None:
        summary_id = summary["summary_id"]
        context = summary.get("context") or {}
        created = parse_timestamp(summary.get("created_at")) or utcnow()
        verified = summary.get("verified") is True and bool(context.get("appointment_code"))
        with self.session() as s:
            if s.get(Summary, summary_id) is not None or self._deleted(s, summary_id):
                return
            s.add(
                Summary(
                    id=summary_id,
                    conversation_id=str(summary["conversation_id"])[:255],
                    appointment_code=str(context["appointment_code"])[:128] if verified else None,
                    verified=verified,
                    created_at=created,
                    body=summary,
                    answers=answers,
                    attention=needs_attention(summary),
                    channel=context.get("channel"),
                    patient_key_hash=patient_key_hash,
                    for_care_team=summary.get("care_team") is not False,
                )
            )

    def get_summary(self, summary_id: str, *, include_patient_only: bool = False) -> Optional[StoredSummary]:
        """A summary for the care team (patient-only summaries are not found unless
        ``include_patient_only``)."""
        if not valid_summary_id(summary_id):
            return None
        with self.session() as s:
            row = s.get(Summary, summary_id)
            if row is None or (not row.for_care_team and not include_patient_only):
                return None
            return _stored(row)

    def get(self, summary_id: str) -> Optional[Dict[str, Any]]:
        stored = self.get_summary(summary_id)
        return stored.body if stored else None

    def list_summaries(
        self,
        *,
        day: Optional[date] = None,
        appointment_code: Optional[str] = None,
        since: Optional[datetime] = None,
        until: Optional[datetime] = None,
        limit: int = 500,
    ) -> List[StoredSummary]:
        """Newest first, with summaries that need attention before all others."""
        query = sa.select(Summary).where(Summary.for_care_team.is_(True))
        if day is not None:
            start, end = local_day_bounds(day)
            query = query.where(Summary.created_at >= start, Summary.created_at < end)
        if since is not None:
            query = query.where(Summary.created_at >= since)
        if until is not None:
            query = query.where(Summary.created_at < until)
        if appointment_code:
            query = query.where(Summary.appointment_code == appointment_code)
        query = query.order_by(Summary.attention.desc(), Summary.created_at.desc(), Summary.id)
        with self.session() as s:
            return [_stored(r) for r in s.execute(query.limit(limit)).scalars()]

    def delete_summary(self, summary_id: str, *, tracker_reason: Optional[str] = None) -> Optional[str]:
        """Delete one summary; with ``tracker_reason`` also queue deletion of its Rasa
        tracker (same transaction). Its id is remembered (``wi_deleted_summaries``) and an
        outbox copy is removed, so it cannot come back; the database file is scrubbed
        (bot/storage/scrub.py). Returns the conversation id, None if not found. Raises
        when the deletion cannot be completed."""
        from bot.storage import scrub

        if not valid_summary_id(summary_id):
            return None
        scrub.remove_outbox_copies([summary_id])  # first: if this fails, nothing is deleted
        with self.session() as s:
            row = s.get(Summary, summary_id)
            if row is None:
                return None
            conversation_id = row.conversation_id
            s.delete(row)
            s.merge(DeletedSummary(summary_id=summary_id, deleted_at=utcnow()))
            if tracker_reason:
                s.add(PendingTrackerDeletion(conversation_id=conversation_id, reason=tracker_reason))
        scrub.after_delete(self.url)
        return conversation_id

    def delete_for_conversation(
        self, conversation_id: str, *, queue_tracker: bool = True, reason: str = "patient_request"
    ) -> int:
        """Delete every summary of a conversation and (by default) queue its tracker."""
        with self.session() as s:
            ids = list(
                s.execute(sa.select(Summary.id).where(Summary.conversation_id == conversation_id)).scalars()
            )
            for summary_id in ids:
                s.merge(DeletedSummary(summary_id=summary_id, deleted_at=utcnow()))
            result = s.execute(sa.delete(Summary).where(Summary.conversation_id == conversation_id))
            if queue_tracker:
                s.add(PendingTrackerDeletion(conversation_id=conversation_id, reason=reason))
            count = result.rowcount or 0
        from bot.storage import scrub

        scrub.remove_outbox_copies(ids)
        scrub.after_delete(self.url)
        return count

    @staticmethod
    def _deleted(s, summary_id: str) -> bool:
        return s.get(DeletedSummary, summary_id) is not None

    def summary_for_patient(self, summary_id: str, key: str) -> Optional[StoredSummary]:
        """The summary if ``key`` is the patient key given for it and not expired, else None."""
        if not valid_summary_id(summary_id) or not key or len(key) > 200:
            return None
        with self.session() as s:
            row = s.get(Summary, summary_id)
            if row is None or not hashing.digest_matches(key, row.patient_key_hash):
                return None
            if row.patient_key_expires_at is not None and row.patient_key_expires_at <= utcnow():
                return None
            return _stored(row)

    def patient_summary(self, summary_id: str) -> Optional[StoredSummary]:
        """A summary by id for the patient's own copy (after the key was checked once)."""
        if not valid_summary_id(summary_id):
            return None
        with self.session() as s:
            row = s.get(Summary, summary_id)
            return _stored(row) if row is not None else None

    def issue_patient_key(self, summary_id: str, conversation_id: str, valid_for: timedelta) -> Optional[str]:
        """Give the patient of ``conversation_id`` the key to their copy, once: None if the
        summary is not of that conversation or already has a key. The key never passes
        through Rasa (the web chat asks for it after the assistant stored the summary)."""
        if not valid_summary_id(summary_id) or not conversation_id:
            return None
        key = hashing.new_patient_key()
        with self.session() as s:
            done = s.execute(
                sa.update(Summary)
                .where(
                    Summary.id == summary_id,
                    Summary.conversation_id == conversation_id[:255],
                    Summary.patient_key_hash.is_(None),
                )
                .values(patient_key_hash=hashing.sha256_hex(key), patient_key_expires_at=utcnow() + valid_for)
            ).rowcount
        return key if done else None

    # -- tracker deletions ---------------------------------------------------------

    def request_tracker_deletion(self, conversation_id: str, reason: Optional[str] = None) -> None:
        """Queue deletion of the Rasa tracker (consent declined, or removal asked)."""
        with self.session() as s:
            s.add(PendingTrackerDeletion(conversation_id=conversation_id, reason=reason))

    def pending_tracker_deletions(self) -> List[Tuple[int, str, datetime]]:
        with self.session() as s:
            rows = s.execute(sa.select(PendingTrackerDeletion).order_by(PendingTrackerDeletion.id))
            return [(r.id, r.conversation_id, r.requested_at) for r in rows.scalars()]

    # -- audit ---------------------------------------------------------------------

    def audit(
        self, actor: str, action: str, summary_id: Optional[str] = None, detail: Optional[str] = None
    ) -> None:
        if action not in AUDIT_ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        with self.session() as s:
            s.add(
                AuditEntry(
                    at=utcnow(),
                    actor=actor[:128],
                    action=action,
                    summary_id=(summary_id or None) and summary_id[:SUMMARY_ID_MAX],
                    detail=detail,
                )
            )

    def audit_entries(
        self, *, summary_id: Optional[str] = None, action: Optional[str] = None, limit: int = 500
    ) -> List[AuditRecord]:
        query = sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if summary_id:
            query = query.where(AuditEntry.summary_id == summary_id)
        if action:
            query = query.where(AuditEntry.action == action)
        with self.session() as s:
            return [
                AuditRecord(e.id, e.at, e.actor, e.action, e.summary_id, e.detail)
                for e in s.execute(query).scalars()
            ]


def prepare_summary(summary: Dict[str, Any]) -> Dict[str, Any]:
    """A copy of ``summary`` with a valid URL-safe ``summary_id``."""
    summary = dict(summary)
    if not valid_summary_id(str(summary.get("summary_id") or "")):
        summary["summary_id"] = hashing.new_summary_id()
    if not summary.get("conversation_id"):
        raise ValueError("summary without conversation_id")
    return summary
