"""Posting an invoice (numbered, booked, announced) and cancelling it (a reversing entry).

A customer invoice books Dr receivable (the total) / Cr each line's income account / Cr each
tax's account; a vendor bill the mirror (Dr expense and input tax / Cr payable), in the
company's currency at the invoice date's rate, each line keeping its amount in the invoice's
currency. The receivable's company amount is what payments relieve (``residual_company``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Conflict, Invalid, emit, next_document_number, round_money
from tessera_accounting import posting
from tessera_accounting.books import account_by_ref, company_currency, journal_by_code, rate_on
from tessera_accounting.invoice_models import JOURNALS, SERIES, Invoice, InvoiceLine
from tessera_accounting.invoices import lines_of, locked_invoice, today
from tessera_accounting.models import Tax
from tessera_accounting.partners import Partner
from tessera_accounting.payment_models import PaymentAllocation

#: The account role the invoice's total is owed on, per kind.
COUNTERPART = {"customer": "receivable", "vendor": "payable"}
SOURCE_TYPE = "accounting.invoice"


def payment_status(residual: Decimal, total: Decimal) -> str:
    """A posted invoice's status from what is still open (the database checks the same)."""
    if residual == 0:
        return "paid"
    return "partially_paid" if residual < total else "posted"


async def invoice_rate(db: AsyncSession, tenant_id: uuid.UUID, currency: str, day: date) -> Decimal:
    if currency == await company_currency(db, tenant_id):
        return Decimal(1)
    rate = await rate_on(db, tenant_id, currency, day)
    if rate is None:
        raise Invalid("currency", f"no exchange rate for {currency} on or before {day.isoformat()}")
    return rate


def _side(kind: str, amount: Decimal, *, counterpart: bool) -> tuple[Decimal, Decimal]:
    """(debit, credit) of ``amount``: a customer invoice debits its counterpart (receivable) and
    credits the rest; a vendor bill the other way round."""
    debit_side = (kind == "customer") == counterpart
    return (amount, Decimal(0)) if debit_side else (Decimal(0), amount)


async def _entry_lines(
    db: AsyncSession, invoice: Invoice, lines: list[InvoiceLine], partner: Partner
) -> list[posting.Line]:
    """The entry's lines in the invoice's currency: the counterpart first."""
    tenant_id, kind = invoice.tenant_id, invoice.kind
    counterpart = await account_by_ref(db, tenant_id, COUNTERPART[kind], "lines")
    out = [
        posting.Line(
            counterpart.id,
            *_side(kind, invoice.total, counterpart=True),
            label=f"{invoice.number} {partner.name}"[:300],
            partner_id=partner.id,
        )
    ]
    for line in lines:
        if line.subtotal:
            out.append(
                posting.Line(
                    line.account_id,
                    *_side(kind, line.subtotal, counterpart=False),
                    label=line.description[:300],
                    partner_id=partner.id,
                )
            )
    taxes: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.tax_id is not None and line.tax_amount:
            taxes[line.tax_id] += line.tax_amount
    for tax_id, amount in taxes.items():
        tax = await db.scalar(select(Tax).where(Tax.id == tax_id))
        assert tax is not None  # a foreign key holds it
        out.append(
            posting.Line(
                tax.account_id,
                *_side(kind, amount, counterpart=False),
                label=tax.name[:300],
                partner_id=partner.id,
            )
        )
    return out


async def post_invoice(
    db: AsyncSession, tenant_id: uuid.UUID, invoice_id: uuid.UUID, *, by: uuid.UUID | None = None
) -> Invoice:
    """Number the draft, book its entry and announce it (``accounting.invoice.posted``)."""
    invoice = await locked_invoice(db, invoice_id)
    if invoice.status != "draft":
        raise Conflict(f"Invoice {invoice.number} is {invoice.status}: only a draft is posted.")
    if invoice.total <= 0:
        raise Invalid("lines", "an invoice's total must be above zero to post it")
    partner = await db.scalar(select(Partner).where(Partner.id == invoice.partner_id))
    assert partner is not None  # a foreign key holds it
    if not partner.active:
        raise Invalid("partner_id", f"the partner {partner.name!r} is archived")
    company = await company_currency(db, tenant_id)
    rate = await invoice_rate(db, tenant_id, invoice.currency, invoice.date)
    journal = await journal_by_code(db, tenant_id, JOURNALS[invoice.kind])
    invoice.number = await next_document_number(
        db, tenant_id, SERIES[invoice.kind], invoice.date.year
    )
    lines = await _entry_lines(db, invoice, await lines_of(db, invoice.id), partner)
    if invoice.currency != company:
        lines = posting.converted(lines, invoice.currency, rate, company)
    entry = await posting.post_new(
        db,
        tenant_id,
        posting.Draft(
            journal=journal,
            date=invoice.date,
            memo=f"{invoice.number} {partner.name}"[:500],
            currency=invoice.currency,
            lines=tuple(lines),
            source_type=SOURCE_TYPE,
            source_id=str(invoice.id),
        ),
        by=by,
    )
    counterpart = lines[0]
    invoice.rate = rate
    invoice.entry_id = entry.id
    invoice.residual = invoice.total
    invoice.residual_company = counterpart.debit or counterpart.credit
    invoice.status = payment_status(invoice.residual, invoice.total)
    invoice.posted_at = datetime.now(UTC)
    await db.flush()
    await db.refresh(invoice)
    await emit(db, tenant_id, "accounting.invoice.posted", posted_payload(invoice, partner))
    return invoice


def posted_payload(invoice: Invoice, partner: Partner) -> dict[str, Any]:
    return {
        "invoice_id": str(invoice.id),
        "number": invoice.number,
        "kind": invoice.kind,
        "partner_id": str(partner.id),
        "partner_name": partner.name,
        "crm_account_id": partner.crm_account_id,
        "total": str(round_money(invoice.total, invoice.currency)),
        "currency": invoice.currency,
        "date": invoice.date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "source_type": invoice.source_type,
        "source_id": invoice.source_id,
    }


async def cancel_invoice(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    invoice_id: uuid.UUID,
    *,
    day: date | None = None,
    by: uuid.UUID | None = None,
) -> Invoice:
    """Give up a draft, or undo a posted invoice nothing has paid with a reversing entry dated
    ``day`` (today by default)."""
    invoice = await locked_invoice(db, invoice_id)
    if invoice.status == "draft":
        invoice.status = "cancelled"
        await db.flush()
        await db.refresh(invoice)
        return invoice
    if invoice.status == "cancelled":
        raise Conflict(f"Invoice {invoice.number} is already cancelled.")
    paid = await db.scalar(
        select(func.count())
        .select_from(PaymentAllocation)
        .where(PaymentAllocation.invoice_id == invoice.id)
    )
    if paid or invoice.residual != invoice.total:
        raise Conflict(
            f"Invoice {invoice.number} has payments: it cannot be cancelled "
            "(issue a refund instead)."
        )
    assert invoice.entry_id is not None  # the table's check holds it for a posted invoice
    reversal = await posting.reverse(
        db,
        tenant_id,
        invoice.entry_id,
        day=day or max(today(), invoice.date),
        memo=f"Cancellation of {invoice.number}",
        by=by,
    )
    invoice.reversal_entry_id = reversal.id
    invoice.status = "cancelled"
    await db.flush()
    await db.refresh(invoice)
    return invoice
