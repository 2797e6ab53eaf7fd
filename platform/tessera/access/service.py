"""Custom roles: composing them from available permissions, and assigning them to members."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.access.catalog import available
from tessera.access.models import SCOPES, MemberRole, Role, RoleGrant
from tessera.errors import Conflict, Invalid, NotFound


def custom_grants(membership_id: ColumnElement[uuid.UUID]) -> ScalarSelect[list[str]]:
    """``permission:scope`` of every custom role the membership holds, as one array.

    Folded into the query that loads the member at sign-in, so permissions cost no extra
    round trip.
    """
    return (
        select(
            func.coalesce(
                func.array_agg(RoleGrant.permission + ":" + RoleGrant.scope),
                text("'{}'::varchar[]"),
            )
        )
        .join(
            MemberRole,
            (MemberRole.tenant_id == RoleGrant.tenant_id)
            & (MemberRole.role_id == RoleGrant.role_id),
        )
        .where(MemberRole.membership_id == membership_id)
        .scalar_subquery()
    )


@dataclass(frozen=True, slots=True)
class GrantSpec:
    permission: str
    scope: str = "all"


def _checked_grants(
    grants: Sequence[GrantSpec], enabled_modules: frozenset[str]
) -> list[GrantSpec]:
    usable = available(enabled_modules)
    seen: set[str] = set()
    checked = []
    for index, grant in enumerate(grants):
        field = f"grants[{index}]"
        permission = usable.get(grant.permission)
        if permission is None:
            raise Invalid(
                f"{field}.permission",
                f"{grant.permission!r} is not a permission of the core or of an enabled module",
            )
        if permission.owner_only:
            raise Invalid(f"{field}.permission", f"{grant.permission!r} is held by owners only")
        if grant.scope not in SCOPES:
            raise Invalid(f"{field}.scope", f"must be one of {', '.join(SCOPES)}")
        if grant.scope != "all" and not permission.scoped:
            raise Invalid(f"{field}.scope", f"{grant.permission!r} applies to all records only")
        if grant.permission in seen:
            raise Invalid(f"{field}.permission", f"{grant.permission!r} is listed twice")
        seen.add(grant.permission)
        checked.append(grant)
    return checked


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name", "must not be empty")
    if cleaned.lower() in {"owner", "admin", "member"}:
        raise Invalid("name", f"{cleaned!r} is a built-in role")
    return cleaned


async def _name_free(db: AsyncSession, name: str, except_id: uuid.UUID | None = None) -> None:
    query = select(Role.id).where(func.lower(Role.name) == name.lower())
    if except_id is not None:
        query = query.where(Role.id != except_id)
    if (await db.execute(query)).first() is not None:
        raise Conflict(f"A role is already named {name!r}.")


async def list_roles(
    db: AsyncSession, role_ids: Sequence[uuid.UUID] | None = None
) -> list[tuple[Role, list[RoleGrant]]]:
    """Roles (all, or those named) with their grants, in two queries whatever their number."""
    roles_query = select(Role).order_by(Role.name)
    grants_query = select(RoleGrant).order_by(RoleGrant.permission)
    if role_ids is not None:
        roles_query = roles_query.where(Role.id.in_(role_ids))
        grants_query = grants_query.where(RoleGrant.role_id.in_(role_ids))
    roles = list((await db.execute(roles_query)).scalars())
    by_role: dict[uuid.UUID, list[RoleGrant]] = {}
    for grant in (await db.execute(grants_query)).scalars():
        by_role.setdefault(grant.role_id, []).append(grant)
    return [(role, by_role.get(role.id, [])) for role in roles]


async def get_role(db: AsyncSession, role_id: uuid.UUID) -> tuple[Role, list[RoleGrant]]:
    role = (await db.execute(select(Role).where(Role.id == role_id))).scalar_one_or_none()
    if role is None:
        raise NotFound("No such role.")
    grants = (await db.execute(select(RoleGrant).where(RoleGrant.role_id == role_id))).scalars()
    return role, sorted(grants, key=lambda g: g.permission)


async def create_role(
    db: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    name: str,
    description: str,
    grants: Sequence[GrantSpec],
    enabled_modules: frozenset[str],
) -> Role:
    name = _clean_name(name)
    checked = _checked_grants(grants, enabled_modules)
    await _name_free(db, name)
    role = Role(tenant_id=tenant_id, name=name, description=description.strip())
    db.add(role)
    await db.flush()
    for grant in checked:
        db.add(
            RoleGrant(
                tenant_id=tenant_id, role_id=role.id, permission=grant.permission, scope=grant.scope
            )
        )
    await db.flush()
    return role


async def update_role(
    db: AsyncSession,
    role_id: uuid.UUID,
    *,
    name: str | None,
    description: str | None,
    grants: Sequence[GrantSpec] | None,
    enabled_modules: frozenset[str],
) -> Role:
    role, current = await get_role(db, role_id)
    if name is not None:
        name = _clean_name(name)
        await _name_free(db, name, except_id=role.id)
        role.name = name
    if description is not None:
        role.description = description.strip()
    if grants is not None:
        wanted = {g.permission: g for g in _checked_grants(grants, enabled_modules)}
        for grant in current:
            if grant.permission not in wanted:
                await db.delete(grant)
            elif grant.scope != wanted[grant.permission].scope:
                grant.scope = wanted[grant.permission].scope
        held = {g.permission for g in current}
        for permission, spec in wanted.items():
            if permission not in held:
                db.add(
                    RoleGrant(
                        tenant_id=role.tenant_id,
                        role_id=role.id,
                        permission=permission,
                        scope=spec.scope,
                    )
                )
    await db.flush()
    return role


async def delete_role(db: AsyncSession, role_id: uuid.UUID) -> None:
    role, grants = await get_role(db, role_id)
    holders = (await db.execute(select(MemberRole).where(MemberRole.role_id == role_id))).scalars()
    for item in [*holders, *grants]:
        await db.delete(item)
    await db.delete(role)
    await db.flush()


async def roles_of(db: AsyncSession, membership_id: uuid.UUID) -> list[Role]:
    query = (
        select(Role)
        .join(
            MemberRole, (MemberRole.tenant_id == Role.tenant_id) & (MemberRole.role_id == Role.id)
        )
        .where(MemberRole.membership_id == membership_id)
        .order_by(Role.name)
    )
    return list((await db.execute(query)).scalars())


async def set_member_roles(
    db: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    membership_id: uuid.UUID,
    role_ids: Sequence[uuid.UUID],
) -> list[Role]:
    """Make ``role_ids`` exactly the custom roles the member holds."""
    wanted = set(role_ids)
    found = set((await db.execute(select(Role.id).where(Role.id.in_(wanted)))).scalars())
    if missing := wanted - found:
        raise Invalid("role_ids", f"no such role: {', '.join(sorted(map(str, missing)))}")
    held = list(
        (
            await db.execute(select(MemberRole).where(MemberRole.membership_id == membership_id))
        ).scalars()
    )
    for item in held:
        if item.role_id not in wanted:
            await db.delete(item)
    for role_id in wanted - {item.role_id for item in held}:
        db.add(MemberRole(tenant_id=tenant_id, membership_id=membership_id, role_id=role_id))
    await db.flush()
    return await roles_of(db, membership_id)


async def role_exists(db: AsyncSession, role_id: uuid.UUID) -> bool:
    return (await db.execute(select(Role.id).where(Role.id == role_id))).first() is not None


async def holders(db: AsyncSession, role_id: uuid.UUID) -> list[uuid.UUID]:
    """Membership ids of the members who hold the custom role."""
    query = select(MemberRole.membership_id).where(MemberRole.role_id == role_id)
    return list((await db.scalars(query.order_by(MemberRole.membership_id))).all())


def holders_query(role_ids: Collection[uuid.UUID]) -> Select[uuid.UUID]:
    """A query of the membership ids of members who hold any of the custom roles ``role_ids``."""
    return select(MemberRole.membership_id).where(MemberRole.role_id.in_(list(role_ids)))


async def existing_role_ids(db: AsyncSession, role_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``role_ids`` are custom roles of the tenant."""
    if not role_ids:
        return set()
    return set((await db.scalars(select(Role.id).where(Role.id.in_(list(role_ids))))).all())


async def held_role_ids(db: AsyncSession, membership_ids: Select[uuid.UUID]) -> set[uuid.UUID]:
    """The custom roles held by the memberships ``membership_ids`` (a query) names."""
    query = select(MemberRole.role_id).where(MemberRole.membership_id.in_(membership_ids))
    return set((await db.scalars(query)).all())
