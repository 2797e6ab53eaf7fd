"""Response shapes of the audit API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec


class AuditEntryOut(msgspec.Struct):
    seq: int
    occurred_at: datetime
    actor_kind: str
    actor_user_id: uuid.UUID | None
    actor_token_id: uuid.UUID | None
    action: str
    record_type: str | None
    record_id: str | None
    #: ``{field: [before, after]}``; secrets appear as "***".
    changes: dict[str, Any]
    request_id: str | None
    ip: str | None
    user_agent: str | None
    hash: str
