"""Response shapes of the jobs API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec


class JobOut(msgspec.Struct):
    id: uuid.UUID
    kind: str
    #: queued, running, succeeded or failed
    status: str
    done: int
    total: int | None
    #: done / total as a percentage, when the job knows its total
    percent: float | None
    message: str
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    requested_by: uuid.UUID | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
