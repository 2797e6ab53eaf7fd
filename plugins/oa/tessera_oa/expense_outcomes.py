"""How a submitted claim or advance ends, whoever ends it, with the event that says so.

The workflow engine's decisions (through its events), an approval that needs no step, and the
member's withdrawal all end here, so the status, the event and its payload are the same on
every path. Each event is written through the same session as the status change: it is in the
outbox exactly when the change is committed.

``oa.expense.approved`` is what accounting posts (see docs/modules/oa.md, "Expenses"): the
claim's totals per currency with the advance deducted, and its lines summed by category and
currency. Amounts are strings with two decimals.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import emit
from tessera_oa.currencies import money
from tessera_oa.expense_lines import categories_by_id, lines_of
from tessera_oa.expense_models import ExpenseAdvance, ExpenseClaim, ExpenseLine
from tessera_oa.expense_totals import totals

#: A submitted record's status after each outcome: sent back or withdrawn, it is a draft again.
STATUS_AFTER = {
    "approved": "approved",
    "rejected": "rejected",
    "returned": "draft",
    "withdrawn": "draft",
}


async def advance_of(db: AsyncSession, claim: ExpenseClaim) -> ExpenseAdvance | None:
    if claim.advance_id is None:
        return None
    return await db.get(ExpenseAdvance, (claim.tenant_id, claim.advance_id))


def _by_category(lines: list[ExpenseLine], names: dict[uuid.UUID, str]) -> list[dict[str, Any]]:
    sums: dict[tuple[uuid.UUID, str], list[Decimal]] = defaultdict(list)
    for line in lines:
        sums[(line.category_id, line.currency)].append(Decimal(line.amount))
    ordered = sorted(sums.items(), key=lambda item: (names[item[0][0]], item[0][1]))
    return [
        {
            "category_id": str(category_id),
            "category": names[category_id],
            "currency": currency,
            "amount": money(sum(amounts, Decimal(0))),
            "lines": len(amounts),
        }
        for (category_id, currency), amounts in ordered
    ]


async def claim_payload(db: AsyncSession, claim: ExpenseClaim) -> dict[str, Any]:
    """The claim as accounting needs it: who, totals per currency, lines by category."""
    lines = await lines_of(db, claim.id)
    categories = await categories_by_id(db, [line.category_id for line in lines])
    advance = await advance_of(db, claim)
    return {
        "claim_id": str(claim.id),
        "user_id": str(claim.user_id),
        "title": claim.title,
        "status": claim.status,
        "approval_id": str(claim.approval_id) if claim.approval_id else None,
        "submitted_at": claim.submitted_at.isoformat() if claim.submitted_at else None,
        "decided_at": claim.decided_at.isoformat() if claim.decided_at else None,
        "over_limit": claim.over_limit,
        "paid_at": claim.paid_at.isoformat() if claim.paid_at else None,
        "paid_by": str(claim.paid_by) if claim.paid_by else None,
        "payment_reference": claim.payment_reference,
        "advance": None
        if advance is None
        else {
            "advance_id": str(advance.id),
            "amount": money(advance.amount),
            "currency": advance.currency,
        },
        "totals": [
            {
                "currency": t.currency,
                "total": money(t.total),
                "advance": money(t.advance),
                "net_payable": money(t.net_payable),
                "advance_unused": money(t.advance_unused),
            }
            for t in totals(lines, advance)
        ],
        "lines_by_category": _by_category(lines, {c.id: c.name for c in categories.values()}),
    }


async def conclude_claim(
    db: AsyncSession, claim: ExpenseClaim, outcome: str, *, by: uuid.UUID | None
) -> None:
    """End a submitted claim: approved, rejected, returned (to draft) or withdrawn (to draft).

    A rejected claim lets go of its advance, which another claim may then deduct.
    """
    claim.status = STATUS_AFTER[outcome]
    if outcome in ("approved", "rejected"):
        claim.decided_at = datetime.now(UTC)
    else:
        claim.submitted_at = None
    if outcome == "rejected":
        claim.advance_id = None
    await db.flush()
    payload = {**await claim_payload(db, claim), "by_user_id": str(by) if by else None}
    await emit(db, claim.tenant_id, f"oa.expense.{outcome}", payload)


def advance_payload(advance: ExpenseAdvance) -> dict[str, Any]:
    return {
        "advance_id": str(advance.id),
        "user_id": str(advance.user_id),
        "amount": money(advance.amount),
        "currency": advance.currency,
        "purpose": advance.purpose,
        "status": advance.status,
        "approval_id": str(advance.approval_id) if advance.approval_id else None,
    }


async def conclude_advance(
    db: AsyncSession, advance: ExpenseAdvance, outcome: str, *, by: uuid.UUID | None
) -> None:
    advance.status = STATUS_AFTER[outcome]
    if outcome in ("approved", "rejected"):
        advance.decided_at = datetime.now(UTC)
    else:
        advance.submitted_at = None
    await db.flush()
    payload = {**advance_payload(advance), "by_user_id": str(by) if by else None}
    await emit(db, advance.tenant_id, f"oa.expense_advance.{outcome}", payload)


async def applied_claims(
    db: AsyncSession, advance_ids: list[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """Advance id -> the claim it is deducted from, for those that are."""
    if not advance_ids:
        return {}
    query = select(ExpenseClaim.advance_id, ExpenseClaim.id).where(
        ExpenseClaim.advance_id.in_(advance_ids)
    )
    return {row[0]: row[1] for row in await db.execute(query) if row[0] is not None}
