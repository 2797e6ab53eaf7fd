"""Looking members up by user, role and reporting line, for other domains (the workflow engine).

Read-only and scoped by row-level security to the current tenant, like every tenant query.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Uuid,
    any_,
    bindparam,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from tessera.identity.models import Membership, User


async def user_ids_of(db: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Each id that names a member of the tenant, by user id or membership id -> its user id."""
    if not ids:
        return {}
    rows = await db.execute(
        select(Membership.id, Membership.user_id).where(
            or_(Membership.user_id.in_(ids), Membership.id.in_(ids))
        )
    )
    found: dict[uuid.UUID, uuid.UUID] = {}
    for membership_id, user_id in rows:
        found[membership_id] = user_id
        found[user_id] = user_id
    return {i: found[i] for i in ids if i in found}


async def is_member(db: AsyncSession, user_id: uuid.UUID) -> bool:
    return user_id in await user_ids_of(db, [user_id])


async def member_ids_by_email(db: AsyncSession, emails: Collection[str]) -> dict[str, uuid.UUID]:
    """Members of the tenant among ``emails`` (compared without case): lower-cased email -> user id.

    One query whatever the number of emails (they travel as one array parameter), so an import
    of thousands of rows that name owners by email looks them all up at once.
    """
    wanted = sorted({email.strip().lower() for email in emails if email.strip()})
    if not wanted:
        return {}
    query = (
        select(User.email, User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(User.email == any_(bindparam("emails", wanted, type_=ARRAY(String))))
    )
    return {email: user_id for email, user_id in await db.execute(query)}


async def member_emails(db: AsyncSession, user_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The email of each of ``user_ids`` that is a member of the tenant."""
    if not user_ids:
        return {}
    query = (
        select(User.id, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.user_id == any_(bindparam("ids", list(user_ids), type_=ARRAY(Uuid))))
    )
    return {user_id: email for user_id, email in await db.execute(query)}


async def user_ids_with_role(db: AsyncSession, role: str) -> list[uuid.UUID]:
    """Members whose built-in role is ``role``, oldest membership first."""
    query = select(Membership.user_id).where(Membership.role == role).order_by(Membership.id)
    return list((await db.scalars(query)).all())


async def user_ids_of_memberships(
    db: AsyncSession, membership_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    if not membership_ids:
        return []
    query = (
        select(Membership.user_id).where(Membership.id.in_(membership_ids)).order_by(Membership.id)
    )
    return list((await db.scalars(query)).all())


async def manager_user_id(db: AsyncSession, user_id: uuid.UUID) -> uuid.UUID | None:
    """The user id of ``user_id``'s manager in this tenant, if they have one."""
    manager = select(Membership.manager_id).where(Membership.user_id == user_id).scalar_subquery()
    query = select(Membership.user_id).where(Membership.id == manager)
    return (await db.scalars(query)).first()


async def manager_chain(db: AsyncSession, user_id: uuid.UUID, levels: int) -> list[uuid.UUID]:
    """``user_id``'s managers up the reporting line, nearest first, at most ``levels`` of them.

    One query (a recursive walk). The line ends early where someone has no manager, or where it
    comes back to someone already on it (a loop in the reporting line is not followed twice).
    """
    base = (
        select(Membership.manager_id.label("membership_id"), literal(1).label("depth"))
        .where(Membership.user_id == user_id)
        .cte("chain", recursive=True)
    )
    up = aliased(Membership)
    chain = base.union_all(
        select(up.manager_id, base.c.depth + 1)
        .join(base, up.id == base.c.membership_id)
        .where(base.c.depth < levels)
    )
    query = (
        select(Membership.user_id)
        .join(chain, Membership.id == chain.c.membership_id)
        .order_by(chain.c.depth)
    )
    found = [found for found in (await db.scalars(query)).all() if found != user_id]
    return list(dict.fromkeys(found))


async def managers_of(
    db: AsyncSession, user_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID | None]:
    """Each of ``user_ids`` who is a member -> their manager's user id (None: no manager).

    One query for any number of members: a list of people shows each one's reporting line.
    """
    if not user_ids:
        return {}
    manager = aliased(Membership)
    query = (
        select(Membership.user_id, manager.user_id)
        .outerjoin(manager, manager.id == Membership.manager_id)
        .where(Membership.user_id == any_(bindparam("ids", list(user_ids), type_=ARRAY(Uuid))))
    )
    return {user_id: manager_id for user_id, manager_id in await db.execute(query)}


async def member_user_ids(db: AsyncSession) -> list[uuid.UUID]:
    """Every member of the tenant (user ids), oldest membership first."""
    return list((await db.scalars(select(Membership.user_id).order_by(Membership.id))).all())


def user_ids_query(
    roles: Collection[str], membership_ids: Select[uuid.UUID] | None = None
) -> Select[uuid.UUID]:
    """A query of the user ids of members whose built-in role is in ``roles`` or whose
    membership is among ``membership_ids`` (a query of membership ids): one column,
    ``user_id``, for other queries to compose (``IN``, a subquery to page over)."""
    held: ColumnElement[bool] = Membership.role.in_(list(roles))
    if membership_ids is not None:
        held = or_(held, Membership.id.in_(membership_ids))
    return select(Membership.user_id.label("user_id")).where(held)


def membership_ids_query(user_id: uuid.UUID) -> Select[uuid.UUID]:
    """A query of the membership id of ``user_id`` in the tenant (none if not a member)."""
    return select(Membership.id).where(Membership.user_id == user_id)
