"""Care-team accounts, server-side sessions, login throttling and API tokens.

Mixed into ``bot.storage.repository.Repository`` (which provides ``self.session()``).

- Passwords: argon2id (OWASP parameters, ``bot.storage.hashing``); older scrypt hashes
  are verified and replaced by argon2id on the next successful login.
- Sessions: the cookie carries a random token; the database only its SHA-256. A session
  ends after ``idle`` seconds without a request, after ``max_age`` seconds in total, on
  logout, and for all of a user's sessions on a password change or deactivation.
- Login throttle: ``acquire_login_attempt`` counts an attempt *before* the password is
  checked, with one atomic UPDATE/INSERT per key, so parallel requests cannot slip past
  the limit (in one process or many, SQLite or PostgreSQL).
- API tokens: a scope list, an expiry and the time of last use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ContextManager, Iterable, List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.storage import hashing
from bot.storage.models import ROLES, ApiToken, CareTeamUser, LoginAttempts, WebSession, utcnow

NAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
SCOPES = ("summaries:read", "invitations:write")
DEFAULT_SCOPES = ("summaries:read",)
DEFAULT_TOKEN_DAYS = 365
TOUCH_EVERY = timedelta(seconds=30)  # write last_seen/last_used at most this often


@dataclass(frozen=True)
class TokenInfo:
    name: str
    created_at: datetime
    revoked: bool
    scopes: Tuple[str, ...] = DEFAULT_SCOPES
    expires_at: Optional[datetime] = None
    last_used_at: Optional[datetime] = None


@dataclass(frozen=True)
class UserInfo:
    username: str
    created_at: datetime
    active: bool
    role: str = "member"


@dataclass(frozen=True)
class SessionUser:
    username: str
    role: str


class AccountsMixin:
    if TYPE_CHECKING:  # provided by Repository

        def session(self) -> ContextManager[Session]: ...

    # -- users ---------------------------------------------------------------------

    def create_user(self, username: str, password: str, role: str = "member") -> None:
        if not NAME_RE.match(username):
            raise ValueError("username: 1-64 letters, digits or . _ - @")
        if role not in ROLES:
            raise ValueError(f"role: one of {', '.join(ROLES)}")
        with self.session() as s:
            if self._user(s, username) is not None:
                raise ValueError(f"user {username!r} exists")
            s.add(
                CareTeamUser(
                    username=username,
                    password_hash=hashing.hash_password(password),
                    created_at=utcnow(),
                    active=True,
                    role=role,
                )
            )

    def set_password(self, username: str, password: str) -> bool:
        """New password; ends every session of the user."""
        with self.session() as s:
            user = self._user(s, username)
            if user is None:
                return False
            user.password_hash = hashing.hash_password(password)
            self._revoke_sessions(s, username)
            return True

    def set_user_active(self, username: str, active: bool) -> bool:
        """(De)activate; deactivation ends every session of the user."""
        with self.session() as s:
            user = self._user(s, username)
            if user is None:
                return False
            user.active = active
            if not active:
                self._revoke_sessions(s, username)
            return True

    def set_user_role(self, username: str, role: str) -> bool:
        if role not in ROLES:
            raise ValueError(f"role: one of {', '.join(ROLES)}")
        with self.session() as s:
            user = self._user(s, username)
            if user is None:
                return False
            user.role = role
            return True

    def user_is_active(self, username: str) -> bool:
        with self.session() as s:
            user = self._user(s, username)
            return bool(user and user.active)

    def verify_password(self, username: str, password: str) -> bool:
        """Check a password (same time for unknown users); upgrade an old hash on success."""
        with self.session() as s:
            user = self._user(s, username)
            stored = user.password_hash if user is not None and user.active else None
        if stored is None:
            hashing.dummy_check(password)
            return False
        if not hashing.check_password(password, stored):
            return False
        if hashing.needs_rehash(stored):
            with self.session() as s:
                user = self._user(s, username)
                if user is not None and user.password_hash == stored:
                    user.password_hash = hashing.hash_password(password)
        return True

    def list_users(self) -> List[UserInfo]:
        with self.session() as s:
            rows = s.execute(sa.select(CareTeamUser).order_by(CareTeamUser.username)).scalars()
            return [UserInfo(u.username, u.created_at, u.active, u.role) for u in rows]

    @staticmethod
    def _user(s, username: str) -> Optional[CareTeamUser]:
        return s.execute(sa.select(CareTeamUser).where(CareTeamUser.username == username)).scalar()

    # -- sessions ------------------------------------------------------------------

    def create_session(self, username: str) -> str:
        token = hashing.new_session_token()
        now = utcnow()
        with self.session() as s:
            s.add(
                WebSession(
                    token_sha256=hashing.sha256_hex(token),
                    username=username,
                    created_at=now,
                    last_seen_at=now,
                    revoked=False,
                )
            )
        return token

    def session_user(
        self, token: Optional[str], *, idle: timedelta, max_age: timedelta
    ) -> Optional[SessionUser]:
        """The active user of a live session, or None (and the session is ended)."""
        if not token or len(token) > 200:
            return None
        now = utcnow()
        with self.session() as s:
            row = s.get(WebSession, hashing.sha256_hex(token))
            if row is None or row.revoked:
                return None
            user = self._user(s, row.username)
            if (
                user is None
                or not user.active
                or now - row.last_seen_at > idle
                or now - row.created_at > max_age
            ):
                row.revoked = True
                return None
            if now - row.last_seen_at > TOUCH_EVERY:
                row.last_seen_at = now
            return SessionUser(user.username, user.role)

    def revoke_session(self, token: Optional[str]) -> None:
        if not token or len(token) > 200:
            return
        with self.session() as s:
            row = s.get(WebSession, hashing.sha256_hex(token))
            if row is not None:
                row.revoked = True

    @staticmethod
    def _revoke_sessions(s, username: str) -> None:
        s.execute(sa.update(WebSession).where(WebSession.username == username).values(revoked=True))

    def purge_sessions(self, older_than: timedelta) -> int:
        """Delete ended or idle sessions (the background task calls this)."""
        cutoff = utcnow() - older_than
        with self.session() as s:
            return (
                s.execute(
                    sa.delete(WebSession).where(
                        sa.or_(WebSession.revoked.is_(True), WebSession.last_seen_at < cutoff)
                    )
                ).rowcount
                or 0
            )

    # -- login throttle --------------------------------------------------------------

    def acquire_login_attempt(self, limits: Sequence[Tuple[str, int]], window: timedelta) -> bool:
        """Count one login attempt against every ``(key, limit)``; False (and nothing
        counted) if any key has reached its limit in the current window."""
        now = utcnow()
        cutoff = now - window
        table = LoginAttempts.__table__
        with self.session() as s:
            for key, limit in limits:
                if not self._count_attempt(s, table, key[:200], limit, now, cutoff):
                    s.rollback()
                    return False
        return True

    @staticmethod
    def _count_attempt(s, table, key: str, limit: int, now: datetime, cutoff: datetime) -> bool:
        for _ in range(3):  # a parallel first INSERT of the same key: look again
            if s.execute(
                sa.update(table)
                .where(table.c.key == key, table.c.window_start > cutoff, table.c.count < limit)
                .values(count=table.c.count + 1)
            ).rowcount:
                return True
            if s.execute(
                sa.update(table)
                .where(table.c.key == key, table.c.window_start <= cutoff)
                .values(count=1, window_start=now)
            ).rowcount:
                return True
            insert = (sqlite_insert if s.bind.dialect.name == "sqlite" else pg_insert)(table)
            if s.execute(insert.values(key=key, window_start=now, count=1).on_conflict_do_nothing()).rowcount:
                return True
            exists = s.execute(
                sa.select(table.c.count).where(table.c.key == key, table.c.window_start > cutoff)
            ).scalar()
            if exists is not None and exists >= limit:
                return False
        return False

    def release_login_attempt(self, keys: Iterable[str]) -> None:
        """A successful login does not count against the wider keys (address, account)."""
        table = LoginAttempts.__table__
        with self.session() as s:
            s.execute(
                sa.update(table)
                .where(table.c.key.in_([k[:200] for k in keys]), table.c.count > 0)
                .values(count=table.c.count - 1)
            )

    def clear_login_attempts(self, keys: Iterable[str]) -> None:
        with self.session() as s:
            s.execute(sa.delete(LoginAttempts).where(LoginAttempts.key.in_([k[:200] for k in keys])))

    def purge_login_attempts(self, window: timedelta) -> int:
        with self.session() as s:
            return (
                s.execute(
                    sa.delete(LoginAttempts).where(LoginAttempts.window_start < utcnow() - window)
                ).rowcount
                or 0
            )

    # -- API tokens ----------------------------------------------------------------

    def create_token(
        self, name: str, scopes: Sequence[str] = DEFAULT_SCOPES, days: Optional[int] = DEFAULT_TOKEN_DAYS
    ) -> str:
        """Create a token; returns it in plain text (shown once, stored only hashed)."""
        if not NAME_RE.match(name):
            raise ValueError("token name: 1-64 letters, digits or . _ - @")
        unknown = set(scopes) - set(SCOPES)
        if unknown or not scopes:
            raise ValueError(f"scopes: one or more of {', '.join(SCOPES)}")
        token = hashing.new_token()
        now = utcnow()
        with self.session() as s:
            if s.execute(sa.select(ApiToken).where(ApiToken.name == name)).first():
                raise ValueError(f"token {name!r} exists")
            s.add(
                ApiToken(
                    name=name,
                    token_sha256=hashing.sha256_hex(token),
                    created_at=now,
                    revoked=False,
                    scopes=" ".join(sorted(set(scopes))),
                    expires_at=now + timedelta(days=days) if days else None,
                )
            )
        return token

    def revoke_token(self, name: str) -> bool:
        with self.session() as s:
            token = s.execute(sa.select(ApiToken).where(ApiToken.name == name)).scalar()
            if token is None:
                return False
            token.revoked, token.revoked_at = True, utcnow()
            return True

    def check_token(self, token: Optional[str]) -> Optional[Tuple[str, Tuple[str, ...]]]:
        """``(name, scopes)`` of a valid, unrevoked, unexpired token, else None; records
        the time of use."""
        if not token or len(token) > 512:
            return None
        now = utcnow()
        with self.session() as s:
            row = s.execute(
                sa.select(ApiToken).where(ApiToken.token_sha256 == hashing.sha256_hex(token))
            ).scalar()
            if row is None or row.revoked or (row.expires_at is not None and row.expires_at <= now):
                return None
            if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
                row.last_used_at = now
            return row.name, tuple((row.scopes or "").split())

    def verify_token(self, token: Optional[str], scope: str = "summaries:read") -> Optional[str]:
        """The token's name if it is valid and has ``scope``, else None."""
        found = self.check_token(token)
        return found[0] if found and scope in found[1] else None

    def list_tokens(self) -> List[TokenInfo]:
        with self.session() as s:
            rows = s.execute(sa.select(ApiToken).order_by(ApiToken.name)).scalars()
            return [
                TokenInfo(
                    t.name,
                    t.created_at,
                    t.revoked,
                    tuple((t.scopes or "").split()),
                    t.expires_at,
                    t.last_used_at,
                )
                for t in rows
            ]
