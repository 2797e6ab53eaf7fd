"""An expense claim."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, file_fk, tenant_fk


class Claim(TenantModel, Timestamps):
    __tablename__ = "expenses_claim"
    __table_args__ = (Index("ix_expenses_claim_owner", "tenant_id", "owner_id"),)
    __recycle_permission__ = "expenses.claim.write"

    title: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    department: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    owner_id: Mapped[uuid.UUID | None]


class Receipt(TenantModel, Timestamps):
    """A receipt file attached to a claim: the row that holds the stored file."""

    __tablename__ = "expenses_receipt"
    __table_args__ = (
        tenant_fk("claim_id", "expenses_claim", ondelete="CASCADE"),
        file_fk("file_id"),
        # The platform looks up what holds a file by this column: index it.
        Index("ix_expenses_receipt_file", "tenant_id", "file_id"),
        Index("ix_expenses_receipt_claim", "tenant_id", "claim_id"),
    )
    __recycle_permission__ = "expenses.claim.write"

    claim_id: Mapped[uuid.UUID]
    file_id: Mapped[uuid.UUID]
    note: Mapped[str] = mapped_column(String(200), default="")
