"""Payments and what each pays: a payment is allocated to one or several open invoices of its
partner, in their currency; the allocations are the reconciliation of the invoices' receivable
(or payable) with the bank. Both are written once and never changed (migration a002 grants
SELECT and INSERT only)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, tenant_fk, tenant_unique

PAYMENT_WRITE = "accounting.payment.write"
DIRECTIONS = ("incoming", "outgoing")


class Payment(TenantModel):
    __tablename__ = "accounting_payment"
    __recycle__ = False
    __table_args__ = (
        tenant_unique("entry_id"),
        tenant_fk("partner_id", "accounting_partner"),
        tenant_fk("journal_id", "accounting_journal"),
        tenant_fk("entry_id", "accounting_entry"),
        CheckConstraint("direction IN ('incoming', 'outgoing')", name="direction"),
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("rate > 0", name="rate"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        Index("ix_accounting_payment_partner", "tenant_id", "partner_id", "date"),
    )

    direction: Mapped[str] = mapped_column(String(10))
    #: The journal entry's number (BNK/2026/00001): the payment's own.
    number: Mapped[str] = mapped_column(String(30))
    partner_id: Mapped[uuid.UUID]
    journal_id: Mapped[uuid.UUID]
    date: Mapped[dt.date]
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    currency: Mapped[str] = mapped_column(String(3))
    #: One unit of ``currency`` in the company's currency on the payment's date.
    rate: Mapped[Decimal] = mapped_column(Numeric(20, 10))
    reference: Mapped[str] = mapped_column(String(100), default="")
    entry_id: Mapped[uuid.UUID]
    #: Realised exchange difference in the company's currency: a gain above zero.
    exchange_difference: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0))
    created_by: Mapped[uuid.UUID | None]


class PaymentAllocation(TenantModel):
    __tablename__ = "accounting_payment_allocation"
    __recycle__ = False
    __table_args__ = (
        tenant_unique("payment_id", "invoice_id"),
        tenant_fk("payment_id", "accounting_payment"),
        tenant_fk("invoice_id", "accounting_invoice"),
        CheckConstraint("amount > 0", name="amount"),
        Index("ix_accounting_payment_allocation_invoice", "tenant_id", "invoice_id"),
    )

    payment_id: Mapped[uuid.UUID]
    invoice_id: Mapped[uuid.UUID]
    #: In the invoice's (and payment's) currency.
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    #: The receivable or payable this relieved, in the company's currency at the invoice's rate.
    relieved_company: Mapped[Decimal] = mapped_column(Numeric(18, 2))
