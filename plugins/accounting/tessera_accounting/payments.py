"""Registering a payment: money in from a customer or out to a vendor, through a bank or cash
journal, allocated to one or several of the partner's open invoices in their currency.

The entry books the bank at the payment date's rate and relieves each invoice's receivable (or
payable) at the invoice's own rate; what differs is the **realised exchange difference**,
booked on ``fx_gain`` or ``fx_loss``. An allocation that settles an invoice relieves exactly
what is left of it in the company's currency, so a paid invoice leaves nothing behind on the
receivable, however its partial payments rounded.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    Input,
    Invalid,
    NotFound,
    checked_currency,
    checked_money,
    emit,
    round_money,
    uuid7,
)
from tessera_accounting import posting
from tessera_accounting.books import account_by_ref, company_currency, journal_by_code
from tessera_accounting.invoice_models import OPEN, Invoice
from tessera_accounting.invoice_posting import COUNTERPART, invoice_rate, payment_status
from tessera_accounting.invoices import Number, today
from tessera_accounting.partners import Partner
from tessera_accounting.payment_models import Payment, PaymentAllocation

MAX_ALLOCATIONS = 200
#: The invoices a payment in each direction settles.
INVOICE_KIND = {"incoming": "customer", "outgoing": "vendor"}
#: The account role of each kind of journal a payment goes through.
MONEY_ROLE = {"bank": "bank", "cash": "cash"}
Direction = Annotated[str, msgspec.Meta(pattern="^(incoming|outgoing)$")]
JournalCode = Annotated[str, msgspec.Meta(min_length=1, max_length=10)]
Reference = Annotated[str, msgspec.Meta(max_length=100)]


class AllocationIn(Input):
    invoice_id: uuid.UUID
    #: In the invoice's currency; at most what is still open on it.
    amount: Number


class PaymentIn(Input):
    direction: Direction
    partner_id: uuid.UUID
    #: In ``currency``: the allocations' sum.
    amount: Number
    allocations: Annotated[
        list[AllocationIn], msgspec.Meta(min_length=1, max_length=MAX_ALLOCATIONS)
    ]
    #: ISO 4217; null: the invoices' currency.
    currency: str | None = None
    #: Null: today.
    date: dt.date | None = None
    #: A bank or cash journal's code.
    journal: JournalCode = "BNK"
    reference: Reference = ""


class AllocationOut(msgspec.Struct):
    invoice_id: uuid.UUID
    invoice_number: str | None
    amount: Decimal


class PaymentOut(msgspec.Struct):
    id: uuid.UUID
    number: str
    direction: str
    partner_id: uuid.UUID
    journal_id: uuid.UUID
    date: dt.date
    amount: Decimal
    currency: str
    rate: Decimal
    reference: str
    entry_id: uuid.UUID
    #: Realised exchange difference in the company's currency: a gain above zero.
    exchange_difference: Decimal
    allocations: list[AllocationOut]


@dataclass(frozen=True, slots=True)
class Settled:
    invoice: Invoice
    amount: Decimal
    relieved: Decimal


async def _partner(db: AsyncSession, partner_id: uuid.UUID) -> Partner:
    partner = await db.scalar(select(Partner).where(Partner.id == partner_id))
    if partner is None:
        raise Invalid("partner_id", "no partner of this company has this id")
    return partner


async def _open_invoices(
    db: AsyncSession, data: PaymentIn, partner: Partner
) -> dict[uuid.UUID, Invoice]:
    """The allocated invoices, locked in id order (two payments of the same invoices wait for
    one another instead of deadlocking), each checked to be open and the partner's."""
    ids = [allocation.invoice_id for allocation in data.allocations]
    if len(set(ids)) != len(ids):
        raise Invalid("allocations", "name each invoice once")
    found = (
        await db.scalars(
            select(Invoice).where(Invoice.id.in_(ids)).order_by(Invoice.id).with_for_update()
        )
    ).all()
    invoices = {invoice.id: invoice for invoice in found}
    kind = INVOICE_KIND[data.direction]
    for index, invoice_id in enumerate(ids):
        field = f"allocations[{index}].invoice_id"
        invoice = invoices.get(invoice_id)
        if invoice is None:
            raise Invalid(field, "no invoice of this company has this id")
        label = invoice.number or "this draft"
        if invoice.kind != kind:
            raise Invalid(field, f"an {data.direction} payment settles {kind} invoices")
        if invoice.partner_id != partner.id:
            raise Invalid(field, f"invoice {label} is another partner's")
        if invoice.status == "draft":
            raise Invalid(field, "the invoice is a draft: post it before paying it")
        if invoice.status not in OPEN:
            raise Invalid(field, f"invoice {label} is {invoice.status}: nothing is open on it")
    return invoices


def _settled(
    data: PaymentIn, invoices: dict[uuid.UUID, Invoice], currency: str, company: str
) -> list[Settled]:
    settled = []
    for index, allocation in enumerate(data.allocations):
        field = f"allocations[{index}].amount"
        invoice = invoices[allocation.invoice_id]
        if invoice.currency != currency:
            raise Invalid(
                f"allocations[{index}].invoice_id",
                f"invoice {invoice.number} is in {invoice.currency}, the payment in {currency}",
            )
        amount = checked_money(allocation.amount, currency, field)
        if amount <= 0:
            raise Invalid(field, "must be above zero")
        if amount > invoice.residual:
            raise Invalid(
                field,
                f"is more than is open on invoice {invoice.number} "
                f"({invoice.residual} {currency}): a payment does not overpay",
            )
        assert invoice.rate is not None  # posted
        relieved = (
            invoice.residual_company
            if amount == invoice.residual
            else round_money(amount * invoice.rate, company)
        )
        settled.append(Settled(invoice, amount, relieved))
    return settled


async def register_payment(
    db: AsyncSession, tenant_id: uuid.UUID, data: PaymentIn, *, by: uuid.UUID | None = None
) -> Payment:
    partner = await _partner(db, data.partner_id)
    invoices = await _open_invoices(db, data, partner)
    first = invoices[data.allocations[0].invoice_id]
    currency = (
        first.currency if data.currency is None else checked_currency(data.currency, "currency")
    )
    amount = checked_money(data.amount, currency, "amount")
    if amount <= 0:
        raise Invalid("amount", "must be above zero")
    company = await company_currency(db, tenant_id)
    settled = _settled(data, invoices, currency, company)
    allocated = sum((s.amount for s in settled), Decimal(0))
    if allocated != amount:
        raise Invalid(
            "allocations",
            f"add up to {allocated} {currency}; they must add up to the amount paid "
            f"({amount} {currency})",
        )
    day = data.date or today()
    payment_id = uuid7()
    journal = await journal_by_code(db, tenant_id, data.journal, "journal")
    if journal.kind not in MONEY_ROLE:
        raise Invalid("journal", f"{journal.code} is not a bank or cash journal")
    rate = await invoice_rate(db, tenant_id, currency, day)
    lines, difference = await _entry_lines(
        db, tenant_id, data.direction, journal.kind, partner, settled, amount, currency,
        rate, company,
    )  # fmt: skip
    entry = await posting.post_new(
        db,
        tenant_id,
        posting.Draft(
            journal=journal,
            date=day,
            memo=f"Payment {partner.name}"[:500],
            currency=currency,
            lines=tuple(lines),
            source_type="accounting.payment",
            source_id=str(payment_id),
        ),
        by=by,
    )
    assert entry.number is not None
    payment = Payment(
        id=payment_id,
        tenant_id=tenant_id,
        direction=data.direction,
        number=entry.number,
        partner_id=partner.id,
        journal_id=journal.id,
        date=day,
        amount=amount,
        currency=currency,
        rate=rate,
        reference=data.reference.strip(),
        entry_id=entry.id,
        exchange_difference=difference,
        created_by=by,
    )
    db.add(payment)
    await db.flush()
    db.add_all(
        PaymentAllocation(
            tenant_id=tenant_id,
            payment_id=payment.id,
            invoice_id=s.invoice.id,
            amount=s.amount,
            relieved_company=s.relieved,
        )
        for s in settled
    )
    # The allocations first: the database checks an invoice's residual against them.
    await db.flush()
    for s in settled:
        s.invoice.residual -= s.amount
        s.invoice.residual_company -= s.relieved
        s.invoice.status = payment_status(s.invoice.residual, s.invoice.total)
    await db.flush()
    await emit(db, tenant_id, "accounting.payment.registered", _payload(payment, partner, settled))
    return payment


async def _entry_lines(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    direction: str,
    journal_kind: str,
    partner: Partner,
    settled: list[Settled],
    amount: Decimal,
    currency: str,
    rate: Decimal,
    company: str,
) -> tuple[list[posting.Line], Decimal]:
    """The payment's entry in the company's currency, and the exchange difference (a gain
    above zero)."""
    foreign = currency != company
    incoming = direction == "incoming"
    money = await account_by_ref(db, tenant_id, MONEY_ROLE[journal_kind], "journal")
    counterpart = await account_by_ref(
        db, tenant_id, COUNTERPART[INVOICE_KIND[direction]], "allocations"
    )
    paid = round_money(amount * rate, company)
    sign = 1 if incoming else -1
    zero = Decimal(0)
    lines = [
        posting.Line(
            money.id,
            paid if incoming else zero,
            zero if incoming else paid,
            label=f"Payment {partner.name}"[:300],
            partner_id=partner.id,
            amount_currency=sign * amount if foreign else None,
            currency=currency if foreign else None,
        )
    ]
    for s in settled:
        lines.append(
            posting.Line(
                counterpart.id,
                zero if incoming else s.relieved,
                s.relieved if incoming else zero,
                label=(s.invoice.number or "")[:300],
                partner_id=partner.id,
                amount_currency=-sign * s.amount if foreign else None,
                currency=currency if foreign else None,
            )
        )
    relieved = sum((s.relieved for s in settled), zero)
    difference = (paid - relieved) if incoming else (relieved - paid)
    if difference:
        role = "fx_gain" if difference > 0 else "fx_loss"
        account = await account_by_ref(db, tenant_id, role, "allocations")
        # A gain is credited whichever way the money went; a loss debited.
        debit, credit = (zero, difference) if difference > 0 else (-difference, zero)
        lines.append(
            posting.Line(account.id, debit, credit, label="Exchange difference",
                         partner_id=partner.id)
        )  # fmt: skip
    return [line for line in lines if line.debit or line.credit], difference


def _payload(payment: Payment, partner: Partner, settled: list[Settled]) -> dict[str, Any]:
    return {
        "payment_id": str(payment.id),
        "number": payment.number,
        "direction": payment.direction,
        "partner_id": str(partner.id),
        "crm_account_id": partner.crm_account_id,
        "amount": str(round_money(payment.amount, payment.currency)),
        "currency": payment.currency,
        "date": payment.date.isoformat(),
        "exchange_difference": str(payment.exchange_difference),
        "invoices": [
            {
                "invoice_id": str(s.invoice.id),
                "number": s.invoice.number,
                "amount": str(round_money(s.amount, payment.currency)),
                "residual": str(round_money(s.invoice.residual, payment.currency)),
                "status": s.invoice.status,
            }
            for s in settled
        ],
    }


async def get_payment(db: AsyncSession, payment_id: uuid.UUID) -> Payment:
    payment = await db.scalar(select(Payment).where(Payment.id == payment_id))
    if payment is None:
        raise NotFound("No payment has this id.")
    return payment


async def payment_out(db: AsyncSession, payment: Payment) -> PaymentOut:
    rows = await db.execute(
        select(PaymentAllocation.invoice_id, PaymentAllocation.amount, Invoice.number)
        .join(Invoice, Invoice.id == PaymentAllocation.invoice_id)
        .where(PaymentAllocation.payment_id == payment.id)
        .order_by(PaymentAllocation.id)
    )
    return PaymentOut(
        id=payment.id,
        number=payment.number,
        direction=payment.direction,
        partner_id=payment.partner_id,
        journal_id=payment.journal_id,
        date=payment.date,
        amount=round_money(payment.amount, payment.currency),
        currency=payment.currency,
        rate=payment.rate,
        reference=payment.reference,
        entry_id=payment.entry_id,
        exchange_difference=payment.exchange_difference,
        allocations=[
            AllocationOut(r.invoice_id, r.number, round_money(r.amount, payment.currency))
            for r in rows
        ],
    )
