"""The sales dashboard's figures: revenue by month and the top customers.

Revenue is the untaxed total of confirmed orders (sale and done) by their order date, summed
per currency — never across currencies. ``from``/``to`` are days, both included; by default
the twelve months up to today. One grouped query each.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import QueryParameter
from sqlalchemy import ColumnElement, func, select

from tessera.plugin import Invalid, Member, Uow, requires
from tessera_sales_purchase.models import SALE_READ, SaleOrder

CONFIRMED = ("sale", "done")
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)
MAX_MONTHS = 120
TOP = 10

FromQuery = Annotated[date | None, QueryParameter(name="from", description="First day")]
ToQuery = Annotated[date | None, QueryParameter(description="Last day")]


class Series(msgspec.Struct):
    #: The currency the amounts are in.
    name: str
    data: list[Decimal]
    total: Decimal


class RevenueOut(msgspec.Struct, kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    #: The months, "2026-01" …
    labels: list[str]
    series: list[Series]


class CustomerOut(msgspec.Struct):
    partner_id: uuid.UUID
    partner_name: str
    currency: str
    revenue: Decimal
    orders: int


class TopCustomersOut(msgspec.Struct, kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    labels: list[str]
    series: list[Series]
    customers: list[CustomerOut]


def month_start(day: date, later: int = 0) -> date:
    months = day.year * 12 + day.month - 1 + later
    return date(months // 12, months % 12 + 1, 1)


def months(start: date, end: date) -> list[date]:
    found, month = [], month_start(start)
    while month <= end:
        found.append(month)
        month = month_start(month, 1)
    return found


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


def _in_period(start: date, end: date) -> list[ColumnElement[bool]]:
    return [
        SaleOrder.state.in_(CONFIRMED),
        SaleOrder.order_date >= start,
        SaleOrder.order_date <= end,
    ]


class SalesReportsController(Controller):
    path = "/sales/reports"
    tags = ["sales_purchase"]

    @get(
        "/revenue",
        summary="Untaxed revenue of confirmed orders by month and currency",
        opt=requires(SALE_READ),
    )
    async def revenue(
        self, actor: Member, uow: Uow, from_: FromQuery = None, to: ToQuery = None
    ) -> RevenueOut:
        start, end = period(from_, to)
        month = func.date_trunc("month", SaleOrder.order_date)
        query = (
            select(SaleOrder.currency, month, func.sum(SaleOrder.untaxed))
            .where(*_in_period(start, end))
            .group_by(SaleOrder.currency, month)
        )
        labels = [m.strftime("%Y-%m") for m in months(start, end)]
        sums: dict[str, dict[str, Decimal]] = {}
        for currency, at, amount in await uow.db.execute(query):
            sums.setdefault(currency, {})[at.strftime("%Y-%m")] = Decimal(amount)
        series = [
            Series(
                currency,
                [by_month.get(label, Decimal(0)) for label in labels],
                sum(by_month.values(), Decimal(0)),
            )
            for currency, by_month in sorted(sums.items())
        ]
        return RevenueOut(from_=start, to=end, labels=labels, series=series)

    @get(
        "/top-customers",
        summary="The customers with the most revenue, per currency",
        opt=requires(SALE_READ),
    )
    async def top_customers(
        self, actor: Member, uow: Uow, from_: FromQuery = None, to: ToQuery = None
    ) -> TopCustomersOut:
        start, end = period(from_, to)
        revenue = func.sum(SaleOrder.untaxed)
        query = (
            select(
                SaleOrder.partner_id,
                func.max(SaleOrder.partner_name),
                SaleOrder.currency,
                revenue,
                func.count(),
            )
            .where(*_in_period(start, end))
            .group_by(SaleOrder.partner_id, SaleOrder.currency)
            .order_by(revenue.desc(), SaleOrder.partner_id)
            .limit(TOP)
        )
        customers = [
            CustomerOut(partner, name, currency, Decimal(amount), count)
            for partner, name, currency, amount, count in await uow.db.execute(query)
        ]
        labels = [c.partner_name for c in customers]
        currencies = sorted({c.currency for c in customers})
        series = [
            Series(
                currency,
                [c.revenue if c.currency == currency else Decimal(0) for c in customers],
                sum((c.revenue for c in customers if c.currency == currency), Decimal(0)),
            )
            for currency in currencies
        ]
        return TopCustomersOut(
            from_=start, to=end, labels=labels, series=series, customers=customers
        )
