"""The last number given in each series of a tenant, per year."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import TenantModel, tenant_unique


class DocumentSequence(TenantModel):
    """One row per tenant, series and year; its row lock is what makes numbers gapless."""

    __tablename__ = "document_sequence"
    __table_args__ = (
        tenant_unique("series", "year"),
        CheckConstraint("last_number >= 1", name="last_number"),
        CheckConstraint("series ~ '^[A-Z][A-Z0-9]{0,9}$'", name="series"),
    )
    # A counter, not a record: each number is audited on the document that takes it.
    __recycle__ = False
    __audit__ = False

    series: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer)
