"""Appointment invitations: the only way a conversation gets an ``appointment_code``.

The care team (page ``/zorgteam/uitnodigingen``), the hospital's systems
(``POST /api/v1/invitations``) or code (the FHIR Task import) create an invitation for one
appointment; the patient receives a short code (``K7QM-4XPA-9TRE``) or a link with the
code in the URL fragment (``/#uitnodiging=K7QM-4XPA-9TRE``). The code is random (about 59
bits), single-use and expiring; only its SHA-256 is stored, so a forged or guessed code is
simply not found.

Public API (see docs/security.md)::

    code = create("AFS-2026-0042", patient_identifier=None, expires_in=timedelta(days=14),
                  source="token:epd")                      # -> "K7QM-4XPA-9TRE"
    invitation = redeem(code, conversation_id)             # -> Invitation | None
    binding = binding_for(conversation_id)                 # -> Binding | None
    bind_tablet(conversation_id, tablet_id)                # enrolled tablet: channel "tablet"

``redeem`` is atomic: the first conversation wins, a second conversation gets None; the
same conversation redeeming again (a page reload, ``/start`` again) gets the invitation
again. Every function takes ``url=`` (default: settings.database_url).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import List, Optional

import sqlalchemy as sa

from bot.storage import db, hashing
from bot.storage.models import ConversationBinding, EnrolledTablet, utcnow
from bot.storage.models import Invitation as InvitationRow

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read aloud and type
CODE_LENGTH = 12
DEFAULT_EXPIRES_IN = timedelta(days=14)
MAX_EXPIRES_IN = timedelta(days=90)
APPOINTMENT_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
LINK_FRAGMENT = "#uitnodiging="


@dataclass(frozen=True)
class Invitation:
    id: int
    appointment_code: str
    patient_identifier: Optional[str]
    source: str
    created_at: datetime
    expires_at: datetime
    redeemed_at: Optional[datetime]
    redeemed_by: Optional[str]
    revoked: bool

    @property
    def state(self) -> str:
        if self.revoked:
            return "ingetrokken"
        if self.redeemed_at:
            return "gebruikt"
        return "verlopen" if self.expires_at <= utcnow() else "open"


@dataclass(frozen=True)
class Binding:
    conversation_id: str
    appointment_code: Optional[str]
    channel: Optional[str]
    invitation_id: Optional[int]

    @property
    def verified(self) -> bool:
        return self.invitation_id is not None and bool(self.appointment_code)


def _invitation(row: InvitationRow) -> Invitation:
    return Invitation(
        row.id,
        row.appointment_code,
        row.patient_identifier,
        row.source,
        row.created_at,
        row.expires_at,
        row.redeemed_at,
        row.redeemed_by,
        row.revoked,
    )


def normalise(code: str) -> str:
    """Upper case, without spaces or dashes (patients type codes in many ways)."""
    return re.sub(r"[^A-Za-z0-9]", "", code or "").upper()


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def link_path(code: str) -> str:
    """The path of the patient's link (prefix it with the public base URL of the chat)."""
    return "/" + LINK_FRAGMENT + code


def create(
    appointment_code: str,
    patient_identifier: Optional[str] = None,
    expires_in: timedelta = DEFAULT_EXPIRES_IN,
    source: str = "system",
    *,
    url: Optional[str] = None,
) -> str:
    """Create an invitation; returns the code (shown once, stored only hashed)."""
    if not isinstance(appointment_code, str) or not APPOINTMENT_RE.match(appointment_code):
        raise ValueError("appointment_code: 1-64 letters, digits, _ or -")
    if patient_identifier is not None and (
        not isinstance(patient_identifier, str) or len(patient_identifier) > 128
    ):
        raise ValueError("patient_identifier: at most 128 characters")
    if not timedelta(minutes=5) <= expires_in <= MAX_EXPIRES_IN:
        raise ValueError("expires_in: between 5 minutes and 90 days")
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    now = utcnow()
    with db.session_scope(url) as s:
        s.add(
            InvitationRow(
                code_sha256=hashing.sha256_hex(raw),
                appointment_code=appointment_code,
                patient_identifier=patient_identifier,
                source=source[:128],
                created_at=now,
                expires_at=now + expires_in,
                revoked=False,
            )
        )
    return format_code(raw)


def redeem(code: str, conversation_id: str, *, url: Optional[str] = None) -> Optional[Invitation]:
    """Use an invitation for ``conversation_id`` (single use, atomic); None if the code is
    unknown, expired, revoked or already used by another conversation."""
    raw = normalise(code)
    if len(raw) != CODE_LENGTH or not conversation_id:
        return None
    digest, now = hashing.sha256_hex(raw), utcnow()
    with db.session_scope(url) as s:
        claimed = s.execute(
            sa.update(InvitationRow)
            .where(
                InvitationRow.code_sha256 == digest,
                InvitationRow.redeemed_at.is_(None),
                InvitationRow.revoked.is_(False),
                InvitationRow.expires_at > now,
            )
            .values(redeemed_at=now, redeemed_by=conversation_id[:255])
        ).rowcount
        row = s.execute(sa.select(InvitationRow).where(InvitationRow.code_sha256 == digest)).scalar()
        if row is None or row.redeemed_by != conversation_id[:255] or row.revoked:
            return None
        if claimed:
            _bind(s, conversation_id, invitation_id=row.id, appointment_code=row.appointment_code)
        return _invitation(row)


def _bind(s, conversation_id: str, **values) -> None:
    row = s.get(ConversationBinding, conversation_id[:255])
    if row is None:
        row = ConversationBinding(conversation_id=conversation_id[:255], created_at=utcnow())
        s.add(row)
    for key, value in values.items():
        setattr(row, key, value)


def bind_tablet(conversation_id: str, tablet_id: int, *, url: Optional[str] = None) -> None:
    """Mark a conversation as started on an enrolled waiting-room tablet."""
    with db.session_scope(url) as s:
        _bind(s, conversation_id, channel="tablet", tablet_id=tablet_id)


def binding_for(conversation_id: str, *, url: Optional[str] = None) -> Optional[Binding]:
    with db.session_scope(url) as s:
        row = s.get(ConversationBinding, (conversation_id or "")[:255])
        if row is None:
            return None
        return Binding(row.conversation_id, row.appointment_code, row.channel, row.invitation_id)


def _revoke(model, row_id: int, url: Optional[str]) -> bool:
    with db.session_scope(url) as s:
        row = s.get(model, row_id)
        if row is None:
            return False
        row.revoked = True
        return True


def revoke(invitation_id: int, *, url: Optional[str] = None) -> bool:
    return _revoke(InvitationRow, invitation_id, url)


def list_recent(limit: int = 100, *, url: Optional[str] = None) -> List[Invitation]:
    with db.session_scope(url) as s:
        rows = s.execute(sa.select(InvitationRow).order_by(InvitationRow.id.desc()).limit(limit))
        return [_invitation(r) for r in rows.scalars()]


# -- enrolled tablets ----------------------------------------------------------------


def enrol_tablet(name: str, enrolled_by: str, *, url: Optional[str] = None) -> str:
    """Enrol a waiting-room tablet; returns its secret (set as a cookie on the tablet)."""
    token = "wtab_" + secrets.token_urlsafe(32)
    with db.session_scope(url) as s:
        s.add(
            EnrolledTablet(
                name=name[:64],
                token_sha256=hashing.sha256_hex(token),
                enrolled_by=enrolled_by[:128],
                created_at=utcnow(),
                revoked=False,
            )
        )
    return token


def tablet_for_token(token: Optional[str], *, url: Optional[str] = None) -> Optional[int]:
    if not token or len(token) > 200:
        return None
    with db.session_scope(url) as s:
        row = s.execute(
            sa.select(EnrolledTablet).where(EnrolledTablet.token_sha256 == hashing.sha256_hex(token))
        ).scalar()
        return row.id if row is not None and not row.revoked else None


def revoke_tablet(tablet_id: int, *, url: Optional[str] = None) -> bool:
    return _revoke(EnrolledTablet, tablet_id, url)


def list_tablets(*, url: Optional[str] = None):
    with db.session_scope(url) as s:
        rows = s.execute(sa.select(EnrolledTablet).order_by(EnrolledTablet.id)).scalars()
        return [(r.id, r.name, r.enrolled_by, r.created_at, r.revoked) for r in rows]
