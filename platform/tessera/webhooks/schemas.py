"""Request and response shapes of webhooks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from tessera.web.schemas import Input

Url = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
EventType = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Description = Annotated[str, msgspec.Meta(max_length=500)]


class EndpointIn(Input):
    url: Url
    event_types: Annotated[list[EventType], msgspec.Meta(min_length=1, max_length=50)]
    description: Description = ""


class EndpointPatch(Input):
    url: Url | None = None
    event_types: Annotated[list[EventType], msgspec.Meta(min_length=1, max_length=50)] | None = None
    description: Description | None = None
    #: Switch the endpoint on or off; switching on also resumes a paused endpoint.
    active: bool | None = None


class EndpointOut(msgspec.Struct):
    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str
    active: bool
    paused_at: datetime | None
    pause_reason: str | None
    consecutive_failures: int
    created_at: datetime


class EndpointCreated(msgspec.Struct):
    endpoint: EndpointOut
    #: The signing secret. Shown now and never again (rotate it to get a new one).
    secret: str


class SecretOut(msgspec.Struct):
    secret: str


class DeliveryOut(msgspec.Struct):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    attempt: int
    status: str
    response_code: int | None
    latency_ms: int | None
    error: str | None
    created_at: datetime
