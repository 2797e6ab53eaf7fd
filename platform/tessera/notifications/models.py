"""Notifications and each member's preferences per notification type."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import TenantModel, Timestamps, tenant_unique


class Notification(TenantModel):
    """Something a user should know, with a link to the record it is about."""

    __tablename__ = "notification"
    # Per-user inbox items: reading them is not an event worth an audit entry each.
    __audit__ = False
    __recycle__ = False
    __table_args__ = (
        Index("ix_notification_inbox", "tenant_id", "user_id", "id"),
        # The digest's question ("who has mail waiting?") reads only rows still to send.
        Index(
            "ix_notification_mail_pending",
            "tenant_id",
            "user_id",
            postgresql_where=text("email_wanted AND emailed_at IS NULL"),
        ),
    )

    user_id: Mapped[uuid.UUID]
    type: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(500))
    #: Shown in the app (the user may have chosen email only for this type).
    in_app: Mapped[bool] = mapped_column(default=True)
    email_wanted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]


class NotificationPreference(TenantModel, Timestamps):
    """How one member wants one type of notification (no row: in the app, no email)."""

    __tablename__ = "notification_preference"
    __recycle__ = False
    __table_args__ = (tenant_unique("user_id", "type"),)

    user_id: Mapped[uuid.UUID]
    type: Mapped[str] = mapped_column(String(120))
    in_app: Mapped[bool]
    email: Mapped[bool]
