"""Managing members: built-in role, reporting line, removal — and never locking owners out."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.errors import Conflict, Forbidden, Invalid, NotFound
from tessera.identity.models import Invitation, Membership, User
from tessera.identity.service import Actor, check_role
from tessera.unit_of_work import UnitOfWork

_UNSET = object()


async def get_member(uow: UnitOfWork, membership_id: uuid.UUID) -> Membership:
    member = (
        await uow.db.execute(select(Membership).where(Membership.id == membership_id))
    ).scalar_one_or_none()
    if member is None:
        raise NotFound("No such member.")
    return member


async def _owners(uow: UnitOfWork) -> int:
    query = select(func.count()).select_from(Membership).where(Membership.role == "owner")
    return int((await uow.db.execute(query)).scalar_one())


async def _guard_last_owner(uow: UnitOfWork, member: Membership) -> None:
    if member.role == "owner" and await _owners(uow) <= 1:
        raise Conflict("The tenant must keep at least one owner; make someone else owner first.")


async def change_member(
    uow: UnitOfWork,
    actor: Actor,
    membership_id: uuid.UUID,
    *,
    role: str | None = None,
    manager_id: uuid.UUID | object | None = _UNSET,
) -> Membership:
    member = await get_member(uow, membership_id)
    if role is not None and role != member.role:
        role = check_role(role)
        if "owner" in (role, member.role) and actor.role != "owner":
            raise Forbidden("Only an owner can make or unmake owners.")
        if member.role == "owner":
            await _guard_last_owner(uow, member)
        member.role = role
    if manager_id is not _UNSET:
        member.manager_id = await _checked_manager(uow, member, manager_id)  # type: ignore[arg-type]
    await uow.db.flush()
    return member


async def _checked_manager(
    uow: UnitOfWork, member: Membership, manager_id: uuid.UUID | None
) -> uuid.UUID | None:
    if manager_id is None:
        return None
    if manager_id == member.id:
        raise Invalid("manager_id", "a member cannot be their own manager")
    await get_member(uow, manager_id)
    # The new manager's line up to the top, in one query: meeting the member would close a loop.
    line = (
        select(Membership.id, Membership.manager_id)
        .where(Membership.id == manager_id)
        .cte("line", recursive=True)
    )
    # UNION, not UNION ALL: it stops even on a loop that is already in the data.
    line = line.union(
        select(Membership.id, Membership.manager_id).join(line, Membership.id == line.c.manager_id)
    )
    loops = await uow.db.execute(select(line.c.id).where(line.c.id == member.id))
    if loops.first() is not None:
        raise Invalid("manager_id", "that manager reports to this member already")
    return manager_id


async def remove_member(uow: UnitOfWork, actor: Actor, membership_id: uuid.UUID) -> None:
    member = await get_member(uow, membership_id)
    if member.role == "owner" and actor.role != "owner":
        raise Forbidden("Only an owner can remove an owner.")
    await _guard_last_owner(uow, member)
    reports = (
        await uow.db.execute(select(Membership).where(Membership.manager_id == member.id))
    ).scalars()
    for report in reports:
        report.manager_id = member.manager_id
    invited = await uow.db.execute(select(Invitation).where(Invitation.invited_by_id == member.id))
    for invitation in invited.scalars():
        invitation.invited_by_id = None
    await uow.db.flush()
    await uow.db.delete(member)
    await uow.db.flush()


async def member_contacts(
    db: AsyncSession, user_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str]]:
    """Email and name of those of ``user_ids`` who are members of the current tenant."""
    if not user_ids:
        return {}
    rows = await db.execute(
        select(User.id, User.email, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id.in_(list(user_ids)))
    )
    return {user_id: (email, name) for user_id, email, name in rows}


async def admin_user_ids(db: AsyncSession) -> list[uuid.UUID]:
    """The tenant's owners and admins: who is told when something needs an administrator."""
    rows = await db.scalars(
        select(Membership.user_id).where(Membership.role.in_(("owner", "admin")))
    )
    return list(rows)
