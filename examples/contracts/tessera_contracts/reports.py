"""The dashboard's figure: what is still to be received, by the month it is due.

Open amounts (an instalment's amount less what is paid of it) of active contracts, summed per
currency — never across currencies — by due month. ``from``/``to`` are days, both included; by
default the twelve months from the current one. One grouped query.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Date, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Invalid, round_money
from tessera_contracts.models import Contract, Instalment
from tessera_contracts.schemas import DueByMonthOut, Series
from tessera_contracts.service import today

EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)
MAX_MONTHS = 120


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
    start = start or month_start(today())
    end = end or month_start(start, 12) - timedelta(days=1)
    if start > end:
        raise Invalid("from", "must not be after 'to'")
    if len(months(start, end)) > MAX_MONTHS:
        raise Invalid("from", f"the period is at most {MAX_MONTHS} months long")
    return start, end


async def due_by_month(db: AsyncSession, start: date | None, end: date | None) -> DueByMonthOut:
    start, end = period(start, end)
    month = cast(func.date_trunc("month", Instalment.due_date), Date).label("month")
    rows = await db.execute(
        select(month, Contract.currency, func.sum(Instalment.amount - Instalment.paid))
        .join(Contract, Contract.id == Instalment.contract_id)
        .where(
            Contract.status == "active",
            Instalment.status == "open",
            Instalment.due_date >= start,
            Instalment.due_date <= end,
        )
        .group_by(month, Contract.currency)
    )
    slots = months(start, end)
    index = {slot: position for position, slot in enumerate(slots)}
    sums: dict[str, list[Decimal]] = {}
    for when, currency, amount in rows:
        data = sums.setdefault(currency, [Decimal(0)] * len(slots))
        data[index[when]] += amount
    series = [
        Series(
            currency,
            [round_money(value, currency) for value in data],
            round_money(sum(data, Decimal(0)), currency),
        )
        for currency, data in sorted(sums.items())
    ]
    labels = [f"{slot.year:04d}-{slot.month:02d}" for slot in slots]
    return DueByMonthOut(from_=start, to=end, labels=labels, series=series)
