"""Invoices and bills as drafts: what a client gives (over HTTP or through the
``accounting.invoicing`` service) checked into lines and totals, written, changed, shown.

Posting and cancelling are in :mod:`tessera_accounting.invoice_posting`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Conflict, Input, Invalid, NotFound, checked_currency, round_money
from tessera_accounting.books import account_by_ref, company_currency, rate_on
from tessera_accounting.invoice_amounts import (
    PRICE_PLACES,
    LineAmounts,
    TaxRule,
    exact,
    line_amounts,
    totals,
)
from tessera_accounting.invoice_models import KINDS, Invoice, InvoiceLine
from tessera_accounting.models import Account, Tax
from tessera_accounting.partners import Partner, partner_for

MAX_LINES = 500
#: The account a line is booked on when it names none, per kind of invoice.
DEFAULT_ACCOUNT = {"customer": "sales", "vendor": "purchase"}
#: The tax kind a line of each kind of invoice may carry.
TAX_KIND = {"customer": "sale", "vendor": "purchase"}

#: Money and quantities arrive as decimal text ("12.50"); a JSON number is refused with 422
#: when it is a float (its value depends on how the client printed it).
Number = str | int | float
Description = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Reference = Annotated[str, msgspec.Meta(max_length=100)]
Notes = Annotated[str, msgspec.Meta(max_length=4000)]
KindText = Annotated[str, msgspec.Meta(pattern="^(customer|vendor)$")]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
ProductId = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class InvoiceLineIn(Input):
    description: Description
    unit_price: Number
    quantity: Number = "1"
    #: Percent off the price, 0 to 100.
    discount: Number = "0"
    #: A tax's code (of the invoice's kind: sale or purchase), or null.
    tax: Code | None = None
    product_id: ProductId | None = None
    #: An account's code or a role; null: ``sales`` (customer) or ``purchase`` (vendor).
    account: Code | None = None


Lines = Annotated[list[InvoiceLineIn], msgspec.Meta(min_length=1, max_length=MAX_LINES)]


class InvoiceIn(Input):
    kind: KindText
    partner_id: uuid.UUID
    lines: Lines
    #: ISO 4217; null: the partner's currency, else the company's. Needs a rate on the date.
    currency: str | None = None
    #: Null: today.
    date: dt.date | None = None
    #: Null: the date plus the partner's payment terms.
    due_date: dt.date | None = None
    reference: Reference = ""
    notes: Notes = ""
    #: Post at once (numbered, booked) instead of keeping a draft.
    post: bool = False


class InvoicePatch(Input):
    partner_id: uuid.UUID | None = None
    currency: str | None = None
    date: dt.date | None = None
    due_date: dt.date | None = None
    reference: Reference | None = None
    notes: Notes | None = None
    #: Replaces every line.
    lines: Lines | None = None


class InvoiceLineOut(msgspec.Struct):
    id: uuid.UUID
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_id: uuid.UUID | None
    product_id: str | None
    account_id: uuid.UUID
    subtotal: Decimal
    tax_amount: Decimal


class InvoiceOut(msgspec.Struct):
    id: uuid.UUID
    kind: str
    #: INV/2026/00001 or BILL/2026/00001 once posted.
    number: str | None
    #: draft, posted, partially_paid, paid or cancelled
    status: str
    partner_id: uuid.UUID
    partner_name: str
    currency: str
    rate: Decimal | None
    date: dt.date
    due_date: dt.date
    reference: str
    notes: str
    untaxed: Decimal
    tax: Decimal
    total: Decimal
    #: What is still to be paid, in the invoice's currency.
    residual: Decimal
    entry_id: uuid.UUID | None
    reversal_entry_id: uuid.UUID | None
    source_type: str | None
    source_id: str | None
    posted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    lines: list[InvoiceLineOut] | None = None


def invoice_out(
    invoice: Invoice, partner_name: str, lines: Sequence[InvoiceLine] | None = None
) -> InvoiceOut:
    return InvoiceOut(
        id=invoice.id,
        kind=invoice.kind,
        number=invoice.number,
        status=invoice.status,
        partner_id=invoice.partner_id,
        partner_name=partner_name,
        currency=invoice.currency,
        rate=invoice.rate,
        date=invoice.date,
        due_date=invoice.due_date,
        reference=invoice.reference,
        notes=invoice.notes,
        untaxed=round_money(invoice.untaxed, invoice.currency),
        tax=round_money(invoice.tax, invoice.currency),
        total=round_money(invoice.total, invoice.currency),
        residual=round_money(invoice.residual, invoice.currency),
        entry_id=invoice.entry_id,
        reversal_entry_id=invoice.reversal_entry_id,
        source_type=invoice.source_type,
        source_id=invoice.source_id,
        posted_at=invoice.posted_at,
        created_at=invoice.created_at,
        updated_at=invoice.updated_at,
        lines=None if lines is None else [_line_out(line, invoice.currency) for line in lines],
    )


def _line_out(line: InvoiceLine, currency: str) -> InvoiceLineOut:
    return InvoiceLineOut(
        id=line.id,
        description=line.description,
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount=line.discount,
        tax_id=line.tax_id,
        product_id=line.product_id,
        account_id=line.account_id,
        subtotal=round_money(line.subtotal, currency),
        tax_amount=round_money(line.tax_amount, currency),
    )


# --- checking what is given -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckedLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_id: uuid.UUID | None
    product_id: str | None
    account_id: uuid.UUID
    amounts: LineAmounts


def today() -> date:
    return datetime.now(UTC).date()


def _text(value: object, field: str, limit: int, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise Invalid(field, "must be text")
    cleaned = value.strip()
    if required and not cleaned:
        raise Invalid(field, "must not be empty")
    if len(cleaned) > limit:
        raise Invalid(field, f"must be at most {limit} characters")
    return cleaned


async def _tax(
    db: AsyncSession, tenant_id: uuid.UUID, code: object, kind: str, field: str
) -> Tax | None:
    if code is None:
        return None
    name = _text(code, field, 30, required=True)
    tax = await db.scalar(select(Tax).where(Tax.tenant_id == tenant_id, Tax.code == name))
    if tax is None:
        raise Invalid(field, f"no tax has the code {name!r}")
    if not tax.active:
        raise Invalid(field, f"the tax {name!r} is archived")
    if tax.kind != TAX_KIND[kind]:
        raise Invalid(field, f"the tax {name!r} is a {tax.kind} tax, not for a {kind} invoice")
    return tax


async def checked_line(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    raw: Mapping[str, Any],
    kind: str,
    currency: str,
    field: str,
) -> CheckedLine:
    quantity = exact(
        raw.get("quantity", "1"), f"{field}.quantity", places=PRICE_PLACES, above_minimum=True
    )
    unit_price = exact(raw.get("unit_price"), f"{field}.unit_price", places=PRICE_PLACES)
    discount = exact(raw.get("discount", "0"), f"{field}.discount", places=2, maximum=Decimal(100))
    tax = await _tax(db, tenant_id, raw.get("tax"), kind, f"{field}.tax")
    account = await account_by_ref(
        db, tenant_id, raw.get("account") or DEFAULT_ACCOUNT[kind], f"{field}.account"
    )
    if account.reconcilable:
        raise Invalid(
            f"{field}.account",
            f"the account {account.code} is a receivable or payable: payments settle those",
        )
    product = raw.get("product_id")
    rule = None if tax is None else TaxRule(Decimal(tax.rate), tax.inclusive)
    return CheckedLine(
        description=_text(raw.get("description"), f"{field}.description", 500, required=True),
        quantity=quantity,
        unit_price=unit_price,
        discount=discount,
        tax_id=None if tax is None else tax.id,
        product_id=None if product is None else _text(product, f"{field}.product_id", 100),
        account_id=account.id,
        amounts=line_amounts(quantity, unit_price, discount, rule, currency),
    )


async def checked_lines(
    db: AsyncSession, tenant_id: uuid.UUID, raw: object, kind: str, currency: str
) -> list[CheckedLine]:
    if not isinstance(raw, Sequence) or isinstance(raw, (str, bytes)):
        raise Invalid("lines", "must be a list of lines")
    if not 1 <= len(raw) <= MAX_LINES:
        raise Invalid("lines", f"an invoice has 1 to {MAX_LINES} lines")
    checked = []
    for index, line in enumerate(raw):
        field = f"lines[{index}]"
        if not isinstance(line, Mapping):
            raise Invalid(field, "must be an object")
        checked.append(await checked_line(db, tenant_id, line, kind, currency, field))
    return checked


async def checked_invoice_currency(
    db: AsyncSession, tenant_id: uuid.UUID, given: object, partner: Partner, day: date
) -> str:
    """The invoice's currency: given, else the partner's, else the company's; one without a
    rate on the day is refused (422)."""
    company = await company_currency(db, tenant_id)
    currency = (
        (partner.currency or company) if given is None else checked_currency(given, "currency")
    )
    if currency != company and await rate_on(db, tenant_id, currency, day) is None:
        raise Invalid("currency", f"no exchange rate for {currency} on or before {day.isoformat()}")
    return currency


def checked_dates(partner: Partner, day: date, due: date | None) -> tuple[date, date]:
    due_date = due if due is not None else day + timedelta(days=partner.payment_terms_days)
    if due_date < day:
        raise Invalid("due_date", "must not be before the invoice's date")
    return day, due_date


# --- writing --------------------------------------------------------------------------------


def _line_rows(
    tenant_id: uuid.UUID, invoice_id: uuid.UUID, lines: Sequence[CheckedLine]
) -> list[InvoiceLine]:
    return [
        InvoiceLine(
            tenant_id=tenant_id,
            invoice_id=invoice_id,
            sequence=index,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            tax_id=line.tax_id,
            product_id=line.product_id,
            account_id=line.account_id,
            subtotal=line.amounts.subtotal,
            tax_amount=line.amounts.tax,
        )
        for index, line in enumerate(lines, start=1)
    ]


def _set_totals(invoice: Invoice, lines: Sequence[CheckedLine]) -> None:
    found = totals([line.amounts for line in lines])
    invoice.untaxed, invoice.tax, invoice.total = found.untaxed, found.tax, found.total
    invoice.residual = found.total


async def create_draft(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    given: Mapping[str, Any],
    *,
    by: uuid.UUID | None = None,
) -> Invoice:
    """A draft invoice from ``given`` (the shape of :class:`InvoiceIn`, or the service's)."""
    kind = given.get("kind")
    if kind not in KINDS:
        raise Invalid("kind", "must be customer or vendor")
    partner = await partner_for(db, _partner_id(given.get("partner_id")), kind)
    day = _date(given.get("date"), "date") or today()
    day, due = checked_dates(partner, day, _date(given.get("due_date"), "due_date"))
    currency = await checked_invoice_currency(db, tenant_id, given.get("currency"), partner, day)
    lines = await checked_lines(db, tenant_id, given.get("lines"), kind, currency)
    invoice = Invoice(
        tenant_id=tenant_id,
        kind=kind,
        status="draft",
        partner_id=partner.id,
        currency=currency,
        date=day,
        due_date=due,
        reference=_text(given.get("reference"), "reference", 100),
        notes=_text(given.get("notes"), "notes", 4000),
        source_type=_text(given.get("source_type"), "source_type", 60) or None,
        source_id=_text(given.get("source_id"), "source_id", 100) or None,
        residual_company=Decimal(0),
        created_by=by,
    )
    _set_totals(invoice, lines)
    db.add(invoice)
    await db.flush()
    db.add_all(_line_rows(tenant_id, invoice.id, lines))
    await db.flush()
    return invoice


def _partner_id(value: object) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Invalid("partner_id", "must be a partner's id (a UUID)") from None


def _date(value: object, field: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise Invalid(field, "must be a date")
    return value


async def change_draft(
    db: AsyncSession, tenant_id: uuid.UUID, invoice_id: uuid.UUID, data: InvoicePatch
) -> Invoice:
    invoice = await locked_invoice(db, invoice_id)
    if invoice.status != "draft":
        raise Conflict(f"Invoice {invoice.number} is {invoice.status}: only a draft changes.")
    partner = await partner_for(db, data.partner_id or invoice.partner_id, invoice.kind)
    day = data.date or invoice.date
    due = data.due_date or (invoice.due_date if data.date is None else None)
    invoice.partner_id = partner.id
    invoice.date, invoice.due_date = checked_dates(partner, day, due)
    currency = data.currency if data.currency is not None else invoice.currency
    invoice.currency = await checked_invoice_currency(db, tenant_id, currency, partner, day)
    if data.reference is not None:
        invoice.reference = data.reference.strip()
    if data.notes is not None:
        invoice.notes = data.notes.strip()
    raw_lines = (
        [msgspec.structs.asdict(line) for line in data.lines]
        if data.lines is not None
        else [await _as_given(db, line) for line in await lines_of(db, invoice.id)]
    )
    lines = await _relined(db, tenant_id, invoice, raw_lines)
    await db.execute(delete(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))
    db.add_all(_line_rows(tenant_id, invoice.id, lines))
    _set_totals(invoice, lines)
    await db.flush()
    await db.refresh(invoice)
    return invoice


async def _relined(
    db: AsyncSession, tenant_id: uuid.UUID, invoice: Invoice, raw: list[dict[str, Any]]
) -> list[CheckedLine]:
    # Lines are checked again even when unchanged: the currency (and so the rounding) may have.
    return await checked_lines(db, tenant_id, raw, invoice.kind, invoice.currency)


async def _as_given(db: AsyncSession, line: InvoiceLine) -> dict[str, Any]:
    """A stored line as a client would give it (tax and account by code)."""
    tax = (
        None
        if line.tax_id is None
        else await db.scalar(select(Tax.code).where(Tax.id == line.tax_id))
    )
    return {
        "description": line.description,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "discount": line.discount,
        "tax": tax,
        "product_id": line.product_id,
        "account": await db.scalar(select(Account.code).where(Account.id == line.account_id)),
    }


async def get_invoice(db: AsyncSession, invoice_id: uuid.UUID) -> Invoice:
    """The current tenant's invoice; 404 for another tenant's, as for none."""
    invoice = await db.scalar(select(Invoice).where(Invoice.id == invoice_id))
    if invoice is None:
        raise NotFound("No invoice has this id.")
    return invoice


async def locked_invoice(db: AsyncSession, invoice_id: uuid.UUID) -> Invoice:
    invoice = await db.scalar(select(Invoice).where(Invoice.id == invoice_id).with_for_update())
    if invoice is None:
        raise NotFound("No invoice has this id.")
    return invoice


async def lines_of(db: AsyncSession, invoice_id: uuid.UUID) -> list[InvoiceLine]:
    return list(
        (
            await db.scalars(
                select(InvoiceLine)
                .where(InvoiceLine.invoice_id == invoice_id)
                .order_by(InvoiceLine.sequence)
            )
        ).all()
    )


async def partner_names(db: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = await db.execute(select(Partner.id, Partner.name).where(Partner.id.in_(ids)))
    return {row.id: row.name for row in rows}


async def one_invoice_out(db: AsyncSession, invoice: Invoice) -> InvoiceOut:
    names = await partner_names(db, {invoice.partner_id})
    return invoice_out(invoice, names.get(invoice.partner_id, ""), await lines_of(db, invoice.id))
