"""Response shapes of the events API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec


class DeadLetterOut(msgspec.Struct):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    handler: str
    payload: dict[str, Any]
    occurred_at: datetime
    failed_at: datetime
    #: Times the delivery ran out of retries (a retried letter that fails again counts up).
    attempts: int
    error: str


class PayloadKeyOut(msgspec.Struct):
    name: str
    #: The Python type the emitter passes; JSON carries ids, dates and decimals as strings.
    type: str
    required: bool


class EventTypeOut(msgspec.Struct):
    name: str
    #: ``tessera`` for the platform's own, else the plugin's name.
    module: str
    description: str
    payload: list[PayloadKeyOut]
