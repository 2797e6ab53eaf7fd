"""Leave requests: asked for, held against the balance, approved on the workflow engine.

Mounted under /api/v1/oa/leave/requests. A request is always the signed-in member's own. It
counts its working days from the tenant's calendar, holds them on the balance (pending), and
is submitted to the engine in the same transaction: any refusal on the way writes nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    Forbidden,
    Input,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    approver_of,
    cancel_approval,
    emit,
    requires,
    submit_for_approval,
    visible_to,
)
from tessera_oa.leave_approval import RECORD_TYPE
from tessera_oa.leave_balances import READ, allocation_id, reserve
from tessera_oa.leave_calendar import load_calendar
from tessera_oa.leave_outcomes import cancel_approved, conclude, payload
from tessera_oa.leave_types import checked_type
from tessera_oa.models import LIVE_STATUSES, LeaveRequest, LeaveType
from tessera_oa.working_days import FIRST_YEAR, LAST_YEAR, in_years, working_days

REQUEST, MANAGE = "oa.leave.request", "oa.leave.manage"
OVERLAP = "ex_oa_leave_request_overlap"
SORTING = Sorting(
    {"start_date": LeaveRequest.start_date, "created_at": LeaveRequest.created_at},
    LeaveRequest.id,
    default="-start_date",
)
Status = Literal["pending", "approved", "rejected", "returned", "cancelled"]
UserFilter = Annotated[uuid.UUID | None, QueryParameter(description="A member's user id")]
TypeFilter = Annotated[uuid.UUID | None, QueryParameter(description="A leave type's id")]
StatusFilter = Annotated[Status | None, QueryParameter(description="Requests in this state")]
DateFrom = Annotated[date | None, QueryParameter(description="Starting on or after this date")]
DateTo = Annotated[date | None, QueryParameter(description="Starting on or before this date")]


class LeaveRequestIn(Input):
    leave_type_id: uuid.UUID
    start_date: date
    end_date: date
    #: It starts at noon: the first day counts half.
    start_half_day: bool = False
    #: It ends at noon: the last day counts half.
    end_half_day: bool = False
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    #: A file that goes with it (a doctor's note): its id or name in the tenant's documents.
    attachment_ref: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | None = None


class LeaveRequestOut(msgspec.Struct):
    id: uuid.UUID
    user_id: uuid.UUID
    leave_type_id: uuid.UUID
    start_date: date
    end_date: date
    start_half_day: bool
    end_half_day: bool
    days: Decimal
    reason: str
    attachment_ref: str | None
    status: str
    approval_id: uuid.UUID | None
    decided_at: datetime | None
    created_at: datetime
    updated_at: datetime


class Stretch(msgspec.Struct):
    """The dates of a request and the working days they take."""

    start_date: date
    end_date: date
    start_half_day: bool
    end_half_day: bool
    days: Decimal


def request_out(request: LeaveRequest) -> LeaveRequestOut:
    return msgspec.convert(request, LeaveRequestOut, from_attributes=True)


def check_dates(start: date, end: date, start_half: bool, end_half: bool) -> None:
    for field, day in (("start_date", start), ("end_date", end)):
        if not in_years(day):
            raise Invalid(field, f"must be in the years {FIRST_YEAR} to {LAST_YEAR}")
    if end < start:
        raise Invalid("end_date", "is before start_date")
    if end.year != start.year:
        raise Invalid(
            "end_date", "a request stays within one calendar year: split it at 31 December"
        )
    if start == end and start_half and end_half:
        raise Invalid("end_half_day", "a one-day request cannot both start and end at noon")


async def count_days(
    db: AsyncSession, start: date, end: date, start_half: bool, end_half: bool
) -> Decimal:
    """The working days of the stretch; 422 if it has none (zero days are no request)."""
    check_dates(start, end, start_half, end_half)
    days = working_days(await load_calendar(db, start, end), start, end, start_half, end_half)
    if days <= 0:
        raise Invalid("start_date", f"there are no working days from {start} to {end}")
    return days


def check_attachment(leave_type: LeaveType, days: Decimal, attachment: str | None) -> None:
    limit = leave_type.attachment_over_days
    if limit is not None and days > limit and not (attachment and attachment.strip()):
        raise Invalid(
            "attachment_ref",
            f"{leave_type.name} of more than {limit} day(s) needs an attachment",
        )


async def refuse_overlap(db: AsyncSession, user_id: uuid.UUID, stretch: LeaveRequest) -> None:
    """409 naming the member's live request that shares a half day with ``stretch``."""
    other = (
        await db.scalars(
            select(LeaveRequest).where(
                LeaveRequest.user_id == user_id,
                LeaveRequest.status.in_(LIVE_STATUSES),
                LeaveRequest.half_days.op("&&")(_half_days(stretch)),
            )
        )
    ).first()
    if other is not None:
        raise _overlap(other)


def _half_days(request: LeaveRequest) -> object:
    epoch = date(2000, 1, 1)
    first = (request.start_date - epoch).days * 2 + int(request.start_half_day)
    last = (request.end_date - epoch).days * 2 + 2 - int(request.end_half_day)
    return func.int4range(first, last)


def _overlap(other: LeaveRequest | None) -> Conflict:
    if other is None:
        return Conflict("You already have leave on some of these days.")
    return Conflict(
        f"You already have leave from {other.start_date} to {other.end_date} ({other.status}) "
        "on some of these days.",
        extensions={"overlapping_request_id": other.id},
    )


async def _insert(db: AsyncSession, request: LeaveRequest) -> None:
    db.add(request)
    try:
        await db.flush()
    except IntegrityError as exc:
        # A request of the same member made at the same moment took the days first.
        if OVERLAP in str(exc.orig):
            raise _overlap(None) from None
        raise


async def _submit(uow: Uow, actor: Actor, request: LeaveRequest) -> None:
    """Start the approval; one that no step applies to approves the request at once."""
    try:
        approval = await submit_for_approval(uow.db, actor, RECORD_TYPE, request.id)
    except Invalid as exc:
        # The workflow found no approver (no manager in the reporting line, say).
        raise Conflict(
            f"Your request cannot go for approval: {exc.errors[0].message}. "
            "Ask an admin to set your manager or change the leave workflow."
        ) from None
    except Conflict as exc:
        raise Conflict(f"Your request cannot go for approval: {exc.detail}") from None
    request.approval_id = approval.id
    await uow.db.flush()
    if approval.status == "approved":
        await conclude(uow.db, request, "approved")


async def request_leave(uow: Uow, actor: Actor, data: LeaveRequestIn) -> LeaveRequest:
    db, tenant_id = uow.db, actor.tenant
    leave_type = await checked_type(db, tenant_id, data.leave_type_id)
    days = await count_days(
        db, data.start_date, data.end_date, data.start_half_day, data.end_half_day
    )
    check_attachment(leave_type, days, data.attachment_ref)
    request = LeaveRequest(
        tenant_id=tenant_id,
        user_id=actor.user_id,
        leave_type_id=leave_type.id,
        start_date=data.start_date,
        end_date=data.end_date,
        start_half_day=data.start_half_day,
        end_half_day=data.end_half_day,
        days=days,
        reason=data.reason.strip(),
        attachment_ref=data.attachment_ref.strip() if data.attachment_ref else None,
        status="pending",
    )
    await refuse_overlap(db, actor.user_id, request)
    allocation = await allocation_id(db, tenant_id, actor.user_id, leave_type, data.start_date.year)
    await reserve(db, tenant_id, allocation, days, leave_type)
    request.allocation_id = allocation
    await _insert(db, request)
    await _submit(uow, actor, request)
    await emit(db, tenant_id, "oa.leave.requested", payload(request))
    await db.refresh(request)
    return request


async def get_visible(db: AsyncSession, actor: Actor, request_id: uuid.UUID) -> LeaveRequest:
    """The request if ``actor`` may see it (their own, their team's or all); 404 otherwise."""
    request = (
        await db.scalars(
            select(LeaveRequest).where(
                LeaveRequest.id == request_id, visible_to(actor, READ, LeaveRequest.user_id)
            )
        )
    ).first()
    if request is None:
        raise NotFound("No such leave request.")
    return request


async def get_readable(db: AsyncSession, actor: Actor, request_id: uuid.UUID) -> LeaveRequest:
    """The request if ``actor`` may see it, or holds or held a task of its approval (an approver
    sees what they decide on); 404 otherwise. Acting on it stays with ``get_visible``."""
    reachable = or_(
        visible_to(actor, READ, LeaveRequest.user_id),
        approver_of(actor, RECORD_TYPE, LeaveRequest.id),
    )
    query = select(LeaveRequest).where(LeaveRequest.id == request_id, reachable)
    request = (await db.scalars(query)).first()
    if request is None:
        raise NotFound("No such leave request.")
    return request


async def _locked(db: AsyncSession, actor: Actor, request_id: uuid.UUID) -> LeaveRequest:
    request = await get_visible(db, actor, request_id)
    await db.refresh(request, with_for_update=True)
    return request


async def withdraw(uow: Uow, actor: Actor, request_id: uuid.UUID) -> LeaveRequest:
    """The requester takes back a request nobody has decided yet."""
    request = await _locked(uow.db, actor, request_id)
    if request.user_id != actor.user_id:
        raise Forbidden("Only the person who asked can withdraw a request.")
    if request.status != "pending":
        raise Conflict(f"The request is {request.status}: only a pending one can be withdrawn.")
    if request.approval_id is not None:
        try:
            await cancel_approval(uow.db, actor, request.approval_id)
        except Conflict:
            raise Conflict(
                "The request was decided a moment ago; see its status, or cancel it."
            ) from None
    await conclude(uow.db, request, "withdrawn", by=actor.user_id)
    await uow.db.refresh(request)
    return request


async def cancel(uow: Uow, actor: Actor, request_id: uuid.UUID) -> LeaveRequest:
    """Call off approved leave: the requester before it starts, a leave manager at any time.

    A pending request is withdrawn instead (by the requester).
    """
    request = await _locked(uow.db, actor, request_id)
    if request.status == "pending" and request.user_id == actor.user_id:
        return await withdraw(uow, actor, request_id)
    if request.status != "approved":
        raise Conflict(f"The request is {request.status}: only approved leave can be cancelled.")
    if not actor.can(MANAGE):
        if request.user_id != actor.user_id:
            raise Forbidden("Only the person on leave or a leave manager can cancel it.")
        if request.start_date <= datetime.now(UTC).date():
            raise Conflict("Leave that has begun can be cancelled only by a leave manager.")
    await cancel_approved(uow.db, request, actor.user_id)
    await uow.db.refresh(request)
    return request


class LeaveRequestsController(Controller):
    path = "/leave/requests"
    tags = ["oa"]

    @get("/", summary="Leave requests you may see", opt=requires(READ))
    async def list_requests(
        self,
        actor: Member,
        uow: Uow,
        user_id: UserFilter = None,
        leave_type_id: TypeFilter = None,
        status: StatusFilter = None,
        start_date_from: DateFrom = None,
        start_date_to: DateTo = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[LeaveRequestOut]:
        page = SORTING.page(
            select(LeaveRequest).where(visible_to(actor, READ, LeaveRequest.user_id)),
            sort,
            cursor,
            limit,
        )
        query = page.query
        if user_id is not None:
            query = query.where(LeaveRequest.user_id == user_id)
        if leave_type_id is not None:
            query = query.where(LeaveRequest.leave_type_id == leave_type_id)
        if status is not None:
            query = query.where(LeaveRequest.status == status)
        if start_date_from is not None:
            query = query.where(LeaveRequest.start_date >= start_date_from)
        if start_date_to is not None:
            query = query.where(LeaveRequest.start_date <= start_date_to)
        return page.of(list((await uow.db.scalars(query)).all()), request_out)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Ask for leave (held on your balance and sent for approval)",
        opt=requires(REQUEST),
    )
    async def create(
        self, data: JSONBody[LeaveRequestIn], actor: Member, uow: Uow
    ) -> LeaveRequestOut:
        return request_out(await request_leave(uow, actor, data))

    @get(
        "/days",
        summary="The working days a stretch of dates would take",
        opt=requires(REQUEST),
    )
    async def days(
        self,
        actor: Member,
        uow: Uow,
        start_date: Annotated[date, QueryParameter(description="First day")],
        end_date: Annotated[date, QueryParameter(description="Last day, included")],
        start_half_day: Annotated[bool, QueryParameter(description="From noon")] = False,
        end_half_day: Annotated[bool, QueryParameter(description="Until noon")] = False,
    ) -> Stretch:
        days = await count_days(uow.db, start_date, end_date, start_half_day, end_half_day)
        return Stretch(start_date, end_date, start_half_day, end_half_day, days)

    @get("/{request_id:uuid}", summary="One leave request", opt=requires(READ))
    async def get_one(
        self, request_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> LeaveRequestOut:
        return request_out(await get_readable(uow.db, actor, request_id))

    @post(
        "/{request_id:uuid}/withdraw",
        status_code=HTTP_200_OK,
        summary="Withdraw your request before it is decided",
        opt=requires(REQUEST),
    )
    async def withdraw_one(
        self, request_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> LeaveRequestOut:
        return request_out(await withdraw(uow, actor, request_id))

    @post(
        "/{request_id:uuid}/cancel",
        status_code=HTTP_200_OK,
        summary="Cancel approved leave (yours before it starts; anyone's as a leave manager)",
        opt=requires(REQUEST),
    )
    async def cancel_one(
        self, request_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> LeaveRequestOut:
        return request_out(await cancel(uow, actor, request_id))
