"""Password hashes, token and patient-key digests.

Passwords: argon2id with OWASP's parameters (19 MiB, 2 iterations, 1 lane; argon2-cffi).
Hashes made by older versions (``scrypt$n$r$p$salt$hash``) are still verified and are
replaced on the next successful login (``needs_rehash``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher, Type
from argon2 import exceptions as argon2_errors

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_DKLEN = 32
TOKEN_PREFIX = "wit_"
ARGON2 = PasswordHasher(
    time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16, type=Type.ID
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str) -> str:
    """An argon2id hash in PHC format (``$argon2id$v=19$m=19456,t=2,p=1$...``)."""
    if not password:
        raise ValueError("empty password")
    return ARGON2.hash(password)


def needs_rehash(stored: str) -> bool:
    if not stored.startswith("$argon2"):
        return True
    try:
        return ARGON2.check_needs_rehash(stored)
    except (ValueError, argon2_errors.InvalidHashError):
        return True


def check_password(password: str, stored: str) -> bool:
    if stored.startswith("$argon2"):
        try:
            return ARGON2.verify(stored, password)
        except (argon2_errors.VerificationError, argon2_errors.InvalidHashError, ValueError):
            return False
    return _check_scrypt(password, stored)


def hash_scrypt(password: str, n: int = SCRYPT_N) -> str:
    """The old format (kept for tests of the upgrade on login)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=SCRYPT_DKLEN
    )
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def _check_scrypt(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or int(n) > 2**17:
            return False
        expected = _unb64(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY_HASH = None


def dummy_check(password: str) -> None:
    """Spend the time of a real check (unknown user) so timing does not reveal names."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("dummy-password")
    check_password(password, _DUMMY_HASH)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_patient_key() -> str:
    """The secret the assistant gives the patient to open or remove their copy."""
    return secrets.token_urlsafe(24)


def new_summary_id() -> str:
    return secrets.token_urlsafe(16)


def digest_matches(value: str, stored_hex: str | None) -> bool:
    if not value or not stored_hex:
        return False
    return hmac.compare_digest(sha256_hex(value), stored_hex)
