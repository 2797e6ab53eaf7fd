"""An expense claim, its receipts, and supplier bills with their lines."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Index, Numeric, String, UniqueConstraint
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


class Bill(TenantModel, Timestamps):
    """A supplier's bill with line items: the record the browser app's line editor is proven
    on (its total is the server's, from its lines)."""

    __tablename__ = "expenses_bill"
    __table_args__ = (Index("ix_expenses_bill_owner", "tenant_id", "owner_id"),)
    __recycle_permission__ = "expenses.bill.write"

    supplier: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    billed_on: Mapped[date | None] = mapped_column(Date)
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    owner_id: Mapped[uuid.UUID | None]


class BillLine(TenantModel):
    """One line of a bill, at its place in the bill's order."""

    __tablename__ = "expenses_bill_line"
    __table_args__ = (
        tenant_fk("bill_id", "expenses_bill", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "bill_id", "position"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("discount >= 0 AND discount <= 100", name="discount_percent"),
    )
    # A bill's lines are replaced as a whole when it is edited: part of the bill, not records a
    # member would restore one by one.
    __recycle__ = False

    bill_id: Mapped[uuid.UUID]
    position: Mapped[int]
    description: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str | None] = mapped_column(String(20))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
