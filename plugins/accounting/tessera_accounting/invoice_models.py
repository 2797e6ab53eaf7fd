"""Customer invoices and vendor bills, and their lines.

An invoice is a draft (free to change) until posted: then it has its number (INV/2026/00001,
BILL/2026/00001), its rate to the company's currency, and its journal entry, and only its
payment state moves (``posted`` → ``partially_paid`` → ``paid``, as payments are allocated) or
it is cancelled by a reversing entry. Migration a002's triggers hold this whoever writes.

Amounts are in the invoice's currency (NUMERIC(18, 3): three-decimal currencies fit);
``residual_company`` is what is still open in the company's currency at the invoice's rate,
the carrying value payments relieve (its difference to what a payment is worth is the realised
exchange difference).
"""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, tenant_fk, tenant_unique

INVOICE_READ = "accounting.invoice.read"
INVOICE_WRITE = "accounting.invoice.write"
INVOICE_POST = "accounting.invoice.post"

KINDS = ("customer", "vendor")
STATUSES = ("draft", "posted", "partially_paid", "paid", "cancelled")
#: Statuses of an invoice with an amount still open.
OPEN = ("posted", "partially_paid")
#: Document number series per kind; journal per kind.
SERIES = {"customer": "INV", "vendor": "BILL"}
JOURNALS = {"customer": "SAJ", "vendor": "PUJ"}

Amount = Numeric(18, 3)
CompanyAmount = Numeric(18, 2)


class Invoice(TenantModel, Timestamps):
    __tablename__ = "accounting_invoice"
    # Cancelled, never deleted: a draft given up is cancelled too, and keeps its history.
    __recycle__ = False
    __table_args__ = (
        tenant_unique("number"),
        tenant_fk("partner_id", "accounting_partner"),
        tenant_fk("entry_id", "accounting_entry"),
        tenant_fk("reversal_entry_id", "accounting_entry"),
        CheckConstraint("kind IN ('customer', 'vendor')", name="kind"),
        CheckConstraint(
            "status IN ('draft', 'posted', 'partially_paid', 'paid', 'cancelled')", name="status"
        ),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        CheckConstraint(
            "status IN ('draft', 'cancelled') OR (number IS NOT NULL AND entry_id IS NOT NULL "
            "AND rate IS NOT NULL)",
            name="posted_complete",
        ),
        CheckConstraint("residual >= 0 AND residual <= total", name="residual"),
        CheckConstraint("due_date >= date", name="due_date"),
        Index("ix_accounting_invoice_open", "tenant_id", "kind", "status", "due_date"),
        Index("ix_accounting_invoice_partner", "tenant_id", "partner_id", "date"),
        Index("ix_accounting_invoice_source", "tenant_id", "source_type", "source_id"),
    )

    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    partner_id: Mapped[uuid.UUID]
    currency: Mapped[str] = mapped_column(String(3))
    #: One unit of ``currency`` in the company's currency, fixed when posted.
    rate: Mapped[Decimal | None] = mapped_column(Numeric(20, 10))
    date: Mapped[dt.date]
    due_date: Mapped[dt.date]
    reference: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    source_type: Mapped[str | None] = mapped_column(String(60))
    source_id: Mapped[str | None] = mapped_column(String(100))
    untaxed: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    residual: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    residual_company: Mapped[Decimal] = mapped_column(CompanyAmount, default=Decimal(0))
    entry_id: Mapped[uuid.UUID | None]
    reversal_entry_id: Mapped[uuid.UUID | None]
    posted_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None]


class InvoiceLine(TenantModel, Timestamps):
    __tablename__ = "accounting_invoice_line"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("invoice_id", "accounting_invoice", ondelete="CASCADE"),
        tenant_fk("account_id", "accounting_account"),
        tenant_fk("tax_id", "accounting_tax"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
        CheckConstraint("discount >= 0 AND discount <= 100", name="discount"),
        Index("ix_accounting_invoice_line_invoice", "tenant_id", "invoice_id"),
    )

    invoice_id: Mapped[uuid.UUID]
    sequence: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    #: Percent off the line's price.
    discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    tax_id: Mapped[uuid.UUID | None]
    product_id: Mapped[str | None] = mapped_column(String(100))
    account_id: Mapped[uuid.UUID]
    #: The line without tax, and its tax, rounded to the currency.
    subtotal: Mapped[Decimal] = mapped_column(Amount)
    tax_amount: Mapped[Decimal] = mapped_column(Amount)
