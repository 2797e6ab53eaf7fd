"""The shapes of the CRM's reports (labels and series, for charts) and the periods they cover.

Series data are decimal strings (exact), ``null`` where a value is undefined; an amount series
names its currency. Periods are whole UTC days, both ends included.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import msgspec

from tessera.plugin import Invalid

DEFAULT_DAYS = 90
#: Longer periods are refused: five years of weeks is already 262 columns.
MAX_DAYS = 5 * 366
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
CENT, HUNDRED = Decimal("0.01"), Decimal(100)


class Series(msgspec.Struct):
    name: str
    data: list[Decimal | None]
    #: The currency of the amounts (or of the deals counted, where counts are per currency)
    currency: str | None = None
    owner_id: uuid.UUID | None = None


class Chart(msgspec.Struct, kw_only=True):
    from_: date | None = msgspec.field(name="from")
    to: date | None
    labels: list[str]
    series: list[Series]


class Undated(msgspec.Struct):
    """Deals with no expected close date, in one currency."""

    currency: str
    open_count: int
    open: Decimal
    weighted: Decimal
    won_count: int
    won: Decimal


class ForecastOut(Chart, kw_only=True):
    undated: list[Undated]


class FunnelOut(Chart, kw_only=True):
    pipeline_id: uuid.UUID
    #: The stage of each label; null for the last, "Won"
    stage_ids: list[uuid.UUID | None]


class WinRateOut(Chart, kw_only=True):
    won: int
    lost: int
    #: Percent won of those closed; null when none closed
    rate: Decimal | None
    #: The owner of each label; null for deals without one
    owner_ids: list[uuid.UUID | None]


class PipelineValueOut(Chart, kw_only=True):
    pipeline_id: uuid.UUID
    stage_ids: list[uuid.UUID]


class Amount(msgspec.Struct):
    currency: str
    amount: Decimal


class ActivitiesOut(Chart, kw_only=True):
    """Activities logged per owner and kind: a ``count`` series per (owner, kind)."""

    interval: str
    count: int
    #: The kinds counted, each with its total in the period.
    kinds: dict[str, int]


class DealsWonOut(Chart, kw_only=True):
    interval: str
    count: int
    amounts: list[Amount]


def period(start: date | None, end: date | None, *, default: timedelta) -> tuple[date, date]:
    """``from`` and ``to``, checked; by default the ``default`` days up to today."""
    for name, day in (("from", start), ("to", end)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise Invalid(name, f"must be from {EARLIEST} to {LATEST}")
    end = end or (start + default - timedelta(days=1) if start else datetime.now(UTC).date())
    start = start or end - default + timedelta(days=1)
    if start > end:
        raise Invalid("from", "must not be after 'to'")
    if (end - start).days >= MAX_DAYS:
        raise Invalid("from", f"the period is at most {MAX_DAYS} days long")
    return start, end


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as instants: from its first midnight (UTC) to the midnight after its end."""
    return (
        datetime.combine(start, time.min, UTC),
        datetime.combine(end + timedelta(days=1), time.min, UTC),
    )


def month_start(day: date, later: int = 0) -> date:
    """The first day of ``day``'s month, or of the month ``later`` months on."""
    months = day.year * 12 + day.month - 1 + later
    return date(months // 12, months % 12 + 1, 1)


def bucket_starts(start: date, end: date, interval: str) -> list[date]:
    """Every week (from Monday) or month touching the period, as PostgreSQL's date_trunc."""
    if interval == "week":
        first = start - timedelta(days=start.weekday())
        return [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]
    months = (end.year - start.year) * 12 + end.month - start.month
    return [month_start(start, n) for n in range(months + 1)]


def percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def counts(values: Iterable[int]) -> list[Decimal | None]:
    return [Decimal(value) for value in values]


def zero() -> Decimal:
    return Decimal("0.00")


def money(value: Decimal | int) -> Decimal:
    return Decimal(value).quantize(CENT)
