"""Reading a holiday calendar from CSV or iCalendar: every row checked, every problem named.

Pure parsing, no database: the result is the dates to write, or the list of problems by row
(the CSV's line, or the iCalendar event's number), so that nothing is written unless the
whole file is good.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import icalendar

from tessera_oa.models import HOLIDAY_KINDS

MAX_ROWS = 2000
MAX_NAME = 120
#: An event longer than this is not a holiday but a mistake (or a whole season).
MAX_SPAN_DAYS = 31
#: iCalendar CATEGORIES (or X-TESSERA-KIND) that mark a make-up working day.
WORKING_DAY_MARKS = frozenset({"working_day", "working-day", "workday", "work day"})


@dataclass(frozen=True, slots=True)
class HolidayRow:
    date: date
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class RowProblem:
    #: The CSV line (the header is line 1) or the iCalendar event's number (from 1).
    row: int
    field: str
    message: str


@dataclass(slots=True)
class ReadHolidays:
    rows: list[HolidayRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    #: date -> the row that gave it first, to name repeats.
    _seen: dict[date, int] = field(default_factory=dict)

    def add(self, row_number: int, holiday: HolidayRow) -> None:
        first = self._seen.setdefault(holiday.date, row_number)
        if first != row_number:
            self.problem(row_number, "date", f"{holiday.date} is already on row {first}")
            return
        self.rows.append(holiday)

    def problem(self, row: int, field: str, message: str) -> None:
        self.problems.append(RowProblem(row, field, message))


class FileUnreadable(ValueError):
    """The file as a whole cannot be read (not CSV with the right header, not iCalendar)."""


def _clean_name(value: str) -> str | None:
    name = " ".join(value.split())
    return name if 0 < len(name) <= MAX_NAME else None


def read_csv(content: str) -> ReadHolidays:
    """Rows ``date,name[,kind]`` under a header; ``kind`` is holiday (the default) or
    working_day."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    headers = {(h or "").strip().lower() for h in reader.fieldnames or ()}
    if not {"date", "name"} <= headers:
        raise FileUnreadable("the first line must name the columns: date,name and optionally kind")
    found = ReadHolidays()
    for raw in reader:
        line = reader.line_num
        if line > MAX_ROWS + 1:
            raise FileUnreadable(f"at most {MAX_ROWS} rows")
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        _check_csv_row(found, line, row)
    return found


def _check_csv_row(found: ReadHolidays, line: int, row: dict[str, str]) -> None:
    problems = len(found.problems)
    try:
        day = date.fromisoformat(row.get("date", ""))
    except ValueError:
        found.problem(line, "date", f"{row.get('date', '')!r} is not a date (YYYY-MM-DD)")
    name = _clean_name(row.get("name", ""))
    if name is None:
        found.problem(line, "name", f"must be 1 to {MAX_NAME} characters")
    kind = row.get("kind", "").lower() or "holiday"
    if kind not in HOLIDAY_KINDS:
        found.problem(line, "kind", f"must be one of {', '.join(HOLIDAY_KINDS)}")
    if len(found.problems) == problems and name is not None:
        found.add(line, HolidayRow(day, name, kind))


def read_icalendar(content: str) -> ReadHolidays:
    """All-day VEVENTs: each date from DTSTART up to DTEND (excluded) is a holiday named by
    SUMMARY, or a working day when CATEGORIES (or X-TESSERA-KIND) says working_day."""
    try:
        calendar = icalendar.Calendar.from_ical(content)
    except (ValueError, IndexError, KeyError) as exc:
        raise FileUnreadable(f"not an iCalendar file ({exc})") from None
    if not isinstance(calendar, icalendar.Calendar):
        raise FileUnreadable("not an iCalendar file (no VCALENDAR)")
    found = ReadHolidays()
    events = calendar.walk("VEVENT")
    if len(events) > MAX_ROWS:
        raise FileUnreadable(f"at most {MAX_ROWS} events")
    for number, event in enumerate(events, start=1):
        _check_event(found, number, event)
    return found


def _event_dates(found: ReadHolidays, number: int, event: Any) -> list[date]:
    start = event.get("DTSTART")
    if start is None:
        found.problem(number, "DTSTART", "is missing")
        return []
    first = start.dt
    if isinstance(first, datetime) or not isinstance(first, date):
        found.problem(number, "DTSTART", "must be a date: holidays are all-day events")
        return []
    end = event.get("DTEND")
    last = first
    if end is not None:
        if isinstance(end.dt, datetime) or not isinstance(end.dt, date):
            found.problem(number, "DTEND", "must be a date: holidays are all-day events")
            return []
        # DTEND of an all-day event is the day after the last one (RFC 5545).
        last = end.dt - timedelta(days=1)
    elif event.get("DURATION") is not None:
        last = first + event.get("DURATION").dt - timedelta(days=1)
    if last < first:
        found.problem(number, "DTEND", "ends before it starts")
        return []
    if (last - first).days + 1 > MAX_SPAN_DAYS:
        found.problem(number, "DTEND", f"spans more than {MAX_SPAN_DAYS} days")
        return []
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _event_kind(event: Any) -> str:
    marks = {str(event.get("X-TESSERA-KIND", "")).strip().lower()}
    categories = event.get("CATEGORIES")
    for entry in categories if isinstance(categories, list) else [categories]:
        if entry is not None:
            marks |= {str(c).strip().lower() for c in entry.cats}
    return "working_day" if marks & WORKING_DAY_MARKS else "holiday"


def _check_event(found: ReadHolidays, number: int, event: Any) -> None:
    if event.get("RRULE") is not None:
        found.problem(number, "RRULE", "repeating events are not imported: list each date")
        return
    name = _clean_name(str(event.get("SUMMARY", "")))
    if name is None:
        found.problem(number, "SUMMARY", f"must be 1 to {MAX_NAME} characters")
    days = _event_dates(found, number, event)
    if name is None:
        return
    kind = _event_kind(event)
    for day in days:
        found.add(number, HolidayRow(day, name, kind))
