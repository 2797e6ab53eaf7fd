"""Leave balances: each member's allocation per leave type and year, and the one way to move it.

Every change to a balance is a single UPDATE of its row whose WHERE clause carries the rule
(enough days left, unless the type allows a negative balance). PostgreSQL takes the row's lock
for the UPDATE and re-checks the WHERE clause against the newest row once the lock is granted,
so any number of concurrent requests cannot overdraw it: the ones that no longer fit update
nothing, and are refused.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import ColumnElement, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, Conflict, Forbidden, uuid7, visible_to
from tessera_oa.models import LeaveAllocation, LeaveType

READ = "oa.leave.read"
ZERO = Decimal(0)


def available(allocation: type[LeaveAllocation] = LeaveAllocation) -> ColumnElement[Decimal]:
    """What is left, as SQL: entitled + carried - used - reserved."""
    return (
        allocation.entitled_days
        + allocation.carried_days
        - allocation.used_days
        - allocation.reserved_days
    )


def available_of(allocation: LeaveAllocation) -> Decimal:
    return (
        allocation.entitled_days
        + allocation.carried_days
        - allocation.used_days
        - allocation.reserved_days
    )


async def allocation_id(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    leave_type: LeaveType,
    year: int,
) -> uuid.UUID:
    """The member's allocation of the type for the year.

    A type that allows a negative balance (unpaid leave) needs no allocation: an empty one is
    opened on first use. Any other type without one is refused (409): nothing was given.
    """
    if leave_type.allow_negative:
        await db.execute(
            insert(LeaveAllocation)
            .values(
                tenant_id=tenant_id,
                id=uuid7(),
                user_id=user_id,
                leave_type_id=leave_type.id,
                year=year,
                entitled_days=ZERO,
                carried_days=ZERO,
                used_days=ZERO,
                reserved_days=ZERO,
            )
            .on_conflict_do_nothing(
                index_elements=["tenant_id", "user_id", "leave_type_id", "year"]
            )
        )
    found = await db.scalar(
        select(LeaveAllocation.id).where(
            LeaveAllocation.user_id == user_id,
            LeaveAllocation.leave_type_id == leave_type.id,
            LeaveAllocation.year == year,
        )
    )
    if found is None:
        raise Conflict(
            f"No {leave_type.name} was given for {year}: ask an admin for an allocation.",
            extensions={"available_days": ZERO},
        )
    return found


async def reserve(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    allocation: uuid.UUID,
    days: Decimal,
    leave_type: LeaveType,
) -> None:
    """Hold ``days`` of the allocation for a pending request; 409 if they are not left."""
    statement = (
        update(LeaveAllocation)
        .where(LeaveAllocation.tenant_id == tenant_id, LeaveAllocation.id == allocation)
        .values(reserved_days=LeaveAllocation.reserved_days + days)
        .returning(LeaveAllocation.id)
    )
    if not leave_type.allow_negative:
        statement = statement.where(available() >= days)
    if (await db.execute(statement)).first() is None:
        left = await db.scalar(
            select(available()).where(
                LeaveAllocation.tenant_id == tenant_id, LeaveAllocation.id == allocation
            )
        )
        raise Conflict(
            f"Not enough {leave_type.name} left: {left} day(s) available, {days} asked.",
            extensions={"available_days": left, "requested_days": days},
        )


async def _move(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    allocation: uuid.UUID,
    *,
    reserved: Decimal = ZERO,
    used: Decimal = ZERO,
) -> None:
    await db.execute(
        update(LeaveAllocation)
        .where(LeaveAllocation.tenant_id == tenant_id, LeaveAllocation.id == allocation)
        .values(
            reserved_days=LeaveAllocation.reserved_days + reserved,
            used_days=LeaveAllocation.used_days + used,
        )
    )


async def release(
    db: AsyncSession, tenant_id: uuid.UUID, allocation: uuid.UUID, days: Decimal
) -> None:
    """A pending request's days are free again (refused, sent back, withdrawn)."""
    await _move(db, tenant_id, allocation, reserved=-days)


async def consume(
    db: AsyncSession, tenant_id: uuid.UUID, allocation: uuid.UUID, days: Decimal
) -> None:
    """A pending request was approved: its held days are taken."""
    await _move(db, tenant_id, allocation, reserved=-days, used=days)


async def give_back(
    db: AsyncSession, tenant_id: uuid.UUID, allocation: uuid.UUID, days: Decimal
) -> None:
    """Approved leave was cancelled: its days return to the balance."""
    await _move(db, tenant_id, allocation, used=-days)


async def require_reach(db: AsyncSession, actor: Actor, user_id: uuid.UUID) -> None:
    """403 unless ``actor`` may see ``user_id``'s leave (their own, their team's, or all)."""
    if user_id == actor.user_id and actor.can(READ):
        return
    reached = await db.scalar(
        select(literal(True)).where(visible_to(actor, READ, literal(user_id)))
    )
    if not reached:
        raise Forbidden("You may not see this member's leave.")
