"""Random secrets and their stored digests.

Session cookies and API tokens are 256-bit random values; only their SHA-256 is stored, so a
copy of the database does not let anyone sign in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def same_digest(secret: str, stored: bytes) -> bool:
    return hmac.compare_digest(digest(secret), stored)


def same_text(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
