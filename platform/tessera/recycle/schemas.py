"""Response shapes of the recycle bin."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec


class RecycleItemOut(msgspec.Struct):
    id: uuid.UUID
    record_type: str
    record_id: str
    label: str
    deleted_at: datetime
    deleted_by: uuid.UUID | None
    expires_at: datetime
    #: How many records come back on restore (the record and those deleted with it).
    records: int
