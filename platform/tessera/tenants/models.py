"""The tenant: a company using Tessera. A platform table (it is what tenants are keyed by)."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import PlatformModel, Timestamps
from tessera.db.ids import uuid7


class Tenant(PlatformModel, Timestamps):
    __tablename__ = "tenant"
    __table_args__ = (CheckConstraint("status IN ('active', 'suspended')", name="status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), server_default="active")
