"""Who is away: the team calendar, by department. Under /api/v1/oa/leave.

``/team-calendar`` gives each person's leave in a range; ``/absences`` gives one entry per
person and working day away, which is what a month calendar draws. Everyone may see who is
away; the kind of leave (sick, say) only those who may see that person's leave.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import FromPath, QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    Uow,
    member_emails,
    member_user_ids,
    requires,
    visible_to,
)
from tessera_oa.departments import checked_department, department_of, member_ids, subtree
from tessera_oa.leave_balances import READ
from tessera_oa.leave_calendar import load_calendar
from tessera_oa.models import LeaveRequest, LeaveType
from tessera_oa.working_days import FIRST_YEAR, LAST_YEAR, away_days, in_years

REQUEST = "oa.leave.request"
MAX_RANGE_DAYS = 366
DateFrom = Annotated[date | None, QueryParameter(description="First day (default: this month's)")]
DateTo = Annotated[date | None, QueryParameter(description="Last day, included")]
DepartmentFilter = Annotated[
    uuid.UUID | None,
    QueryParameter(description="Whose department (default: yours; everyone if you have none)"),
]
SubDepartments = Annotated[
    bool, QueryParameter(description="Count the members of sub-departments too")
]
Cursor = Annotated[str | None, QueryParameter(max_length=40, description="next_cursor")]


class Absence(msgspec.Struct):
    request_id: uuid.UUID
    start_date: date
    end_date: date
    start_half_day: bool
    end_half_day: bool
    days: Decimal
    status: str
    #: The kind of leave, for those who may see this person's leave; null for others.
    leave_type_id: uuid.UUID | None
    leave_type: str | None


class PersonAway(msgspec.Struct):
    user_id: uuid.UUID
    email: str
    absences: list[Absence]


class TeamCalendar(msgspec.Struct):
    date_from: date
    date_to: date
    department_id: uuid.UUID | None
    people: list[PersonAway]


class AwayDay(msgspec.Struct):
    """One person away on one working day (half: am or pm when only half of it)."""

    id: uuid.UUID
    date: date
    user_id: uuid.UUID
    email: str
    half: str | None
    status: str
    leave_type: str | None
    title: str


@dataclass(frozen=True, slots=True)
class Found:
    request: LeaveRequest
    type_name: str
    detailed: bool


def checked_range(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    for field, day in (("date_from", date_from), ("date_to", date_to)):
        if day is not None and not in_years(day):
            raise Invalid(field, f"must be in the years {FIRST_YEAR} to {LAST_YEAR}")
    today = datetime.now(UTC).date()
    first = date_from or today.replace(day=1)
    last = date_to or (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if last < first:
        raise Invalid("date_to", "is before date_from")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise Invalid("date_to", f"a range covers at most {MAX_RANGE_DAYS} days")
    return first, last


async def people_of(
    db: AsyncSession, actor: Actor, department_id: uuid.UUID | None, below: bool
) -> tuple[uuid.UUID | None, list[uuid.UUID]]:
    """The department asked for (or the actor's) and its members; everyone without one."""
    if department_id is not None:
        await checked_department(db, actor.tenant, department_id, "department_id")
    else:
        department_id = await department_of(db, actor.user_id)
        if department_id is None:
            return None, await member_user_ids(db)
    departments = await subtree(db, department_id) if below else [department_id]
    return department_id, await member_ids(db, departments)


async def away(
    db: AsyncSession,
    actor: Actor,
    user_ids: list[uuid.UUID],
    first: date,
    last: date,
    with_pending: bool,
) -> list[Found]:
    """Live requests of ``user_ids`` that touch the range, with whether the kind may show."""
    if not user_ids:
        return []
    statuses = ("approved", "pending") if with_pending else ("approved",)
    rows = await db.execute(
        select(LeaveRequest, LeaveType.name, visible_to(actor, READ, LeaveRequest.user_id))
        .join(LeaveType, LeaveType.id == LeaveRequest.leave_type_id)
        .where(
            LeaveRequest.user_id.in_(user_ids),
            LeaveRequest.status.in_(statuses),
            LeaveRequest.start_date <= last,
            LeaveRequest.end_date >= first,
        )
        .order_by(LeaveRequest.start_date, LeaveRequest.id)
    )
    return [Found(r, name, bool(detailed)) for r, name, detailed in rows]


def _absence(found: Found) -> Absence:
    r = found.request
    return Absence(
        r.id, r.start_date, r.end_date, r.start_half_day, r.end_half_day, r.days, r.status,
        r.leave_type_id if found.detailed else None,
        found.type_name if found.detailed else None,
    )  # fmt: skip


async def team_calendar(
    db: AsyncSession,
    actor: Actor,
    range_: tuple[date, date],
    department_id: uuid.UUID | None,
    below: bool,
    with_pending: bool,
) -> TeamCalendar:
    first, last = range_
    department, user_ids = await people_of(db, actor, department_id, below)
    found = await away(db, actor, user_ids, first, last, with_pending)
    emails = await member_emails(db, {f.request.user_id for f in found})
    people: dict[uuid.UUID, PersonAway] = {}
    for item in found:
        user = item.request.user_id
        person = people.setdefault(user, PersonAway(user, emails.get(user, ""), []))
        person.absences.append(_absence(item))
    ordered = sorted(people.values(), key=lambda p: (p.email, p.user_id))
    return TeamCalendar(first, last, department, ordered)


def _half(day: date, share: Decimal, request: LeaveRequest) -> str | None:
    if share == 1:
        return None
    return "pm" if day == request.start_date and request.start_half_day else "am"


async def away_by_day(
    db: AsyncSession, found: list[Found], first: date, last: date
) -> list[AwayDay]:
    if not found:
        return []
    start = min(f.request.start_date for f in found)
    end = max(f.request.end_date for f in found)
    calendar = await load_calendar(db, start, end)
    emails = await member_emails(db, {f.request.user_id for f in found})
    days: list[AwayDay] = []
    for item in found:
        r = item.request
        kind = item.type_name if item.detailed else None
        email = emails.get(r.user_id, "")
        for day, share in away_days(
            calendar, r.start_date, r.end_date, r.start_half_day, r.end_half_day
        ):
            if first <= day <= last:
                half = _half(day, share, r)
                label = f"{email} — {kind or 'away'}" + (f" ({half})" if half else "")
                days.append(AwayDay(r.id, day, r.user_id, email, half, r.status, kind, label))
    days.sort(key=lambda d: (d.date, d.email, d.id))
    return days


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(str(offset).encode()).decode().rstrip("=")


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (binascii.Error, ValueError):
        raise Invalid("cursor", "is not a cursor this API gave out") from None


def page_of_days(days: list[AwayDay], cursor: str | None, limit: int) -> Page[AwayDay]:
    start = _offset(cursor)
    shown = days[start : start + limit]
    more = start + limit < len(days)
    return Page(items=shown, next_cursor=_cursor(start + limit) if more else None)


class TeamCalendarController(Controller):
    path = "/leave"
    tags = ["oa"]

    @get(
        "/team-calendar",
        summary="Who is away in a date range, by department",
        opt=requires(REQUEST),
    )
    async def calendar(
        self,
        actor: Member,
        uow: Uow,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        department_id: DepartmentFilter = None,
        include_sub_departments: SubDepartments = False,
        include_pending: Annotated[
            bool, QueryParameter(description="Show requests not yet decided")
        ] = True,
    ) -> TeamCalendar:
        return await team_calendar(
            uow.db,
            actor,
            checked_range(date_from, date_to),
            department_id,
            include_sub_departments,
            include_pending,
        )

    @get(
        "/absences",
        summary="One entry per person and working day away (a month calendar's data)",
        opt=requires(REQUEST),
    )
    async def absences(
        self,
        actor: Member,
        uow: Uow,
        date_from: DateFrom = None,
        date_to: DateTo = None,
        department_id: DepartmentFilter = None,
        include_sub_departments: SubDepartments = False,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> Page[AwayDay]:
        first, last = checked_range(date_from, date_to)
        _, user_ids = await people_of(uow.db, actor, department_id, include_sub_departments)
        found = await away(uow.db, actor, user_ids, first, last, with_pending=True)
        return page_of_days(await away_by_day(uow.db, found, first, last), cursor, limit)

    @get(
        "/absences/{request_id:uuid}",
        summary="The first working day of a request away, as an absence entry",
        opt=requires(REQUEST),
    )
    async def absence(self, request_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> AwayDay:
        rows = await uow.db.execute(
            select(LeaveRequest, LeaveType.name, visible_to(actor, READ, LeaveRequest.user_id))
            .join(LeaveType, LeaveType.id == LeaveRequest.leave_type_id)
            .where(LeaveRequest.id == request_id, LeaveRequest.status.in_(("approved", "pending")))
        )
        row = rows.first()
        if row is None:
            raise NotFound("No such absence.")
        found = Found(row[0], row[1], bool(row[2]))
        days = await away_by_day(uow.db, [found], found.request.start_date, found.request.end_date)
        if not days:
            raise NotFound("No such absence.")
        return days[0]
