"""Request and response shapes of roles and permissions."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec

from tessera.web.schemas import Input

RoleName = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
Description = Annotated[str, msgspec.Meta(max_length=400)]
PermissionName = Annotated[str, msgspec.Meta(min_length=3, max_length=120)]
Scope = Literal["own", "team", "all"]


class PermissionOut(msgspec.Struct):
    name: str
    module: str
    description: str
    #: Granted for own, team or all records; otherwise always for all.
    scoped: bool
    default_roles: list[str]
    owner_only: bool


class GrantIO(Input):
    permission: PermissionName
    scope: Scope = "all"


class RoleIn(Input):
    name: RoleName
    description: Description = ""
    grants: list[GrantIO] = msgspec.field(default_factory=list)


class RolePatch(Input):
    name: RoleName | None = None
    description: Description | None = None
    grants: list[GrantIO] | None = None


class GrantOut(msgspec.Struct):
    permission: str
    scope: str


class RoleOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    description: str
    grants: list[GrantOut]


class BuiltinRoleOut(msgspec.Struct):
    name: str
    grants: list[GrantOut]


class RolesOut(msgspec.Struct):
    builtin: list[BuiltinRoleOut]
    custom: list[RoleOut]


class MemberRolesIn(Input):
    role_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=100)]
