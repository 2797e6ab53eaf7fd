"""Yearly allocations and balances, and the year-end roll that carries unused days over.

Under /api/v1/oa/leave: ``/allocations`` (admins give days), ``/balances`` (what is left, per
type), ``/year-end`` (open next year: each type's yearly days, plus what may be carried).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, get, post, put
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    HandlerContext,
    Input,
    Invalid,
    LimitQuery,
    Member,
    Page,
    Schedule,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    emit,
    is_member,
    member_user_ids,
    requires,
    uuid7,
    visible_to,
)
from tessera_oa.leave_balances import READ, ZERO, available, available_of, require_reach
from tessera_oa.leave_types import DayCount, half_days
from tessera_oa.models import LeaveAllocation, LeaveType, LeaveYearEnd

MANAGE = "oa.leave.manage"
SORTING = Sorting(
    {"year": LeaveAllocation.year, "created_at": LeaveAllocation.created_at},
    LeaveAllocation.id,
    default="-year",
)
Year = Annotated[int, msgspec.Meta(ge=2000, le=2199)]
YearQuery = Annotated[int | None, QueryParameter(ge=2000, le=2199, description="Calendar year")]
UserFilter = Annotated[uuid.UUID | None, QueryParameter(description="A member's user id")]
TypeFilter = Annotated[uuid.UUID | None, QueryParameter(description="A leave type's id")]


class AllocationIn(Input):
    user_id: uuid.UUID
    leave_type_id: uuid.UUID
    year: Year
    entitled_days: DayCount
    #: Days carried from the year before; left as they are when absent.
    carried_days: DayCount | None = None


class BulkAllocationIn(Input):
    leave_type_id: uuid.UUID
    year: Year
    entitled_days: DayCount
    #: The members to give it to; everyone in the tenant when absent.
    user_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=5000)] | None = None


class AllocationOut(msgspec.Struct):
    id: uuid.UUID
    user_id: uuid.UUID
    leave_type_id: uuid.UUID
    year: int
    entitled_days: Decimal
    carried_days: Decimal
    used_days: Decimal
    reserved_days: Decimal
    available_days: Decimal


class BalanceOut(msgspec.Struct):
    leave_type_id: uuid.UUID
    leave_type: str
    paid: bool
    allow_negative: bool
    year: int
    entitled_days: Decimal
    carried_days: Decimal
    used_days: Decimal
    #: Days held by pending requests.
    reserved_days: Decimal
    available_days: Decimal


class YearEndIn(Input):
    #: The year that ends: its balances open ``year + 1``.
    year: Year


class YearEndOut(msgspec.Struct):
    year: int
    #: Allocations of ``year + 1`` opened or topped up with carried days.
    allocations: int
    carried_days: Decimal


class BulkOut(msgspec.Struct):
    allocations: int


def allocation_out(allocation: LeaveAllocation) -> AllocationOut:
    return AllocationOut(
        allocation.id,
        allocation.user_id,
        allocation.leave_type_id,
        allocation.year,
        allocation.entitled_days,
        allocation.carried_days,
        allocation.used_days,
        allocation.reserved_days,
        available_of(allocation),
    )


async def _open(
    db: AsyncSession, tenant_id: uuid.UUID, user_ids: list[uuid.UUID], type_id: uuid.UUID, year: int
) -> None:
    """Empty allocations for members that have none of the type for the year."""
    if not user_ids:
        return
    rows = [
        {
            "tenant_id": tenant_id,
            "id": uuid7(),
            "user_id": user_id,
            "leave_type_id": type_id,
            "year": year,
            "entitled_days": ZERO,
            "carried_days": ZERO,
            "used_days": ZERO,
            "reserved_days": ZERO,
        }
        for user_id in user_ids
    ]
    await db.execute(
        insert(LeaveAllocation)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["tenant_id", "user_id", "leave_type_id", "year"])
    )


async def _entitle(
    db: AsyncSession,
    leave_type: LeaveType,
    user_ids: list[uuid.UUID],
    year: int,
    entitled: Decimal,
    carried: Decimal | None,
) -> list[LeaveAllocation]:
    """Set the entitlement, refusing (409) a balance it would take below zero."""
    values: dict[str, Decimal] = {"entitled_days": entitled}
    if carried is not None:
        values["carried_days"] = carried
    where = [
        LeaveAllocation.leave_type_id == leave_type.id,
        LeaveAllocation.year == year,
        LeaveAllocation.user_id.in_(user_ids),
    ]
    if not leave_type.allow_negative:
        below = await db.scalars(
            select(LeaveAllocation.user_id).where(
                *where,
                entitled
                + (carried if carried is not None else LeaveAllocation.carried_days)
                - LeaveAllocation.used_days
                - LeaveAllocation.reserved_days
                < 0,
            )
        )
        if refused := list(below):
            raise Conflict(
                f"That would take {len(refused)} member(s) below zero {leave_type.name}: "
                "they have used or asked for more.",
                extensions={"user_ids": refused[:100]},
            )
    changed = await db.scalars(
        update(LeaveAllocation).where(*where).values(**values).returning(LeaveAllocation),
        execution_options={"populate_existing": True},
    )
    return list(changed.all())


async def set_allocation(uow: Uow, actor: Actor, data: AllocationIn) -> LeaveAllocation:
    db = uow.db
    leave_type = await get_type_for_input(db, actor.tenant, data.leave_type_id)
    if not await is_member(db, data.user_id):
        raise Invalid("user_id", "is not a member of this tenant")
    entitled = half_days("entitled_days", data.entitled_days) or ZERO
    carried = half_days("carried_days", data.carried_days)
    await _open(db, actor.tenant, [data.user_id], leave_type.id, data.year)
    # The row is locked first, so a request holding days meanwhile is counted.
    await db.execute(
        select(LeaveAllocation.id)
        .where(
            LeaveAllocation.user_id == data.user_id,
            LeaveAllocation.leave_type_id == leave_type.id,
            LeaveAllocation.year == data.year,
        )
        .with_for_update()
    )
    [allocation] = await _entitle(db, leave_type, [data.user_id], data.year, entitled, carried)
    return allocation


async def get_type_for_input(
    db: AsyncSession, tenant_id: uuid.UUID, type_id: uuid.UUID
) -> LeaveType:
    leave_type = await db.get(LeaveType, (tenant_id, type_id))
    if leave_type is None:
        raise Invalid("leave_type_id", "no such leave type")
    return leave_type


async def allocate_many(uow: Uow, actor: Actor, data: BulkAllocationIn) -> int:
    db = uow.db
    leave_type = await get_type_for_input(db, actor.tenant, data.leave_type_id)
    members = await member_user_ids(db)
    if data.user_ids is None:
        user_ids = members
    else:
        known = set(members)
        strangers = [str(u) for u in data.user_ids if u not in known]
        if strangers:
            raise Invalid("user_ids", f"not members of this tenant: {', '.join(strangers[:20])}")
        user_ids = list(dict.fromkeys(data.user_ids))
    entitled = half_days("entitled_days", data.entitled_days) or ZERO
    await _open(db, actor.tenant, user_ids, leave_type.id, data.year)
    await db.execute(
        select(LeaveAllocation.id)
        .where(
            LeaveAllocation.leave_type_id == leave_type.id,
            LeaveAllocation.year == data.year,
            LeaveAllocation.user_id.in_(user_ids),
        )
        .order_by(LeaveAllocation.id)
        .with_for_update()
    )
    return len(await _entitle(db, leave_type, user_ids, data.year, entitled, None))


async def roll_year(
    db: AsyncSession, tenant_id: uuid.UUID, year: int, actor_user_id: uuid.UUID | None
) -> YearEndOut:
    """Open ``year + 1``: every member gets each active type's yearly days, plus the days
    left of ``year`` up to the type's carry-over limit (days held by pending requests count
    as taken). Once per year: a second roll of the same year is refused (409)."""
    rolled = await db.execute(
        insert(LeaveYearEnd)
        .values(tenant_id=tenant_id, id=uuid7(), year=year, rolled_by=actor_user_id)
        .on_conflict_do_nothing(index_elements=["tenant_id", "year"])
        .returning(LeaveYearEnd.id)
    )
    if rolled.first() is None:
        raise Conflict(f"{year} was already rolled into {year + 1}.")
    members = await member_user_ids(db)
    types = (await db.scalars(select(LeaveType).where(LeaveType.active))).all()
    opened, carried_total = 0, ZERO
    for leave_type in types:
        rows = await db.execute(
            select(LeaveAllocation.user_id, available()).where(
                LeaveAllocation.leave_type_id == leave_type.id, LeaveAllocation.year == year
            )
        )
        left: dict[uuid.UUID, Decimal] = {user_id: days for user_id, days in rows}
        opening = []
        for user_id in members:
            carry = min(max(left.get(user_id, ZERO), ZERO), leave_type.carry_over_days)
            if leave_type.yearly_days == 0 and carry == 0 and user_id not in left:
                continue
            carried_total += carry
            opening.append(
                {
                    "tenant_id": tenant_id,
                    "id": uuid7(),
                    "user_id": user_id,
                    "leave_type_id": leave_type.id,
                    "year": year + 1,
                    "entitled_days": leave_type.yearly_days,
                    "carried_days": carry,
                    "used_days": ZERO,
                    "reserved_days": ZERO,
                }
            )
        if not opening:
            continue
        statement = insert(LeaveAllocation).values(opening)
        # An allocation given ahead keeps its entitlement and gains what is carried.
        statement = statement.on_conflict_do_update(
            index_elements=["tenant_id", "user_id", "leave_type_id", "year"],
            set_={
                "carried_days": LeaveAllocation.carried_days + statement.excluded.carried_days,
                "updated_at": func.now(),
            },
        )
        await db.execute(statement)
        opened += len(opening)
    await emit(
        db,
        tenant_id,
        "oa.leave.year_rolled",
        {"year": year, "allocations": opened, "carried_days": carried_total},
    )
    return YearEndOut(year, opened, carried_total)


async def roll_last_year(ctx: HandlerContext) -> None:
    """Daily: once a year has ended, roll it (if nobody did by hand)."""
    last = datetime.now(UTC).year - 1
    done = await ctx.db.scalar(select(LeaveYearEnd.id).where(LeaveYearEnd.year == last))
    if done is None:
        await roll_year(ctx.db, ctx.tenant_id, last, None)


YEAR_END = Schedule("oa.leave_year_end", timedelta(days=1), roll_last_year)


class LeaveAllocationsController(Controller):
    path = "/leave"
    tags = ["oa"]

    @get("/allocations", summary="Allocations you may see", opt=requires(READ))
    async def list_allocations(
        self,
        actor: Member,
        uow: Uow,
        user_id: UserFilter = None,
        leave_type_id: TypeFilter = None,
        year: YearQuery = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[AllocationOut]:
        page = SORTING.page(
            select(LeaveAllocation).where(visible_to(actor, READ, LeaveAllocation.user_id)),
            sort,
            cursor,
            limit,
        )
        query = page.query
        if user_id is not None:
            query = query.where(LeaveAllocation.user_id == user_id)
        if leave_type_id is not None:
            query = query.where(LeaveAllocation.leave_type_id == leave_type_id)
        if year is not None:
            query = query.where(LeaveAllocation.year == year)
        return page.of(list((await uow.db.scalars(query)).all()), allocation_out)

    @put(
        "/allocations",
        summary="Give a member days of a leave type for a year (sets the entitlement)",
        opt=requires(MANAGE),
    )
    async def set_one(self, data: JSONBody[AllocationIn], actor: Member, uow: Uow) -> AllocationOut:
        return allocation_out(await set_allocation(uow, actor, data))

    @post(
        "/allocations/bulk",
        status_code=HTTP_200_OK,
        summary="Give many members (everyone by default) the same days of a leave type",
        opt=requires(MANAGE),
    )
    async def set_many(self, data: JSONBody[BulkAllocationIn], actor: Member, uow: Uow) -> BulkOut:
        return BulkOut(await allocate_many(uow, actor, data))

    @get("/balances", summary="What is left of each leave type in a year", opt=requires(READ))
    async def balances(
        self, actor: Member, uow: Uow, user_id: UserFilter = None, year: YearQuery = None
    ) -> list[BalanceOut]:
        who = user_id or actor.user_id
        if who != actor.user_id and not await is_member(uow.db, who):
            raise Invalid("user_id", "is not a member of this tenant")
        await require_reach(uow.db, actor, who)
        year = year or datetime.now(UTC).year
        rows = await uow.db.execute(
            select(LeaveType, LeaveAllocation)
            .outerjoin(
                LeaveAllocation,
                (LeaveAllocation.leave_type_id == LeaveType.id)
                & (LeaveAllocation.user_id == who)
                & (LeaveAllocation.year == year),
            )
            .where(LeaveType.active)
            .order_by(LeaveType.name)
        )
        return [_balance(t, a, year) for t, a in rows]

    @post(
        "/year-end",
        status_code=HTTP_200_OK,
        summary="Roll a year's balances into the next (once per year)",
        opt=requires(MANAGE),
    )
    async def year_end(self, data: JSONBody[YearEndIn], actor: Member, uow: Uow) -> YearEndOut:
        return await roll_year(uow.db, actor.tenant, data.year, actor.user_id)


def _balance(leave_type: LeaveType, allocation: LeaveAllocation | None, year: int) -> BalanceOut:
    if allocation is None:
        return BalanceOut(
            leave_type.id, leave_type.name, leave_type.paid, leave_type.allow_negative, year,
            ZERO, ZERO, ZERO, ZERO, ZERO,
        )  # fmt: skip
    return BalanceOut(
        leave_type.id,
        leave_type.name,
        leave_type.paid,
        leave_type.allow_negative,
        year,
        allocation.entitled_days,
        allocation.carried_days,
        allocation.used_days,
        allocation.reserved_days,
        available_of(allocation),
    )
