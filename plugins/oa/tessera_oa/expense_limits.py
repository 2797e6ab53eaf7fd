"""When a claim is submitted: which lines need a receipt, and which exceed their limit.

A category states its limit and receipt threshold in its currency. A line in that currency is
compared as it is. A line in another currency cannot be compared (Tessera keeps no exchange
rates), so it needs a receipt whenever the category has a threshold, and it counts as over
the limit whenever the category has one: finance checks what could not be.

A limit per ``line`` compares each line. A limit per ``month`` compares, per category and
calendar month of the lines' days, the member's lines of this claim together with their lines
on claims already submitted, approved or paid; when the sum exceeds the limit, this claim's
lines of that category and month are over it. Submissions of one member take turns on a
transaction lock, so two claims submitted at once cannot each slip under a monthly limit.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Invalid
from tessera_oa.expense_models import ExpenseCategory, ExpenseClaim, ExpenseLine

#: Claims whose lines count towards a member's monthly limits.
COUNTED = ("submitted", "approved", "paid")
MonthKey = tuple[uuid.UUID, date]


def month_of(day: date) -> date:
    return day.replace(day=1)


def _comparable(line: ExpenseLine, category: ExpenseCategory) -> bool:
    return line.currency == category.currency


def require_receipts(
    lines: Sequence[ExpenseLine], categories: dict[uuid.UUID, ExpenseCategory]
) -> None:
    """422 naming the first line that needs a receipt and has none."""
    for index, line in enumerate(lines):
        category = categories[line.category_id]
        threshold = category.receipt_threshold
        if threshold is None or line.receipt_file_id is not None:
            continue
        if not _comparable(line, category):
            why = f"it is in {line.currency}, not {category.currency}"
        elif line.amount > threshold:
            why = f"it is above {threshold:.2f} {category.currency}"
        else:
            continue
        raise Invalid(
            f"lines[{index}].receipt_file_id",
            f"the {line.amount:.2f} {line.currency} of {line.spent_on} ({category.name}) needs "
            f"a receipt: {why}",
        )


async def lock_member(db: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """One member's submissions take turns until the transaction ends."""
    await db.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended('oa.expense.member:' || :key, 0))"),
        {"key": f"{tenant_id}:{user_id}"},
    )


async def _counted_before(
    db: AsyncSession, claim: ExpenseClaim, categories: Sequence[ExpenseCategory]
) -> dict[tuple[uuid.UUID, str, date], Decimal]:
    """(category, currency, month) -> the member's sum on other claims that count."""
    month = cast(func.date_trunc("month", ExpenseLine.spent_on), Date)
    query = (
        select(ExpenseLine.category_id, ExpenseLine.currency, month, func.sum(ExpenseLine.amount))
        .join(
            ExpenseClaim,
            (ExpenseClaim.tenant_id == ExpenseLine.tenant_id)
            & (ExpenseClaim.id == ExpenseLine.claim_id),
        )
        .where(
            ExpenseClaim.user_id == claim.user_id,
            ExpenseClaim.id != claim.id,
            ExpenseClaim.status.in_(COUNTED),
            ExpenseLine.category_id.in_([c.id for c in categories]),
        )
        .group_by(ExpenseLine.category_id, ExpenseLine.currency, month)
    )
    return {(row[0], row[1], row[2]): Decimal(row[3]) for row in await db.execute(query)}


async def over_limit(
    db: AsyncSession,
    claim: ExpenseClaim,
    lines: Sequence[ExpenseLine],
    categories: dict[uuid.UUID, ExpenseCategory],
) -> set[uuid.UUID]:
    """The ids of the claim's lines that are over their category's limit."""
    over: set[uuid.UUID] = set()
    by_month: dict[MonthKey, list[ExpenseLine]] = defaultdict(list)
    for line in lines:
        category = categories[line.category_id]
        if category.limit_period == "none" or category.limit_amount is None:
            continue
        if not _comparable(line, category):
            over.add(line.id)
        elif category.limit_period == "line":
            if line.amount > category.limit_amount:
                over.add(line.id)
        else:
            by_month[(category.id, month_of(line.spent_on))].append(line)
    if not by_month:
        return over
    monthly = [categories[category_id] for category_id, _ in by_month]
    before = await _counted_before(db, claim, monthly)
    for (category_id, month), group in by_month.items():
        category = categories[category_id]
        spent = before.get((category_id, str(category.currency), month), Decimal(0))
        if spent + sum((Decimal(line.amount) for line in group), Decimal(0)) > Decimal(
            str(category.limit_amount)
        ):
            over.update(line.id for line in group)
    return over
