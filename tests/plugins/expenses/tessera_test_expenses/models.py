"""An expense claim."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps


class Claim(TenantModel, Timestamps):
    __tablename__ = "expenses_claim"
    __table_args__ = (Index("ix_expenses_claim_owner", "tenant_id", "owner_id"),)
    __recycle_permission__ = "expenses.claim.write"

    title: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    department: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    owner_id: Mapped[uuid.UUID | None]
