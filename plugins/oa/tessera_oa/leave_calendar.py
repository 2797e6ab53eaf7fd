"""The tenant's holiday calendar: its working week, public holidays and make-up working days.

Mounted under /api/v1/oa/leave: ``/settings`` (the working week), ``/holidays`` (one date
each; imported from CSV or iCalendar, all rows or none). Leave requests count their days
from it when they are made.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from functools import partial
from typing import Annotated, Literal

import anyio
import msgspec
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Conflict,
    DomainError,
    Input,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    Uow,
    emit,
    requires,
    uuid7,
)
from tessera_oa.holiday_files import (
    MAX_NAME,
    FileUnreadable,
    ReadHolidays,
    read_csv,
    read_icalendar,
)
from tessera_oa.models import Holiday, LeaveSettings
from tessera_oa.working_days import DEFAULT_WEEK, WorkCalendar

REQUEST, MANAGE = "oa.leave.request", "oa.leave.manage"
#: The body around a 1 MB calendar file, with JSON's escapes.
MAX_BODY = 4 * 1024 * 1024
MAX_LISTED = 100
HOLIDAY_SORTING = Sorting({"date": Holiday.date}, Holiday.id, default="date")
DateFrom = Annotated[date | None, QueryParameter(description="From this date (included)")]
DateTo = Annotated[date | None, QueryParameter(description="Up to this date (included)")]
HolidayKind = Literal["holiday", "working_day"]


class WeekIn(Input):
    #: ISO weekdays that are working days: 1 Monday … 7 Sunday.
    working_weekdays: Annotated[list[int], msgspec.Meta(max_length=7)]


class WeekOut(msgspec.Struct):
    working_weekdays: list[int]


class HolidayIn(Input):
    date: date
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_NAME)]
    kind: HolidayKind = "holiday"


class HolidayOut(msgspec.Struct):
    id: uuid.UUID
    date: date
    name: str
    kind: str
    created_at: datetime
    updated_at: datetime


class HolidayImportIn(Input):
    format: Literal["csv", "ics"]
    #: The file's text: CSV with a header ``date,name[,kind]``, or an iCalendar file.
    content: Annotated[str, msgspec.Meta(max_length=MAX_BODY // 2)]


class HolidayImportOut(msgspec.Struct):
    #: Dates written (new, or an existing date whose name or kind the file changed).
    imported: int


class HolidayImportRefused(DomainError):
    status, code, title = 422, "import-refused", "The file has errors; nothing was imported"


def holiday_out(holiday: Holiday) -> HolidayOut:
    return msgspec.convert(holiday, HolidayOut, from_attributes=True)


async def working_week(db: AsyncSession) -> tuple[int, ...]:
    settings = (await db.scalars(select(LeaveSettings))).first()
    return tuple(settings.working_weekdays) if settings else DEFAULT_WEEK


async def load_calendar(db: AsyncSession, start: date, end: date) -> WorkCalendar:
    """The tenant's calendar, with the exceptional dates between ``start`` and ``end``."""
    rows = await db.execute(
        select(Holiday.date, Holiday.kind).where(Holiday.date.between(start, end))
    )
    return WorkCalendar(
        frozenset(await working_week(db)),
        {day: kind == "working_day" for day, kind in rows},
    )


def checked_week(days: list[int]) -> list[int]:
    if not days:
        raise Invalid("working_weekdays", "name at least one working weekday")
    if any(not 1 <= day <= 7 for day in days):
        raise Invalid("working_weekdays", "weekdays are 1 (Monday) to 7 (Sunday)")
    return sorted(set(days))


async def set_week(db: AsyncSession, tenant_id: uuid.UUID, days: list[int]) -> list[int]:
    week = checked_week(days)
    settings = (await db.scalars(select(LeaveSettings).with_for_update())).first()
    if settings is None:
        db.add(LeaveSettings(tenant_id=tenant_id, working_weekdays=week))
    else:
        settings.working_weekdays = week
    await db.flush()
    return week


async def add_holiday(db: AsyncSession, tenant_id: uuid.UUID, data: HolidayIn) -> Holiday:
    name = " ".join(data.name.split())
    if not name:
        raise Invalid("name", "must not be blank")
    taken = (await db.scalars(select(Holiday).where(Holiday.date == data.date))).first()
    if taken is not None:
        raise Conflict(f"{data.date} is already in the calendar as {taken.name!r}.")
    holiday = Holiday(tenant_id=tenant_id, date=data.date, name=name, kind=data.kind)
    db.add(holiday)
    await db.flush()
    return holiday


def _read(data: HolidayImportIn) -> ReadHolidays:
    """The file parsed and checked: CPU work, done off the event loop."""
    return read_csv(data.content) if data.format == "csv" else read_icalendar(data.content)


def refuse_problems(found: ReadHolidays, unit: str) -> None:
    if not found.problems:
        return
    rows = sorted({p.row for p in found.problems})
    shown = ", ".join(map(str, rows[:20])) + (" …" if len(rows) > 20 else "")
    raise HolidayImportRefused(
        f"{len(found.problems)} problem(s) on {unit} {shown}; nothing was imported.",
        extensions={
            "rows": [
                {"row": p.row, "field": p.field, "message": p.message}
                for p in found.problems[:MAX_LISTED]
            ],
            "problem_count": len(found.problems),
        },
    )


async def import_holidays(uow: Uow, tenant_id: uuid.UUID, data: HolidayImportIn) -> int:
    """Every date of the file written (a date already there takes the file's name and kind),
    or, if any row is wrong, none."""
    try:
        found = await anyio.to_thread.run_sync(partial(_read, data))
    except FileUnreadable as exc:
        raise Invalid("content", str(exc)) from None
    refuse_problems(found, "rows" if data.format == "csv" else "events")
    if not found.rows:
        raise Invalid("content", "the file has no dates")
    statement = insert(Holiday).values(
        [
            {"tenant_id": tenant_id, "id": uuid7(), "date": r.date, "name": r.name, "kind": r.kind}
            for r in found.rows
        ]
    )
    statement = statement.on_conflict_do_update(
        index_elements=[Holiday.tenant_id, Holiday.date],
        set_={
            "name": statement.excluded.name,
            "kind": statement.excluded.kind,
            "updated_at": func.now(),
        },
        where=(Holiday.name != statement.excluded.name) | (Holiday.kind != statement.excluded.kind),
    )
    written = await uow.db.execute(statement.returning(Holiday.id))
    count = len(written.all())
    await emit(uow.db, tenant_id, "oa.holiday.imported", {"dates": count, "format": data.format})
    return count


class LeaveCalendarController(Controller):
    path = "/leave"
    tags = ["oa"]

    @get("/settings", summary="The working week", opt=requires(REQUEST))
    async def read_week(self, actor: Member, uow: Uow) -> WeekOut:
        return WeekOut(list(await working_week(uow.db)))

    @put("/settings", summary="Change the working week", opt=requires(MANAGE))
    async def change_week(self, data: JSONBody[WeekIn], actor: Member, uow: Uow) -> WeekOut:
        return WeekOut(await set_week(uow.db, actor.tenant, data.working_weekdays))

    @get("/holidays", summary="Holidays and make-up working days, by date", opt=requires(REQUEST))
    async def list_holidays(
        self,
        actor: Member,
        uow: Uow,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[HolidayOut]:
        page = HOLIDAY_SORTING.page(select(Holiday), None, cursor, limit)
        query = page.query
        if date_from is not None:
            query = query.where(Holiday.date >= date_from)
        if date_to is not None:
            query = query.where(Holiday.date <= date_to)
        return page.of(list((await uow.db.scalars(query)).all()), holiday_out)

    @post(
        "/holidays",
        status_code=HTTP_201_CREATED,
        summary="Add a holiday or a make-up working day",
        opt=requires(MANAGE),
    )
    async def add(self, data: JSONBody[HolidayIn], actor: Member, uow: Uow) -> HolidayOut:
        return holiday_out(await add_holiday(uow.db, actor.tenant, data))

    @get("/holidays/{holiday_id:uuid}", summary="One date of the calendar", opt=requires(REQUEST))
    async def get_one(self, holiday_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> HolidayOut:
        holiday = await uow.db.get(Holiday, (actor.tenant, holiday_id))
        if holiday is None:
            raise NotFound("No such date in the calendar.")
        return holiday_out(holiday)

    @delete(
        "/holidays/{holiday_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Take a date out of the calendar",
        opt=requires(MANAGE),
    )
    async def remove(self, holiday_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        holiday = await uow.db.get(Holiday, (actor.tenant, holiday_id))
        if holiday is None:
            raise NotFound("No such date in the calendar.")
        await uow.db.delete(holiday)
        await uow.db.flush()

    @post(
        "/holidays/import",
        status_code=HTTP_200_OK,
        summary="Import holidays from CSV or iCalendar (every row, or none if one is wrong)",
        opt=requires(MANAGE),
        request_max_body_size=MAX_BODY,
    )
    async def import_file(
        self, data: JSONBody[HolidayImportIn], actor: Member, uow: Uow
    ) -> HolidayImportOut:
        return HolidayImportOut(await import_holidays(uow, actor.tenant, data))
