"""The office's tables: the org structure (departments and who is in them) and leave."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Computed,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, INT4RANGE, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, member_fk, tenant_fk, tenant_unique


class Department(TenantModel, Timestamps):
    """A unit of the organisation, inside at most one parent; its head is a member.

    Who reports to whom stays the core's reporting line (each membership's manager): a
    department groups people, it is not a second chain of command.
    """

    __tablename__ = "oa_department"
    __recycle_permission__ = "oa.department.manage"
    __table_args__ = (
        # No cascade: a department with sub-departments is not deleted (the API says 409).
        tenant_fk("parent_id", "oa_department"),
        member_fk("head_user_id", ondelete="SET NULL"),
        tenant_unique("name"),
        Index("ix_oa_department_parent", "tenant_id", "parent_id"),
    )

    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[uuid.UUID | None]
    head_user_id: Mapped[uuid.UUID | None]


class DepartmentMember(TenantModel):
    """A member's place in a department: at most one department per member."""

    __tablename__ = "oa_department_member"
    __recycle_permission__ = "oa.department.manage"
    __table_args__ = (
        tenant_fk("department_id", "oa_department", ondelete="CASCADE"),
        # Removing someone from the tenant removes their place (restored with them).
        member_fk("user_id", ondelete="CASCADE"),
        tenant_unique("user_id"),
        Index("ix_oa_department_member_department", "tenant_id", "department_id", "user_id"),
    )

    department_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


# --- Leave --------------------------------------------------------------------------------

#: A request is "live" (holds its days and its dates) while pending or approved.
LEAVE_STATUSES = ("pending", "approved", "rejected", "returned", "cancelled")
LIVE_STATUSES = ("pending", "approved")
HOLIDAY_KINDS = ("holiday", "working_day")
#: Days, to the half day.
Days = Numeric(5, 1)
#: Each date is two half days from an epoch: morning 2n, afternoon 2n + 1. A request covers
#: the range of half days it takes, so half days of one date can go to two requests.
HALF_DAYS = (
    "int4range("
    "(start_date - DATE '2000-01-01') * 2 + start_half_day::int, "
    "(end_date - DATE '2000-01-01') * 2 + 2 - end_half_day::int)"
)


class LeaveType(TenantModel, Timestamps):
    """A kind of leave the tenant gives (annual, sick, unpaid …) and its rules."""

    __tablename__ = "oa_leave_type"
    __recycle_permission__ = "oa.leave.manage"
    __table_args__ = (
        tenant_unique("name"),
        CheckConstraint("yearly_days >= 0", name="yearly_days"),
        CheckConstraint("carry_over_days >= 0", name="carry_over_days"),
        CheckConstraint("attachment_over_days > 0", name="attachment_over_days"),
    )

    name: Mapped[str] = mapped_column(String(80))
    paid: Mapped[bool] = mapped_column(default=True)
    #: Requests may take the balance below zero (unpaid leave, or advances on next year's).
    allow_negative: Mapped[bool] = mapped_column(default=False)
    #: A request of more days than this needs an attachment (a doctor's note); None: never.
    attachment_over_days: Mapped[Decimal | None] = mapped_column(Days)
    #: What each member is entitled to in a year the year-end roll opens.
    yearly_days: Mapped[Decimal] = mapped_column(Days, default=Decimal(0))
    #: At most this many unused days move into the next year at the year-end roll.
    carry_over_days: Mapped[Decimal] = mapped_column(Days, default=Decimal(0))
    #: Retired types keep their history but take no new requests.
    active: Mapped[bool] = mapped_column(default=True)


class LeaveAllocation(TenantModel, Timestamps):
    """One member's balance of one leave type in one calendar year.

    available = entitled + carried - used - reserved. Pending requests reserve their days; an
    approval moves them to used, a refusal or withdrawal gives them back. Every change is one
    guarded UPDATE of this row, so concurrent requests cannot overdraw it.
    """

    __tablename__ = "oa_leave_allocation"
    __recycle_permission__ = "oa.leave.manage"
    __table_args__ = (
        member_fk("user_id", ondelete="CASCADE"),
        tenant_fk("leave_type_id", "oa_leave_type"),
        tenant_unique("user_id", "leave_type_id", "year"),
        Index("ix_oa_leave_allocation_type_year", "tenant_id", "leave_type_id", "year"),
        CheckConstraint("year BETWEEN 2000 AND 2200", name="year"),
        CheckConstraint("entitled_days >= 0", name="entitled_days"),
        CheckConstraint("carried_days >= 0", name="carried_days"),
        CheckConstraint("used_days >= 0", name="used_days"),
        CheckConstraint("reserved_days >= 0", name="reserved_days"),
    )

    user_id: Mapped[uuid.UUID]
    leave_type_id: Mapped[uuid.UUID]
    year: Mapped[int] = mapped_column(Integer)
    entitled_days: Mapped[Decimal] = mapped_column(Days, default=Decimal(0))
    carried_days: Mapped[Decimal] = mapped_column(Days, default=Decimal(0))
    used_days: Mapped[Decimal] = mapped_column(Days, default=Decimal(0))
    reserved_days: Mapped[Decimal] = mapped_column(Days, default=Decimal(0))


class LeaveRequest(TenantModel, Timestamps):
    """A member's request for leave from ``start_date`` to ``end_date`` (both included).

    ``start_half_day``: it starts at noon (the first day's afternoon only); ``end_half_day``:
    it ends at noon (the last day's morning only). While live, no other live request of the
    same member may share a half day: the database's exclusion constraint says so, whatever
    runs at the same time.
    """

    __tablename__ = "oa_leave_request"
    __recycle__ = False
    __table_args__ = (
        member_fk("user_id", ondelete="CASCADE"),
        tenant_fk("leave_type_id", "oa_leave_type"),
        tenant_fk("allocation_id", "oa_leave_allocation", ondelete="CASCADE"),
        Index("ix_oa_leave_request_user", "tenant_id", "user_id", "start_date"),
        Index("ix_oa_leave_request_dates", "tenant_id", "start_date", "end_date"),
        CheckConstraint("end_date >= start_date", name="dates"),
        CheckConstraint("days > 0", name="days"),
        CheckConstraint(f"status IN {LEAVE_STATUSES!r}", name="status"),
        ExcludeConstraint(
            ("tenant_id", "="),
            ("user_id", "="),
            ("half_days", "&&"),
            name="ex_oa_leave_request_overlap",
            using="gist",
            where=text(f"status IN {LIVE_STATUSES!r}"),
        ),
    )

    user_id: Mapped[uuid.UUID]
    leave_type_id: Mapped[uuid.UUID]
    allocation_id: Mapped[uuid.UUID]
    start_date: Mapped[date]
    end_date: Mapped[date]
    start_half_day: Mapped[bool] = mapped_column(default=False)
    end_half_day: Mapped[bool] = mapped_column(default=False)
    #: Working days taken, from the tenant's calendar when the request was made.
    days: Mapped[Decimal] = mapped_column(Days)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: A reference to a file (its id or name in the tenant's documents).
    attachment_ref: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    #: The workflow engine's approval of this request (its events name it).
    approval_id: Mapped[uuid.UUID | None]
    decided_at: Mapped[datetime | None]
    half_days: Mapped[Any] = mapped_column(
        INT4RANGE, Computed(HALF_DAYS, persisted=True), sort_order=95
    )


class LeaveSettings(TenantModel, Timestamps):
    """The tenant's working week: one row per tenant (absent: Monday to Friday)."""

    __tablename__ = "oa_leave_settings"
    __table_args__ = (tenant_unique(),)

    #: ISO weekdays that are working days: 1 Monday … 7 Sunday.
    working_weekdays: Mapped[list[int]] = mapped_column(ARRAY(Integer))


class Holiday(TenantModel, Timestamps):
    """A date of the tenant's calendar that breaks the working week.

    A ``holiday`` is off although its weekday works; a ``working_day`` works although its
    weekday is off (the make-up days that go with long public holidays).
    """

    __tablename__ = "oa_holiday"
    __recycle_permission__ = "oa.leave.manage"
    __table_args__ = (
        tenant_unique("date"),
        CheckConstraint(f"kind IN {HOLIDAY_KINDS!r}", name="kind"),
    )

    date: Mapped[date]
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="holiday")


class LeaveYearEnd(TenantModel):
    """That a year's balances were rolled into the next: once per tenant and year."""

    __tablename__ = "oa_leave_year_end"
    __table_args__ = (tenant_unique("year"),)

    year: Mapped[int] = mapped_column(Integer)
    rolled_at: Mapped[datetime] = mapped_column(server_default=func.now())
    rolled_by: Mapped[uuid.UUID | None]
