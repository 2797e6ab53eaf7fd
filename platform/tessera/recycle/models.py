"""The recycle bin: deleted records, with the records deleted together with them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import TenantModel


class RecycleItem(TenantModel):
    """One deleted record. ``rows`` holds it and its cascade, parents first, as JSON."""

    __tablename__ = "recycle_item"
    __table_args__ = (Index("ix_recycle_item_expires", "tenant_id", "expires_at"),)
    # The bin itself is not binned, and its contents are not copied into the audit trail
    # (the delete, restore and purge are audited on their own).
    __recycle__ = False
    __audit__ = False

    record_type: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(200))
    #: The permission whose holders may restore it.
    permission: Mapped[str] = mapped_column(String(120))
    deleted_at: Mapped[datetime]
    deleted_by: Mapped[uuid.UUID | None]
    expires_at: Mapped[datetime]
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
