"""Spans of time as the calendar takes them: checked, normalised, and searched by overlap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any

import msgspec
from litestar.params import QueryParameter
from sqlalchemy import ColumnElement, func, literal_column

from tessera.plugin import Invalid

#: A moment with its offset: "2027-03-01T09:00:00+08:00". A time without one would be a guess.
Moment = Annotated[datetime, msgspec.Meta(tz=True)]
#: The longest event or booking: long enough for a conference or a week off-site, short
#: enough that a typo of a year is caught.
LONGEST = timedelta(days=31)
#: The widest window one list or export covers.
WIDEST = timedelta(days=366)

DuringFrom = Annotated[
    datetime | None,
    QueryParameter(description="With during_to: only what overlaps this window (its start)"),
]
DuringTo = Annotated[
    datetime | None,
    QueryParameter(description="With during_from: the window's end (at most 366 days later)"),
]


@dataclass(frozen=True, slots=True)
class Span:
    starts_at: datetime
    ends_at: datetime


def aware(field: str, moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        raise Invalid(field, "needs a UTC offset, e.g. 2027-03-01T09:00:00Z")
    return moment


def checked_span(starts_at: datetime, ends_at: datetime, *, all_day: bool = False) -> Span:
    """The span from ``starts_at`` to ``ends_at``, refused (422 on ``ends_at``) when it does not
    run forwards or runs longer than :data:`LONGEST`.

    An all-day span covers the days from the date of ``starts_at`` to the date of ``ends_at``
    as written (in the offset the client sent), ``ends_at`` at midnight ending the day before;
    it is kept as UTC midnights, as iCalendar keeps its floating dates.
    """
    aware("starts_at", starts_at)
    aware("ends_at", ends_at)
    if all_day:
        first = starts_at.date()
        last = ends_at.date() - timedelta(days=1) if ends_at.time() == time() else ends_at.date()
        if last < first:
            raise Invalid("ends_at", "must not be before starts_at")
        span = Span(_midnight(first), _midnight(last) + timedelta(days=1))
    else:
        if ends_at <= starts_at:
            raise Invalid("ends_at", "must be later than starts_at")
        span = Span(starts_at.astimezone(UTC), ends_at.astimezone(UTC))
    if span.ends_at - span.starts_at > LONGEST:
        raise Invalid("ends_at", f"a span lasts at most {LONGEST.days} days")
    return span


def _midnight(day: Any) -> datetime:
    return datetime.combine(day, time(), UTC)


def window(during_from: datetime | None, during_to: datetime | None) -> Span | None:
    """The window a list asks for (both ends or neither), at most :data:`WIDEST` wide."""
    if during_from is None and during_to is None:
        return None
    if during_from is None or during_to is None:
        field = "during_from" if during_from is None else "during_to"
        raise Invalid(field, "during_from and during_to go together")
    aware("during_from", during_from)
    aware("during_to", during_to)
    if during_to <= during_from:
        raise Invalid("during_to", "must be later than during_from")
    if during_to - during_from > WIDEST:
        raise Invalid("during_to", f"a window is at most {WIDEST.days} days wide")
    return Span(during_from, during_to)


def overlapping(starts_at: Any, ends_at: Any, span: Span) -> ColumnElement[bool]:
    """Rows whose ``[starts_at, ends_at)`` overlaps ``span``, in the form the GiST index of the
    span (``tstzrange(starts_at, ends_at, '[)')``) answers."""
    # The bounds as a constant, not a parameter: the index's expression must match.
    mine = func.tstzrange(starts_at, ends_at, literal_column("'[)'"))
    asked = func.tstzrange(span.starts_at, span.ends_at, literal_column("'[)'"))
    return mine.op("&&")(asked)
