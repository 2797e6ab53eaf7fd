"""How deliveries are signed, for receivers to check (documented in docs/concepts.md).

``Tessera-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`` with the
endpoint's secret. Receivers recompute it, compare in constant time, and refuse a timestamp
older than a few minutes so a captured request cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Tessera-Signature"
EVENT_ID_HEADER = "Tessera-Event-Id"
EVENT_TYPE_HEADER = "Tessera-Event-Type"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (and what the tests do as the receiver)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(
        sign(secret, timestamp, body), f"t={timestamp},v1={fields.get('v1', '')}"
    )
