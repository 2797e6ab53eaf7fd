"""The announcements' tables: notices, whom they address, and who has read them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Index, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, member_fk, tenant_fk, tenant_unique

AUDIENCES = ("everyone", "departments", "roles")


class Announcement(TenantModel, Timestamps):
    """A notice to everyone, to departments (and the departments inside them) or to roles.

    It shows from ``publish_at`` (none: a draft) until ``expires_at`` (none: for good);
    ``published_at`` records when its audience was told.
    """

    __tablename__ = "oa_announcement"
    __recycle_permission__ = "oa.announcement.manage"
    __table_args__ = (
        member_fk("author_id", ondelete="SET NULL"),
        CheckConstraint("audience IN ('everyone', 'departments', 'roles')", name="audience"),
        CheckConstraint("expires_at > publish_at", name="expiry"),
        # The schedule's question each minute: what is due and not yet announced.
        Index(
            "ix_oa_announcement_due",
            "tenant_id",
            "publish_at",
            postgresql_where="published_at IS NULL",
        ),
        # The feed: pinned first, newest first.
        Index("ix_oa_announcement_feed", "tenant_id", "pinned", "publish_at", "id"),
    )

    title: Mapped[str] = mapped_column(String(200))
    #: Sanitised HTML: only what the server's allow-list keeps is ever stored.
    body_html: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(20))
    #: Built-in roles addressed when ``audience`` is ``roles`` (custom roles: AnnouncementRole).
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    pinned: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    publish_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    author_id: Mapped[uuid.UUID | None]


class AnnouncementDepartment(TenantModel):
    """A department an announcement addresses, with every department inside it."""

    __tablename__ = "oa_announcement_department"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("announcement_id", "oa_announcement", ondelete="CASCADE"),
        # A department deleted stops being addressed (and comes back with it from the bin).
        tenant_fk("department_id", "oa_department", ondelete="CASCADE"),
        tenant_unique("announcement_id", "department_id"),
        Index("ix_oa_announcement_department_department", "tenant_id", "department_id"),
    )

    announcement_id: Mapped[uuid.UUID]
    department_id: Mapped[uuid.UUID]


class AnnouncementRole(TenantModel):
    """A custom role an announcement addresses."""

    __tablename__ = "oa_announcement_role"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("announcement_id", "oa_announcement", ondelete="CASCADE"),
        tenant_fk("role_id", "access_role", ondelete="CASCADE"),
        tenant_unique("announcement_id", "role_id"),
        Index("ix_oa_announcement_role_role", "tenant_id", "role_id"),
    )

    announcement_id: Mapped[uuid.UUID]
    role_id: Mapped[uuid.UUID]


class AnnouncementRead(TenantModel):
    """That a member read an announcement, and when: the read receipt."""

    __tablename__ = "oa_announcement_read"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("announcement_id", "oa_announcement", ondelete="CASCADE"),
        member_fk("user_id", ondelete="CASCADE"),
        tenant_unique("announcement_id", "user_id"),
        Index("ix_oa_announcement_read_user", "tenant_id", "user_id", "announcement_id"),
    )

    announcement_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID]
    read_at: Mapped[datetime]
