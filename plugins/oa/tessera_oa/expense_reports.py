"""Expenses per category and month, shaped for the dashboard's charts.

``GET /api/v1/oa/expenses/reports/by-category``: the lines of approved and paid claims, by the
month they were spent in (``from`` to ``to``, UTC days, both included; by default the twelve
months up to today), summed per category and currency — never across currencies. It covers
the claims the caller may read as their own or their team's (``oa.expense.submit``'s record
rule), everyone's for managers of expenses and finance. One grouped query.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import QueryParameter
from sqlalchemy import ColumnElement, Date, cast, func, select, true

from tessera.plugin import Actor, Invalid, Member, Uow, checked_currency, requires, visible_to
from tessera_oa.expense_access import sees_all
from tessera_oa.expense_models import SUBMIT, ExpenseCategory, ExpenseClaim, ExpenseLine

#: Claims whose lines are spending: approved (to be paid) or paid.
SPENT = ("approved", "paid")
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)
#: Ten years of months is already 120 columns.
MAX_MONTHS = 120
FromQuery = Annotated[
    date | None, QueryParameter(name="from", description="First day (UTC) of the period")
]
ToQuery = Annotated[date | None, QueryParameter(description="Last day (UTC) of the period")]
CurrencyQuery = Annotated[
    str | None, QueryParameter(max_length=3, description="Only amounts in this currency")
]


class CategorySeries(msgspec.Struct):
    #: "Travel (CNY)": the category and the currency of its amounts.
    name: str
    category_id: uuid.UUID
    category: str
    currency: str
    #: One amount per label (month), as exact decimals.
    data: list[Decimal]
    total: Decimal


class Total(msgspec.Struct):
    currency: str
    amount: Decimal


class ByCategoryOut(msgspec.Struct, kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    #: The months, "2026-01" ...
    labels: list[str]
    series: list[CategorySeries]
    totals: list[Total]


def month_start(day: date, later: int = 0) -> date:
    months = day.year * 12 + day.month - 1 + later
    return date(months // 12, months % 12 + 1, 1)


def period(start: date | None, end: date | None) -> tuple[date, date]:
    for name, day in (("from", start), ("to", end)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise Invalid(name, f"must be from {EARLIEST} to {LATEST}")
    end = end or datetime.now(UTC).date()
    start = start or month_start(end, -11)
    if start > end:
        raise Invalid("from", "must not be after 'to'")
    if len(months(start, end)) > MAX_MONTHS:
        raise Invalid("from", f"the period is at most {MAX_MONTHS} months long")
    return start, end


def months(start: date, end: date) -> list[date]:
    found: list[date] = []
    month = month_start(start)
    while month <= end and len(found) <= MAX_MONTHS:
        found.append(month)
        month = month_start(month, 1)
    return found


def covered(actor: Actor) -> ColumnElement[bool]:
    return true() if sees_all(actor) else visible_to(actor, SUBMIT, ExpenseClaim.user_id)


class ExpenseReportsController(Controller):
    path = "/expenses/reports"
    tags = ["oa"]

    @get(
        "/by-category",
        summary="Approved and paid expenses per category and month, per currency",
        opt=requires(SUBMIT),
    )
    async def by_category(
        self,
        actor: Member,
        uow: Uow,
        from_: FromQuery = None,
        to: ToQuery = None,
        currency: CurrencyQuery = None,
    ) -> ByCategoryOut:
        start, end = period(from_, to)
        wanted = checked_currency(currency, "currency") if currency else None
        month = cast(func.date_trunc("month", ExpenseLine.spent_on), Date)
        query = (
            select(
                ExpenseLine.category_id,
                ExpenseCategory.name,
                ExpenseLine.currency,
                month,
                func.sum(ExpenseLine.amount),
            )
            .join(
                ExpenseClaim,
                (ExpenseClaim.tenant_id == ExpenseLine.tenant_id)
                & (ExpenseClaim.id == ExpenseLine.claim_id),
            )
            .join(
                ExpenseCategory,
                (ExpenseCategory.tenant_id == ExpenseLine.tenant_id)
                & (ExpenseCategory.id == ExpenseLine.category_id),
            )
            .where(
                covered(actor),
                ExpenseClaim.status.in_(SPENT),
                ExpenseLine.spent_on >= start,
                ExpenseLine.spent_on < end + timedelta(days=1),
            )
            .group_by(ExpenseLine.category_id, ExpenseCategory.name, ExpenseLine.currency, month)
        )
        if wanted is not None:
            query = query.where(ExpenseLine.currency == wanted)
        labels = months(start, end)
        index = {m: i for i, m in enumerate(labels)}
        sums: dict[tuple[uuid.UUID, str, str], list[Decimal]] = defaultdict(
            lambda: [Decimal("0.00")] * len(labels)
        )
        for category_id, name, line_currency, spent_in, amount in await uow.db.execute(query):
            sums[(category_id, name, line_currency)][index[spent_in]] += Decimal(amount)
        series = [
            CategorySeries(
                f"{name} ({cur})", category_id, name, cur, data, sum(data, Decimal("0.00"))
            )
            for (category_id, name, cur), data in sorted(
                sums.items(), key=lambda i: (i[0][1], i[0][2])
            )
        ]
        per_currency: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for one in series:
            per_currency[one.currency] += one.total
        return ByCategoryOut(
            from_=start,
            to=end,
            labels=[m.strftime("%Y-%m") for m in labels],
            series=series,
            totals=[Total(c, per_currency[c]) for c in sorted(per_currency)],
        )
