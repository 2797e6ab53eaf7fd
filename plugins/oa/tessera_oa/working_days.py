"""Counting the working days of a stretch of dates, from the tenant's calendar.

Pure functions over a :class:`WorkCalendar`: the working weekdays and the dates that break
them (public holidays off, make-up days on). The service loads the calendar; these count.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

HALF = Decimal("0.5")
ONE = Decimal(1)
#: Monday to Friday, as ISO weekdays.
DEFAULT_WEEK = (1, 2, 3, 4, 5)
#: The years leave can be about (allocations are kept for these).
FIRST_YEAR, LAST_YEAR = 2000, 2199


def in_years(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    working_weekdays: frozenset[int]
    #: date -> True for a make-up working day, False for a holiday.
    exceptions: Mapping[date, bool]

    def works_on(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.isoweekday() in self.working_weekdays


def dates(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def day_share(day: date, start: date, end: date, start_half: bool, end_half: bool) -> Decimal:
    """How much of ``day`` a stretch takes: the first day from noon, the last until noon."""
    share = ONE
    if day == start and start_half:
        share -= HALF
    if day == end and end_half:
        share -= HALF
    return share


def working_days(
    calendar: WorkCalendar, start: date, end: date, start_half: bool, end_half: bool
) -> Decimal:
    """The working days from ``start`` to ``end`` (both included), to the half day."""
    return sum(
        (
            day_share(day, start, end, start_half, end_half)
            for day in dates(start, end)
            if calendar.works_on(day)
        ),
        Decimal(0),
    )


def away_days(
    calendar: WorkCalendar, start: date, end: date, start_half: bool, end_half: bool
) -> Iterator[tuple[date, Decimal]]:
    """Each working day of the stretch with the share of it taken (1 or 0.5)."""
    for day in dates(start, end):
        if calendar.works_on(day):
            share = day_share(day, start, end, start_half, end_half)
            if share > 0:
                yield day, share
