"""Request and response shapes of notifications."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from tessera.web.schemas import Input


class NotificationOut(msgspec.Struct):
    id: uuid.UUID
    type: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class UnreadOut(msgspec.Struct):
    unread: int


class MarkedOut(msgspec.Struct):
    marked: int


class PreferenceIn(Input):
    in_app: bool
    email: bool


class PreferenceOut(msgspec.Struct):
    type: str
    in_app: bool
    email: bool
