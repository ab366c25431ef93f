"""SQLAlchemy 1.4 declarative models. All tables are prefixed ``wi_`` (werkintake) so
they live next to Rasa's tracker table ``events`` in the same database without clashing.

Times are stored as naive UTC (``UTCDateTime``) and returned timezone-aware, so SQLite
and PostgreSQL behave the same.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
Base: Any = declarative_base(metadata=metadata)  # Any: SQLAlchemy 1.4 ships no types

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

SUMMARY_ID_MAX = 64
AUDIT_ACTIONS = ("view", "export", "list", "delete", "login", "logout", "invite", "enrol", "admin")
ROLES = ("member", "admin")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use an aware (UTC) datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


class Summary(Base):
    """One consented summary (the JSON of summary.schema.json) plus what lists need."""

    __tablename__ = "wi_summaries"

    id = sa.Column(sa.String(SUMMARY_ID_MAX), primary_key=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    appointment_code = sa.Column(sa.String(128), index=True)
    created_at = sa.Column(UTCDateTime, nullable=False, index=True)
    body = sa.Column(JSONType, nullable=False)
    answers = sa.Column(JSONType)  # raw intake answers, for the FHIR export
    attention = sa.Column(sa.Boolean, nullable=False, default=False)
    channel = sa.Column(sa.String(16))
    patient_key_hash = sa.Column(sa.String(64))  # sha256 hex of the patient's key
    # False for a patient-only summary (public link, no appointment): never shown to a
    # care team, only through the patient's own key.
    for_care_team = sa.Column(sa.Boolean, nullable=False, default=True, server_default=sa.true(), index=True)
    # True only when a valid invitation set appointment_code (migration 0003).
    verified = sa.Column(sa.Boolean, nullable=False, default=False, server_default=sa.false())
    patient_key_expires_at = sa.Column(UTCDateTime)


class AuditEntry(Base):
    """Who did what with which summary (never the summary content itself)."""

    __tablename__ = "wi_audit_log"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    at = sa.Column(UTCDateTime, nullable=False, index=True, default=utcnow)
    actor = sa.Column(sa.String(128), nullable=False)  # "user:<name>", "token:<name>", "patient", "system"
    action = sa.Column(sa.String(16), nullable=False)
    summary_id = sa.Column(sa.String(SUMMARY_ID_MAX), index=True)  # no FK: entries outlive summaries
    detail = sa.Column(sa.Text)


class CareTeamUser(Base):
    __tablename__ = "wi_careteam_users"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    username = sa.Column(sa.String(64), nullable=False, unique=True)
    password_hash = sa.Column(sa.String(255), nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    active = sa.Column(sa.Boolean, nullable=False, default=True)
    role = sa.Column(sa.String(16), nullable=False, default="member", server_default="member")


class ApiToken(Base):
    """A care-team API token; only its SHA-256 is stored."""

    __tablename__ = "wi_api_tokens"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    name = sa.Column(sa.String(64), nullable=False, unique=True)
    token_sha256 = sa.Column(sa.String(64), nullable=False, unique=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    revoked = sa.Column(sa.Boolean, nullable=False, default=False)
    revoked_at = sa.Column(UTCDateTime)
    scopes = sa.Column(
        sa.String(255), nullable=False, default="summaries:read", server_default="summaries:read"
    )  # space-separated
    expires_at = sa.Column(UTCDateTime)
    last_used_at = sa.Column(UTCDateTime)


class PendingTrackerDeletion(Base):
    """A conversation whose Rasa tracker must be deleted (consent declined, or the
    patient removed the summary). Processed after a short delay, so Rasa has finished
    writing the last turn."""

    __tablename__ = "wi_pending_tracker_deletions"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    requested_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    reason = sa.Column(sa.String(32))


# -- security (migration 0003) -------------------------------------------------------


class Invitation(Base):
    """An appointment invitation: a single-use, expiring code given to one patient by the
    care team or the hospital's systems. Only its SHA-256 is stored."""

    __tablename__ = "wi_invitations"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    code_sha256 = sa.Column(sa.String(64), nullable=False, unique=True)
    appointment_code = sa.Column(sa.String(128), nullable=False, index=True)
    patient_identifier = sa.Column(sa.String(128))
    source = sa.Column(sa.String(128), nullable=False)  # "user:<name>", "token:<name>", "fhir:<token>"
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = sa.Column(UTCDateTime, nullable=False, index=True)
    redeemed_at = sa.Column(UTCDateTime)
    redeemed_by = sa.Column(sa.String(255), index=True)  # conversation id
    revoked = sa.Column(sa.Boolean, nullable=False, default=False)


class ConversationBinding(Base):
    """What the server (not the client) knows about a conversation: the appointment of a
    redeemed invitation, and the channel (``tablet`` only from an enrolled tablet)."""

    __tablename__ = "wi_conversation_bindings"

    conversation_id = sa.Column(sa.String(255), primary_key=True)
    invitation_id = sa.Column(sa.Integer)
    appointment_code = sa.Column(sa.String(128))
    channel = sa.Column(sa.String(16))
    tablet_id = sa.Column(sa.Integer)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow, index=True)


class EnrolledTablet(Base):
    """A waiting-room tablet enrolled by an administrator (cookie token, hashed)."""

    __tablename__ = "wi_enrolled_tablets"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    name = sa.Column(sa.String(64), nullable=False)
    token_sha256 = sa.Column(sa.String(64), nullable=False, unique=True)
    enrolled_by = sa.Column(sa.String(128), nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    revoked = sa.Column(sa.Boolean, nullable=False, default=False)


class WebSession(Base):
    """A server-side care-team session; the cookie holds a random token, we its SHA-256."""

    __tablename__ = "wi_sessions"

    token_sha256 = sa.Column(sa.String(64), primary_key=True)
    username = sa.Column(sa.String(64), nullable=False, index=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    revoked = sa.Column(sa.Boolean, nullable=False, default=False)


class LoginAttempts(Base):
    """Failed-login counter per key (account+address, address, account) and window."""

    __tablename__ = "wi_login_attempts"

    key = sa.Column(sa.String(200), primary_key=True)
    window_start = sa.Column(UTCDateTime, nullable=False)
    count = sa.Column(sa.Integer, nullable=False, default=0)


class DeletedSummary(Base):
    """Ids of deleted summaries (no content), so an outbox copy cannot bring one back."""

    __tablename__ = "wi_deleted_summaries"

    summary_id = sa.Column(sa.String(SUMMARY_ID_MAX), primary_key=True)
    deleted_at = sa.Column(UTCDateTime, nullable=False, default=utcnow, index=True)


class FhirDelivery(Base):
    """Push of one summary into the hospital's FHIR server (bot/report/fhir/delivery.py).
    status: queued, retrying, delivered, failed (needs a person: no automatic retry)."""

    __tablename__ = "wi_fhir_deliveries"

    summary_id = sa.Column(sa.String(SUMMARY_ID_MAX), primary_key=True)
    status = sa.Column(sa.String(16), nullable=False, index=True)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    next_attempt_at = sa.Column(UTCDateTime, index=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    delivered_at = sa.Column(UTCDateTime)
    last_error = sa.Column(sa.Text)  # Dutch, for the care team; never patient data
    locations = sa.Column(JSONType)  # resource locations the hospital's server returned


class FhirTask(Base):
    """A FHIR Task the hospital posted to start an intake (bot/report/fhir/tasks.py)."""

    __tablename__ = "wi_fhir_tasks"

    id = sa.Column(sa.String(64), primary_key=True)
    identifier_system = sa.Column(sa.String(255))  # the hospital's Task identifier
    identifier_value = sa.Column(sa.String(255))
    invitation_id = sa.Column(sa.Integer, index=True)
    status = sa.Column(sa.String(16), nullable=False)  # FHIR Task.status
    patient = sa.Column(sa.String(300))  # "system|value" of Task.for.identifier
    patient_reference = sa.Column(sa.String(300))  # Task.for.reference, if given
    appointment_code = sa.Column(sa.String(64))
    summary_id = sa.Column(sa.String(SUMMARY_ID_MAX), index=True)
    body = sa.Column(JSONType, nullable=False)  # the Task as received
    source = sa.Column(sa.String(128))  # API token name
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = sa.Column(UTCDateTime, nullable=False)
