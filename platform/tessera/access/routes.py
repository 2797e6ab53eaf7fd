"""HTTP API of roles and permissions."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from tessera.access import catalog, service
from tessera.access.models import Role, RoleGrant
from tessera.access.schemas import (
    BuiltinRoleOut,
    GrantIO,
    GrantOut,
    MemberRolesIn,
    PermissionOut,
    RoleIn,
    RoleOut,
    RolePatch,
    RolesOut,
)
from tessera.identity.members import get_member
from tessera.plugin.manifest import BUILTIN_ROLES
from tessera.web.context import Language, Member, Uow, requires


def role_out(role: Role, grants: list[RoleGrant]) -> RoleOut:
    return RoleOut(
        id=role.id,
        name=role.name,
        description=role.description,
        grants=[GrantOut(g.permission, g.scope) for g in grants],
    )


def _specs(grants: list[GrantIO]) -> list[service.GrantSpec]:
    return [service.GrantSpec(g.permission, g.scope) for g in grants]


@get(
    "/permissions",
    tags=["roles"],
    summary="Permissions this tenant can grant (core and enabled modules)",
    opt=requires("access.role.read"),
)
async def list_permissions(actor: Member, texts: Language) -> list[PermissionOut]:
    return [
        PermissionOut(
            name=p.name,
            module=p.module,
            description=texts.of(p.module, p.description),
            scoped=p.scoped,
            default_roles=list(p.default_roles),
            owner_only=p.owner_only,
        )
        for p in sorted(catalog.available(actor.modules).values(), key=lambda p: p.name)
    ]


class RolesController(Controller):
    path = "/roles"
    tags = ["roles"]

    @get(
        "/", summary="Built-in and custom roles with their grants", opt=requires("access.role.read")
    )
    async def list_roles(self, actor: Member, uow: Uow) -> RolesOut:
        builtin = [
            BuiltinRoleOut(
                name=name,
                grants=[
                    GrantOut(p, s)
                    for p, s in sorted(catalog.builtin_grants(name, actor.modules).items())
                ],
            )
            for name in BUILTIN_ROLES
        ]
        custom = [role_out(r, g) for r, g in await service.list_roles(uow.db)]
        return RolesOut(builtin=builtin, custom=custom)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Create a custom role",
        opt=requires("access.role.manage"),
    )
    async def create(self, data: JSONBody[RoleIn], actor: Member, uow: Uow) -> RoleOut:
        tenant_id, _ = actor.require_member()
        role = await service.create_role(
            uow.db,
            tenant_id=tenant_id,
            name=data.name,
            description=data.description,
            grants=_specs(data.grants),
            enabled_modules=actor.modules,
        )
        return role_out(*await service.get_role(uow.db, role.id))

    @get("/{role_id:uuid}", summary="One custom role", opt=requires("access.role.read"))
    async def get_role(self, role_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> RoleOut:
        return role_out(*await service.get_role(uow.db, role_id))

    @patch("/{role_id:uuid}", summary="Change a custom role", opt=requires("access.role.manage"))
    async def update(
        self, role_id: FromPath[uuid.UUID], data: JSONBody[RolePatch], actor: Member, uow: Uow
    ) -> RoleOut:
        await service.update_role(
            uow.db,
            role_id,
            name=data.name,
            description=data.description,
            grants=None if data.grants is None else _specs(data.grants),
            enabled_modules=actor.modules,
        )
        return role_out(*await service.get_role(uow.db, role_id))

    @delete(
        "/{role_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a custom role (its holders lose it)",
        opt=requires("access.role.manage"),
    )
    async def remove(self, role_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await service.delete_role(uow.db, role_id)


@get(
    "/members/{membership_id:uuid}/roles",
    tags=["roles"],
    summary="The custom roles a member holds",
    opt=requires("access.role.read"),
)
async def member_roles(
    membership_id: FromPath[uuid.UUID], actor: Member, uow: Uow
) -> list[RoleOut]:
    member = await get_member(uow, membership_id)
    held = [r.id for r in await service.roles_of(uow.db, member.id)]
    return [role_out(r, g) for r, g in await service.list_roles(uow.db, held)]


@put(
    "/members/{membership_id:uuid}/roles",
    tags=["roles"],
    summary="Set the custom roles a member holds",
    opt=requires("access.role.manage"),
)
async def set_member_roles(
    membership_id: FromPath[uuid.UUID], data: JSONBody[MemberRolesIn], actor: Member, uow: Uow
) -> list[RoleOut]:
    tenant_id, _ = actor.require_member()
    member = await get_member(uow, membership_id)
    roles = await service.set_member_roles(
        uow.db, tenant_id=tenant_id, membership_id=member.id, role_ids=data.role_ids
    )
    return [role_out(r, g) for r, g in await service.list_roles(uow.db, [r.id for r in roles])]


ROUTE_HANDLERS: list[Any] = [list_permissions, RolesController, member_roles, set_member_roles]
