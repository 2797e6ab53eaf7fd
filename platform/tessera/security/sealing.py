"""Secrets the platform must read back (webhook signing keys), encrypted at rest.

The key is derived from TESSERA_SECRET_KEY for one purpose, so a database copy alone does not
reveal them, and a key for one purpose opens nothing else.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet


class Sealer:
    def __init__(self, secret_key: str, purpose: str) -> None:
        derived = hashlib.sha256(f"tessera:{purpose}:{secret_key}".encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, value: str) -> bytes:
        return self._fernet.encrypt(value.encode())

    def open(self, sealed: bytes) -> str:
        return self._fernet.decrypt(sealed).decode()
