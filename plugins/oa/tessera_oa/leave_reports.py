"""Leave taken per leave type or per department, shaped for the dashboard's charts.

``GET /api/v1/oa/leave/reports/taken?from&to&by``: the working days of approved requests that
start from ``from`` to ``to`` (both included; by default the year so far), summed per leave
type (``by=type``) or per department of the member (``by=department``; members in none under
"No department", last). A request is counted whole in the period it starts in: its days were
reckoned on the tenant's calendar when it was made, and splitting them at the period's edge
would mean reckoning again. It covers the requests the caller reaches through
``oa.leave.read``'s record rule (their own, their team's, or all). One grouped query.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from litestar import Controller, get
from litestar.params import QueryParameter
from sqlalchemy import ColumnElement, Select, func, select

from tessera.plugin import Actor, Invalid, Language, Member, Uow, requires, visible_to
from tessera_oa.leave_balances import READ
from tessera_oa.models import Department, DepartmentMember, LeaveRequest, LeaveType

#: What "No department" and the series read as; the plugin's catalogue translates them.
NO_DEPARTMENT, DAYS_TAKEN = "No department", "Days taken"
MESSAGES = (NO_DEPARTMENT, DAYS_TAKEN)
MAX_YEARS = 3
FromQuery = Annotated[date | None, QueryParameter(name="from", description="First day")]
ToQuery = Annotated[date | None, QueryParameter(description="Last day, included")]
ByQuery = Annotated[
    Literal["type", "department"], QueryParameter(description="Per leave type or department")
]


class DaysSeries(msgspec.Struct):
    name: str
    #: Days per label, to the half day.
    data: list[Decimal]


class TakenOut(msgspec.Struct, kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    by: str
    #: Leave types' or departments' names.
    labels: list[str]
    #: The leave type's or department's id of each label (null: members in no department).
    keys: list[uuid.UUID | None]
    series: list[DaysSeries]
    total: Decimal


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28)


def report_period(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked for (the year so far by default): ``to`` not before ``from``, and at
    most three years long."""
    end = end or datetime.now(UTC).date()
    start = start or end.replace(month=1, day=1)
    if end < start:
        raise Invalid("to", "must not be before 'from'")
    if end >= years_later(start, MAX_YEARS):
        raise Invalid("to", f"the period is at most {MAX_YEARS} years long")
    return start, end


def _approved_in(actor: Actor, start: date, end: date) -> list[ColumnElement[bool]]:
    return [
        visible_to(actor, READ, LeaveRequest.user_id),
        LeaveRequest.status == "approved",
        LeaveRequest.start_date >= start,
        LeaveRequest.start_date < end + timedelta(days=1),
    ]


def _per_type(actor: Actor, start: date, end: date) -> Select[uuid.UUID, str, Decimal]:
    return (
        select(LeaveType.id, LeaveType.name, func.sum(LeaveRequest.days))
        .select_from(LeaveRequest)
        .join(
            LeaveType,
            (LeaveType.tenant_id == LeaveRequest.tenant_id)
            & (LeaveType.id == LeaveRequest.leave_type_id),
        )
        .where(*_approved_in(actor, start, end))
        .group_by(LeaveType.id, LeaveType.name)
        .order_by(LeaveType.name)
    )


def _per_department(
    actor: Actor, start: date, end: date
) -> Select[uuid.UUID | None, str | None, Decimal]:
    return (
        select(Department.id, Department.name, func.sum(LeaveRequest.days))
        .select_from(LeaveRequest)
        .outerjoin(
            DepartmentMember,
            (DepartmentMember.tenant_id == LeaveRequest.tenant_id)
            & (DepartmentMember.user_id == LeaveRequest.user_id),
        )
        .outerjoin(
            Department,
            (Department.tenant_id == DepartmentMember.tenant_id)
            & (Department.id == DepartmentMember.department_id),
        )
        .where(*_approved_in(actor, start, end))
        .group_by(Department.id, Department.name)
        # Named departments by name; members in none last.
        .order_by(Department.name.is_(None), Department.name)
    )


class LeaveReportsController(Controller):
    path = "/leave/reports"
    tags = ["oa"]

    @get(
        "/taken",
        summary="Days of approved leave per leave type or per department",
        opt=requires(READ),
    )
    async def taken(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        from_: FromQuery = None,
        to: ToQuery = None,
        by: ByQuery = "type",
    ) -> TakenOut:
        start, end = report_period(from_, to)
        query = (_per_type if by == "type" else _per_department)(actor, start, end)
        rows = list(await uow.db.execute(query))
        labels = [
            name if name is not None else texts.of("oa", NO_DEPARTMENT) for _, name, _ in rows
        ]
        data = [Decimal(days) for _, _, days in rows]
        return TakenOut(
            from_=start,
            to=end,
            by=by,
            labels=labels,
            keys=[key for key, _, _ in rows],
            series=[DaysSeries(texts.of("oa", DAYS_TAKEN), data)] if rows else [],
            total=sum(data, Decimal(0)),
        )
