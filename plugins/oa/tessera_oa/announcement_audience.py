"""Whom an announcement addresses: everyone, departments (with the departments inside them)
or roles (built-in and custom) — checked on the way in, and as SQL both ways: "is it addressed
to this member?" for the feed, and "who is in its audience?" for notices and the unread list.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, any_, exists, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    BUILTIN_ROLES,
    Actor,
    Invalid,
    custom_roles_of,
    known_custom_roles,
    members_holding,
)
from tessera_oa.announcement_models import (
    Announcement,
    AnnouncementDepartment,
    AnnouncementRole,
)
from tessera_oa.departments import MAX_DEPTH, ancestors, department_of
from tessera_oa.models import Department, DepartmentMember


@dataclass(frozen=True, slots=True)
class Audience:
    kind: str
    department_ids: tuple[uuid.UUID, ...] = ()
    roles: tuple[str, ...] = ()
    role_ids: tuple[uuid.UUID, ...] = ()


def _none_of(field: str, values: list[Any], kind: str) -> None:
    if values:
        raise Invalid(field, f"does not go with audience {kind!r}")


async def _departments(db: AsyncSession, ids: list[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    if not ids:
        raise Invalid("department_ids", "name at least one department")
    found = set((await db.scalars(select(Department.id).where(Department.id.in_(ids)))).all())
    for index, department_id in enumerate(ids):
        if department_id not in found:
            raise Invalid(f"department_ids[{index}]", "no such department")
    return tuple(dict.fromkeys(ids))


async def _roles(
    db: AsyncSession, roles: list[str], role_ids: list[uuid.UUID]
) -> tuple[tuple[str, ...], tuple[uuid.UUID, ...]]:
    if not roles and not role_ids:
        raise Invalid("roles", "name at least one role (roles or role_ids)")
    for index, role in enumerate(roles):
        if role not in BUILTIN_ROLES:
            raise Invalid(f"roles[{index}]", f"is one of {', '.join(BUILTIN_ROLES)}")
    found = await known_custom_roles(db, role_ids)
    for index, role_id in enumerate(role_ids):
        if role_id not in found:
            raise Invalid(f"role_ids[{index}]", "no such role")
    return tuple(dict.fromkeys(roles)), tuple(dict.fromkeys(role_ids))


async def checked_audience(
    db: AsyncSession,
    kind: str,
    department_ids: list[uuid.UUID],
    roles: list[str],
    role_ids: list[uuid.UUID],
) -> Audience:
    """The audience an input names; 422 naming the field for an unknown (or another tenant's)
    department or role, an empty list, or a list that does not go with the kind."""
    if kind == "everyone":
        _none_of("department_ids", department_ids, kind)
        _none_of("roles", roles, kind)
        _none_of("role_ids", role_ids, kind)
        return Audience(kind)
    if kind == "departments":
        _none_of("roles", roles, kind)
        _none_of("role_ids", role_ids, kind)
        return Audience(kind, department_ids=await _departments(db, department_ids))
    _none_of("department_ids", department_ids, kind)
    chosen, custom = await _roles(db, roles, role_ids)
    return Audience(kind, roles=chosen, role_ids=custom)


async def audience_of(db: AsyncSession, announcement: Announcement) -> Audience:
    departments = await db.scalars(
        select(AnnouncementDepartment.department_id)
        .where(AnnouncementDepartment.announcement_id == announcement.id)
        .order_by(AnnouncementDepartment.id)
    )
    role_ids = await db.scalars(
        select(AnnouncementRole.role_id)
        .where(AnnouncementRole.announcement_id == announcement.id)
        .order_by(AnnouncementRole.id)
    )
    return Audience(
        announcement.audience,
        tuple(departments.all()),
        tuple(announcement.roles),
        tuple(role_ids.all()),
    )


async def address(db: AsyncSession, announcement: Announcement, audience: Audience) -> None:
    """Make ``audience`` the announcement's (replacing the one it had)."""
    for model in (AnnouncementDepartment, AnnouncementRole):
        for row in await db.scalars(select(model).where(model.announcement_id == announcement.id)):
            await db.delete(row)
    announcement.audience = audience.kind
    announcement.roles = list(audience.roles)
    for department_id in audience.department_ids:
        db.add(
            AnnouncementDepartment(
                tenant_id=announcement.tenant_id,
                announcement_id=announcement.id,
                department_id=department_id,
            )
        )
    for role_id in audience.role_ids:
        db.add(
            AnnouncementRole(
                tenant_id=announcement.tenant_id, announcement_id=announcement.id, role_id=role_id
            )
        )


async def addressed_to(db: AsyncSession, actor: Actor) -> ColumnElement[bool]:
    """Announcements whose audience includes the actor (two small lookups, then pure SQL)."""
    department = await department_of(db, actor.user_id)
    line = await ancestors(db, department) if department is not None else []
    held = await custom_roles_of(db, actor.user_id)
    by_department = exists().where(
        AnnouncementDepartment.tenant_id == Announcement.tenant_id,
        AnnouncementDepartment.announcement_id == Announcement.id,
        AnnouncementDepartment.department_id.in_(line),
    )
    by_custom_role = exists().where(
        AnnouncementRole.tenant_id == Announcement.tenant_id,
        AnnouncementRole.announcement_id == Announcement.id,
        AnnouncementRole.role_id.in_(held),
    )
    role_rule: ColumnElement[bool] = by_custom_role
    if actor.role:
        role_rule = or_(literal(actor.role) == any_(Announcement.roles), by_custom_role)
    return or_(
        Announcement.audience == "everyone",
        and_(Announcement.audience == "departments", by_department),
        and_(Announcement.audience == "roles", role_rule),
    )


def _below(roots: Select[uuid.UUID]) -> Any:
    """A recursive query of the departments ``roots`` names and every department inside them."""
    tree = select(Department.id, literal(1).label("depth")).where(Department.id.in_(roots))
    tree_cte = tree.cte("tree", recursive=True)
    return tree_cte.union_all(
        select(Department.id, tree_cte.c.depth + 1)
        .join(tree_cte, Department.parent_id == tree_cte.c.id)
        .where(tree_cte.c.depth < MAX_DEPTH)
    )


async def audience_members(db: AsyncSession, announcement: Announcement) -> Select[uuid.UUID]:
    """A query of the user ids of the announcement's audience, each once, column ``user_id``."""
    if announcement.audience == "everyone":
        return members_holding(BUILTIN_ROLES)
    if announcement.audience == "departments":
        roots = select(AnnouncementDepartment.department_id).where(
            AnnouncementDepartment.announcement_id == announcement.id
        )
        below = _below(roots)
        return select(DepartmentMember.user_id.label("user_id")).where(
            DepartmentMember.department_id.in_(select(below.c.id))
        )
    role_ids = list(
        (
            await db.scalars(
                select(AnnouncementRole.role_id).where(
                    AnnouncementRole.announcement_id == announcement.id
                )
            )
        ).all()
    )
    return members_holding(announcement.roles, role_ids)


async def audiences_of(
    db: AsyncSession, announcements: list[Announcement]
) -> dict[uuid.UUID, Audience]:
    """The audience of each announcement of a page, in two queries whatever its size."""
    ids = [a.id for a in announcements]
    departments: dict[uuid.UUID, list[uuid.UUID]] = {i: [] for i in ids}
    custom: dict[uuid.UUID, list[uuid.UUID]] = {i: [] for i in ids}
    if ids:
        for link in await db.scalars(
            select(AnnouncementDepartment)
            .where(AnnouncementDepartment.announcement_id.in_(ids))
            .order_by(AnnouncementDepartment.id)
        ):
            departments[link.announcement_id].append(link.department_id)
        for role in await db.scalars(
            select(AnnouncementRole)
            .where(AnnouncementRole.announcement_id.in_(ids))
            .order_by(AnnouncementRole.id)
        ):
            custom[role.announcement_id].append(role.role_id)
    return {
        a.id: Audience(a.audience, tuple(departments[a.id]), tuple(a.roles), tuple(custom[a.id]))
        for a in announcements
    }
