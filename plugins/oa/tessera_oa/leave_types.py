"""Leave types: the kinds of leave a tenant gives and their rules. Under /api/v1/oa/leave/types."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Conflict,
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
    requires,
)
from tessera_oa.models import LeaveAllocation, LeaveRequest, LeaveType

REQUEST, MANAGE = "oa.leave.request", "oa.leave.manage"
SORTING = Sorting({"name": LeaveType.name}, LeaveType.id, default="name")
TypeName = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
#: Days, to the half day (checked by :func:`half_days`: msgspec cannot bound a Decimal).
DayCount = Decimal
MAX_DAYS = Decimal(366)
ActiveFilter = Annotated[bool | None, QueryParameter(description="Only active (or retired) types")]

#: What a tenant gets when it first enables the module; it changes them as it likes.
DEFAULT_TYPES = (
    ("Annual leave", True, False, None, Decimal(20), Decimal(5)),
    ("Sick leave", True, False, Decimal(2), Decimal(10), Decimal(0)),
    ("Unpaid leave", False, True, None, Decimal(0), Decimal(0)),
)


class LeaveTypeIn(Input):
    name: TypeName
    paid: bool = True
    allow_negative: bool = False
    attachment_over_days: DayCount | None = None
    yearly_days: DayCount = Decimal(0)
    carry_over_days: DayCount = Decimal(0)
    active: bool = True


class LeaveTypePatch(Input):
    name: TypeName | None = None
    paid: bool | None = None
    allow_negative: bool | None = None
    #: null: no attachment is ever needed.
    attachment_over_days: DayCount | msgspec.UnsetType | None = msgspec.UNSET
    yearly_days: DayCount | None = None
    carry_over_days: DayCount | None = None
    active: bool | None = None


class LeaveTypeOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    paid: bool
    allow_negative: bool
    attachment_over_days: Decimal | None
    yearly_days: Decimal
    carry_over_days: Decimal
    active: bool
    created_at: datetime
    updated_at: datetime


def leave_type_out(leave_type: LeaveType) -> LeaveTypeOut:
    return msgspec.convert(leave_type, LeaveTypeOut, from_attributes=True)


def half_days(field: str, value: Decimal | None) -> Decimal | None:
    """``value``: a whole or half number of days, from 0 to 366."""
    if value is None:
        return None
    if not value.is_finite() or not 0 <= value <= MAX_DAYS:
        raise Invalid(field, f"must be from 0 to {MAX_DAYS} days")
    if (value * 2) % 1 != 0:
        raise Invalid(field, "days count to the half day (0.5)")
    return value


def clean_type_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name", "must not be blank")
    return cleaned


async def _refuse_taken(db: AsyncSession, name: str, excluding: uuid.UUID | None) -> None:
    query = select(LeaveType.id).where(func.lower(LeaveType.name) == name.casefold())
    if excluding is not None:
        query = query.where(LeaveType.id != excluding)
    if await db.scalar(query) is not None:
        raise Conflict(f"A leave type is already named {name!r}.")


async def checked_type(db: AsyncSession, tenant_id: uuid.UUID, type_id: uuid.UUID) -> LeaveType:
    """The leave type an input names, active; 422 on ``leave_type_id`` otherwise."""
    leave_type = await db.get(LeaveType, (tenant_id, type_id))
    if leave_type is None:
        raise Invalid("leave_type_id", "no such leave type")
    if not leave_type.active:
        raise Invalid("leave_type_id", f"{leave_type.name!r} is retired and takes no requests")
    return leave_type


async def create_type(db: AsyncSession, tenant_id: uuid.UUID, data: LeaveTypeIn) -> LeaveType:
    name = clean_type_name(data.name)
    await _refuse_taken(db, name, None)
    leave_type = LeaveType(
        tenant_id=tenant_id,
        name=name,
        paid=data.paid,
        allow_negative=data.allow_negative,
        attachment_over_days=half_days("attachment_over_days", data.attachment_over_days),
        yearly_days=half_days("yearly_days", data.yearly_days),
        carry_over_days=half_days("carry_over_days", data.carry_over_days),
        active=data.active,
    )
    if leave_type.attachment_over_days == 0:
        raise Invalid("attachment_over_days", "must be above 0, or null for never")
    db.add(leave_type)
    await db.flush()
    return leave_type


async def change_type(db: AsyncSession, leave_type: LeaveType, data: LeaveTypePatch) -> None:
    if data.name is not None:
        name = clean_type_name(data.name)
        await _refuse_taken(db, name, leave_type.id)
        leave_type.name = name
    for field in ("paid", "allow_negative", "active"):
        value = getattr(data, field)
        if value is not None:
            setattr(leave_type, field, value)
    for field in ("yearly_days", "carry_over_days"):
        value = getattr(data, field)
        if value is not None:
            setattr(leave_type, field, half_days(field, value))
    if not isinstance(data.attachment_over_days, msgspec.UnsetType):
        if data.attachment_over_days == 0:
            raise Invalid("attachment_over_days", "must be above 0, or null for never")
        leave_type.attachment_over_days = half_days(
            "attachment_over_days", data.attachment_over_days
        )
    await db.flush()
    await db.refresh(leave_type)


async def seed_leave_types(db: AsyncSession, tenant_id: uuid.UUID) -> None:
    for name, paid, negative, attachment, yearly, carry in DEFAULT_TYPES:
        db.add(
            LeaveType(
                tenant_id=tenant_id,
                name=name,
                paid=paid,
                allow_negative=negative,
                attachment_over_days=attachment,
                yearly_days=yearly,
                carry_over_days=carry,
            )
        )
    await db.flush()


async def get_type(db: AsyncSession, tenant_id: uuid.UUID, type_id: uuid.UUID) -> LeaveType:
    leave_type = await db.get(LeaveType, (tenant_id, type_id))
    if leave_type is None:
        raise NotFound("No such leave type.")
    return leave_type


class LeaveTypesController(Controller):
    path = "/leave/types"
    tags = ["oa"]

    @get("/", summary="The tenant's leave types", opt=requires(REQUEST))
    async def list_types(
        self,
        actor: Member,
        uow: Uow,
        active: ActiveFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[LeaveTypeOut]:
        page = SORTING.page(select(LeaveType), sort, cursor, limit)
        query = page.query
        if active is not None:
            query = query.where(LeaveType.active.is_(active))
        return page.of(list((await uow.db.scalars(query)).all()), leave_type_out)

    @post("/", status_code=HTTP_201_CREATED, summary="Create a leave type", opt=requires(MANAGE))
    async def create(self, data: JSONBody[LeaveTypeIn], actor: Member, uow: Uow) -> LeaveTypeOut:
        return leave_type_out(await create_type(uow.db, actor.tenant, data))

    @get("/{type_id:uuid}", summary="One leave type", opt=requires(REQUEST))
    async def get_one(self, type_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> LeaveTypeOut:
        return leave_type_out(await get_type(uow.db, actor.tenant, type_id))

    @patch("/{type_id:uuid}", summary="Change a leave type's rules", opt=requires(MANAGE))
    async def change(
        self, type_id: FromPath[uuid.UUID], data: JSONBody[LeaveTypePatch], actor: Member, uow: Uow
    ) -> LeaveTypeOut:
        leave_type = await get_type(uow.db, actor.tenant, type_id)
        await change_type(uow.db, leave_type, data)
        return leave_type_out(leave_type)

    @delete(
        "/{type_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a leave type nobody was given or asked for (retire it otherwise)",
        opt=requires(MANAGE),
    )
    async def remove(self, type_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        leave_type = await get_type(uow.db, actor.tenant, type_id)
        used = await uow.db.scalar(
            select(LeaveAllocation.id).where(LeaveAllocation.leave_type_id == type_id).limit(1)
        ) or await uow.db.scalar(
            select(LeaveRequest.id).where(LeaveRequest.leave_type_id == type_id).limit(1)
        )
        if used is not None:
            raise Conflict(
                f"{leave_type.name!r} has balances or requests: retire it (active: false) instead."
            )
        await uow.db.delete(leave_type)
        await uow.db.flush()
