"""Password hashing with argon2id (OWASP's first choice), and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tessera.errors import Invalid

MIN_LENGTH = 10
#: argon2 hashes whatever it is given; a bound keeps a huge password from costing CPU.
MAX_LENGTH = 256

_hasher = PasswordHasher()
#: Verified against when no user matches, so a miss costs as long as a hit (no user probing
#: by timing).
_DUMMY_HASH = _hasher.hash("tessera-timing-equaliser")


def check_password_rules(password: str, *, field: str = "password", email: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise Invalid(field, f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise Invalid(field, f"must be at most {MAX_LENGTH} characters")
    if password.strip() == "" or (email and password.lower() == email.lower()):
        raise Invalid(field, "is too easy to guess")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; always spends one argon2 verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
