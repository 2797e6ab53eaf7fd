"""Signed, expiring tokens for links sent by email (JWT, HS256, via joserfc).

joserfc is the Authlib project's JOSE library; ``authlib.jose`` now defers to it. Each token
names its purpose, so a password-reset link can never verify an email address and so on.
Single use is enforced by the caller (an invitation's state, or the spent-token table).
"""

from __future__ import annotations

import hashlib
import time
import uuid
from datetime import timedelta
from typing import Any

from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import OctKey

from tessera.db.ids import uuid7
from tessera.errors import Gone, Invalid

_HEADER = {"alg": "HS256"}
#: A bound on what we try to parse; our tokens are a few hundred characters.
_MAX_TOKEN_LENGTH = 2048


class SignedTokens:
    def __init__(self, secret_key: str) -> None:
        # A key of its own, derived from the application secret, for this one use.
        derived = hashlib.sha256(b"tessera.signed-tokens:" + secret_key.encode()).digest()
        self._key = OctKey.import_key(derived)

    def issue(self, purpose: str, subject: str, ttl: timedelta, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            **claims,
            "purpose": purpose,
            "sub": subject,
            "jti": str(uuid7()),
            "iat": now,
            "exp": now + int(ttl.total_seconds()),
        }
        return jwt.encode(_HEADER, payload, self._key)

    def read(self, token: str, purpose: str, *, field: str = "token") -> dict[str, Any]:
        """The claims of a valid, unexpired token for ``purpose``; otherwise a 4xx error."""
        if len(token) > _MAX_TOKEN_LENGTH:
            raise Invalid(field, "is not a valid link token")
        try:
            claims = dict(jwt.decode(token, self._key, algorithms=["HS256"]).claims)
            jwt.JWTClaimsRegistry(
                exp={"essential": True},
                jti={"essential": True},
                sub={"essential": True},
                purpose={"essential": True, "value": purpose},
            ).validate(claims)
        except ExpiredTokenError:
            raise Gone("This link has expired; ask for a new one.") from None
        except (JoseError, ValueError):
            raise Invalid(field, "is not a valid link token") from None
        try:
            uuid.UUID(claims["jti"])
        except (ValueError, TypeError):
            raise Invalid(field, "is not a valid link token") from None
        return claims
