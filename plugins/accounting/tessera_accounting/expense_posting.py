"""Approved expense claims (OA's ``oa.expense.approved``) posted to the books: the expense role's
account debited per category, ``employee_payable`` credited per currency, in the EXP journal.

Each line in a foreign currency is converted at the rate table's rate of the claim's decision
date; a claim with no rate for one of its currencies is refused with a message naming the
currency and the date, so the delivery ends in the dead-letter list for an admin to replay once
the rate is entered. A claim is posted once, whatever the number of deliveries: its entry is
found by source, under a lock held for the transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Event, EventHandler, HandlerContext, Invalid, round_money
from tessera_accounting.books import account_by_ref, journal_by_code, rate_on, settings_of
from tessera_accounting.posting import Draft, Line, post_new, posted_for_source

SOURCE = "oa.expense_claim"
JOURNAL = "EXP"


def _decided_on(payload: Mapping[str, Any], event: Event) -> date:
    decided = payload.get("decided_at")
    return datetime.fromisoformat(decided).date() if decided else event.occurred_at.date()


async def _rate(
    db: AsyncSession, tenant_id: uuid.UUID, currency: str, company: str, day: date
) -> Decimal:
    if currency == company:
        return Decimal(1)
    rate = await rate_on(db, tenant_id, currency, day)
    if rate is None:
        raise Invalid(
            "currency",
            f"no exchange rate for {currency} on or before {day.isoformat()}: enter one, then "
            "replay the delivery",
        )
    return rate


async def claim_lines(
    db: AsyncSession, tenant_id: uuid.UUID, payload: Mapping[str, Any], day: date
) -> list[Line]:
    """Debits per category, then one credit per currency for what they add up to."""
    company = (await settings_of(db, tenant_id)).company_currency
    expense = await account_by_ref(db, tenant_id, "expense", "expense")
    payable = await account_by_ref(db, tenant_id, "employee_payable", "employee_payable")
    debits: list[Line] = []
    per_currency: dict[str, tuple[Decimal, Decimal]] = defaultdict(lambda: (Decimal(0), Decimal(0)))
    for group in payload.get("lines_by_category", []):
        currency, amount = str(group["currency"]), Decimal(str(group["amount"]))
        converted = round_money(
            amount * await _rate(db, tenant_id, currency, company, day), company
        )
        foreign = currency != company
        debits.append(
            Line(
                account_id=expense.id,
                debit=converted,
                credit=Decimal(0),
                label=str(group.get("category", "")),
                amount_currency=amount if foreign else None,
                currency=currency if foreign else None,
            )
        )
        done, original = per_currency[currency]
        per_currency[currency] = (done + converted, original + amount)
    credits = [
        Line(
            account_id=payable.id,
            debit=Decimal(0),
            credit=converted,
            label=currency,
            amount_currency=-original if currency != company else None,
            currency=currency if currency != company else None,
        )
        for currency, (converted, original) in sorted(per_currency.items())
    ]
    return [*debits, *credits]


async def post_claim(event: Event, ctx: HandlerContext) -> None:
    payload = event.payload
    claim_id = str(payload["claim_id"])
    # Two deliveries of one claim at once: the second waits here, then finds the entry.
    await ctx.db.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"{ctx.tenant_id}:{SOURCE}:{claim_id}"},
    )
    if await posted_for_source(ctx.db, ctx.tenant_id, SOURCE, claim_id) is not None:
        return
    day = _decided_on(payload, event)
    lines = await claim_lines(ctx.db, ctx.tenant_id, payload, day)
    if not lines:
        return
    currencies = {t["currency"] for t in payload.get("totals", [])}
    company = (await settings_of(ctx.db, ctx.tenant_id)).company_currency
    await post_new(
        ctx.db,
        ctx.tenant_id,
        Draft(
            journal=await journal_by_code(ctx.db, ctx.tenant_id, JOURNAL),
            date=day,
            memo=f"Expense claim: {payload.get('title', '')}"[:500],
            currency=currencies.pop() if len(currencies) == 1 else company,
            lines=tuple(lines),
            source_type=SOURCE,
            source_id=claim_id,
        ),
    )


HANDLERS = [
    EventHandler("oa.expense.approved", post_claim, name="accounting_expense_claim_approved")
]
