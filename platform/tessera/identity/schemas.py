"""Request and response shapes of the identity API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from tessera.web.schemas import Email, Input, LinkToken, Name, Password, Slug

RoleName = Literal["owner", "admin", "member"]
TokenName = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class LoginIn(Input):
    email: Email
    password: Password
    tenant: Slug | None = None


class SwitchTenantIn(Input):
    tenant: Slug


class EmailIn(Input):
    email: Email


class TokenIn(Input):
    token: LinkToken


class PasswordResetIn(Input):
    token: LinkToken
    password: Password


class AcceptInvitationIn(Input):
    token: LinkToken
    password: Password
    name: Name | None = None


class InvitationIn(Input):
    email: Email
    role: RoleName = "member"


class ApiTokenIn(Input):
    name: TokenName
    expires_in_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] | None = None


class UserOut(msgspec.Struct):
    id: uuid.UUID
    email: str
    name: str
    email_verified: bool


class TenantOut(msgspec.Struct):
    id: uuid.UUID
    slug: str
    name: str
    role: str


class MeOut(msgspec.Struct):
    user: UserOut
    tenant: TenantOut | None
    tenants: list[TenantOut]
    auth: Literal["session", "token", "system"]
    #: Permission -> scope (own, team or all) in the current tenant.
    permissions: dict[str, str]
    #: The modules the current tenant switched on.
    modules: list[str]
    #: Send as X-CSRF-Token with every state-changing request made with the session cookie.
    csrf_token: str | None


class SessionOut(msgspec.Struct):
    user: UserOut
    tenant: TenantOut | None
    csrf_token: str
    expires_at: datetime


class MemberOut(msgspec.Struct):
    id: uuid.UUID
    user_id: uuid.UUID
    email: str
    name: str
    role: str
    manager_id: uuid.UUID | None
    joined_at: datetime


class MemberPatch(Input):
    #: The built-in role.
    role: RoleName | None = None
    #: The member's manager (a member id), or null for none; leave out to keep it.
    manager_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET


class InvitationOut(msgspec.Struct):
    id: uuid.UUID
    email: str
    role: str
    status: Literal["pending", "accepted", "revoked", "expired"]
    expires_at: datetime
    created_at: datetime


class ApiTokenOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    hint: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewApiTokenOut(msgspec.Struct):
    token: ApiTokenOut
    #: Shown this once; only a hash is kept.
    secret: str


class MessageOut(msgspec.Struct):
    detail: str


class SignupIn(Input):
    company_name: Name
    slug: Slug
    name: Name
    email: Email
    password: Password


class SignupOut(msgspec.Struct):
    tenant: TenantOut
    user: UserOut
    csrf_token: str
    expires_at: datetime
    #: False when the email belonged to an existing account, which now also owns this tenant.
    new_account: bool


class SlugAvailabilityOut(msgspec.Struct):
    slug: str
    available: bool
    #: Why not: the slug breaks the format rules, is reserved, or another tenant has it.
    reason: Literal["invalid", "reserved", "taken"] | None
    #: What to change, in words (for "invalid" and "reserved").
    detail: str | None
