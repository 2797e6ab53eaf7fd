"""The outbox, the record of completed deliveries, and deliveries that ran out of retries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import TenantModel, tenant_unique


class OutboxEvent(TenantModel):
    """A domain event, written in the transaction of the change that caused it."""

    __tablename__ = "event_outbox"
    __audit__ = False
    # Infrastructure, not a record: the relay and the retention job remove rows themselves.
    __recycle__ = False
    __table_args__ = (
        # The relay's only question ("what is not handed on yet?") stays an index-only scan
        # over a tiny index, whatever the size of the table.
        Index("ix_event_outbox_pending", "id", postgresql_where=text("relayed_at IS NULL")),
        Index("ix_event_outbox_occurred", "tenant_id", "occurred_at"),
    )

    type: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    actor_user_id: Mapped[uuid.UUID | None]
    request_id: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(server_default=func.now())
    relayed_at: Mapped[datetime | None]
    #: Set when an admin retries one dead delivery: relay the event to this handler only.
    retry_handler: Mapped[str | None] = mapped_column(String(200))


class EventDelivery(TenantModel):
    """A handler finished with an event: written in the handler's own transaction.

    Its existence is what makes a redelivery a no-op.
    """

    __tablename__ = "event_delivery"
    __audit__ = False
    __recycle__ = False
    __table_args__ = (tenant_unique("event_id", "handler"),)

    event_id: Mapped[uuid.UUID]
    handler: Mapped[str] = mapped_column(String(200))
    completed_at: Mapped[datetime] = mapped_column(server_default=func.now())


class DeadLetter(TenantModel):
    """A delivery that failed on every retry, kept for an admin to retry or discard."""

    __tablename__ = "event_dead_letter"
    __recycle__ = False
    __recycle_permission__ = "events.dead_letter.manage"
    __table_args__ = (tenant_unique("event_id", "handler"),)

    event_id: Mapped[uuid.UUID]
    event_type: Mapped[str] = mapped_column(String(120))
    handler: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    occurred_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(server_default=func.now())
