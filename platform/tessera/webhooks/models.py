"""Webhook endpoints and the log of every delivery attempt to them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, Index, Integer, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import TenantModel, Timestamps, tenant_fk


class WebhookEndpoint(TenantModel, Timestamps):
    __tablename__ = "webhook_endpoint"
    __recycle_permission__ = "webhooks.endpoint.manage"

    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(500), default="")
    #: Event types sent to it: exact names, or ``module.*`` / ``module.record.*`` prefixes.
    event_types: Mapped[list[str]] = mapped_column(ARRAY(String(120)))
    #: The signing secret, encrypted with a key derived from TESSERA_SECRET_KEY.
    secret_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    #: Switched off by the admin.
    active: Mapped[bool] = mapped_column(default=True)
    #: Set by the platform after too many failures in a row; cleared when the admin resumes.
    paused_at: Mapped[datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(String(500))
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[uuid.UUID | None]


class WebhookDelivery(TenantModel):
    """One attempt to deliver one event to one endpoint."""

    __tablename__ = "webhook_delivery"
    __audit__ = False
    __recycle__ = False
    __table_args__ = (
        tenant_fk("endpoint_id", "webhook_endpoint", ondelete="CASCADE"),
        Index("ix_webhook_delivery_endpoint", "tenant_id", "endpoint_id", "id"),
    )

    endpoint_id: Mapped[uuid.UUID]
    event_id: Mapped[uuid.UUID]
    event_type: Mapped[str] = mapped_column(String(120))
    attempt: Mapped[int] = mapped_column(Integer)
    #: succeeded, failed (will retry) or gave_up (no retry left)
    status: Mapped[str] = mapped_column(String(20))
    response_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
