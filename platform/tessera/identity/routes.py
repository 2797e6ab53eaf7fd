"""HTTP API of identity: sign-in, the current user, members, invitations, API tokens."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from tessera.identity import api_tokens, email_links, invitations, members, signup
from tessera.identity import service as identity
from tessera.identity.models import ApiToken, Invitation, Membership, User
from tessera.identity.schemas import (
    AcceptInvitationIn,
    ApiTokenIn,
    ApiTokenOut,
    EmailIn,
    InvitationIn,
    InvitationOut,
    LoginIn,
    MemberOut,
    MemberPatch,
    MeOut,
    MessageOut,
    NewApiTokenOut,
    PasswordResetIn,
    SessionOut,
    SignupIn,
    SignupOut,
    SlugAvailabilityOut,
    SwitchTenantIn,
    TenantOut,
    TokenIn,
    UserOut,
)
from tessera.identity.service import TenantMembership
from tessera.web.context import Member, SignedIn, Uow, requires
from tessera.web.cookies import with_session, without_session
from tessera.web.pagination import (
    DEFAULT_LIMIT,
    CursorQuery,
    LimitQuery,
    check_limit,
    decode_cursor,
    page_of,
)
from tessera.web.schemas import Page


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        name=user.name,
        email_verified=user.email_verified_at is not None,
    )


def tenant_out(m: TenantMembership) -> TenantOut:
    return TenantOut(id=m.tenant_id, slug=m.slug, name=m.name, role=m.role)


def session_response(
    uow: Uow,
    grant: identity.SessionGrant,
    user: User,
    tenant: TenantOut | None,
    status_code: int = HTTP_200_OK,
) -> Response[SessionOut]:
    body = SessionOut(
        user=user_out(user), tenant=tenant, csrf_token=grant.csrf_token, expires_at=grant.expires_at
    )
    return with_session(
        Response(body, status_code=status_code),
        uow.settings,
        cookie=grant.cookie,
        csrf_token=grant.csrf_token,
        expires_at=grant.expires_at,
    )


@post(
    "/signup",
    status_code=HTTP_201_CREATED,
    tags=["auth"],
    summary="Create a company (tenant) and its owner, signed in",
)
async def sign_up(data: JSONBody[SignupIn], uow: Uow) -> Response[SignupOut]:
    """A new tenant owned by a new account, or by an existing one that gives its password."""
    result = await signup.sign_up(
        uow,
        company_name=data.company_name,
        slug=data.slug,
        name=data.name,
        email=data.email,
        password=data.password,
    )
    tenant = result.tenant
    body = SignupOut(
        tenant=TenantOut(id=tenant.id, slug=tenant.slug, name=tenant.name, role="owner"),
        user=user_out(result.user),
        csrf_token=result.session.csrf_token,
        expires_at=result.session.expires_at,
        new_account=result.new_user,
    )
    return with_session(
        Response(body, status_code=HTTP_201_CREATED),
        uow.settings,
        cookie=result.session.cookie,
        csrf_token=result.session.csrf_token,
        expires_at=result.session.expires_at,
    )


SlugQuery = Annotated[
    str,
    QueryParameter(
        min_length=1, max_length=40, description="The slug to check: lowercase letters, digits, -"
    ),
]


@get(
    "/signup/slug-availability",
    tags=["auth"],
    summary="Whether a company slug is free to sign up with, and if not, why",
)
async def slug_availability(slug: SlugQuery, uow: Uow) -> Response[SlugAvailabilityOut]:
    """For the sign-up form to check as one types; no session needed.

    Whether a slug is taken is no secret (sign-up itself answers 409), so saying it costs
    nothing; the answer is not cached, as the next sign-up may take the slug.
    """
    found = await signup.slug_availability(uow.db, slug)
    body = SlugAvailabilityOut(
        slug=found.slug, available=found.available, reason=found.reason, detail=found.detail
    )
    return Response(body, headers={"Cache-Control": "no-store"})


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/login", status_code=HTTP_200_OK, summary="Sign in and start a session")
    async def login(self, data: JSONBody[LoginIn], uow: Uow) -> Response[SessionOut]:
        grant, user, tenant = await identity.log_in(
            uow, email=data.email, password=data.password, tenant_slug=data.tenant
        )
        return session_response(uow, grant, user, tenant_out(tenant) if tenant else None)

    @post("/logout", status_code=HTTP_200_OK, summary="End the current session")
    async def logout(self, user_actor: SignedIn, uow: Uow) -> Response[MessageOut]:
        await identity.log_out(uow, user_actor)
        return without_session(Response(MessageOut(detail="Signed out.")), uow.settings)

    @post(
        "/verify-email", status_code=HTTP_200_OK, summary="Confirm an email address from its link"
    )
    async def verify_email(self, data: JSONBody[TokenIn], uow: Uow) -> UserOut:
        return user_out(await email_links.verify_email(uow, data.token))

    @post("/verify-email/resend", status_code=HTTP_202_ACCEPTED, summary="Send the link again")
    async def resend_verification(self, user_actor: SignedIn, uow: Uow) -> MessageOut:
        user = await uow.db.get(User, user_actor.user_id)
        assert user is not None
        if user.email_verified_at is None:
            await email_links.limit_mail(uow, user.email)
            email_links.queue_verification(uow, user)
        return MessageOut(detail="If the address still needs confirming, a link is on its way.")

    @post("/password-reset/request", status_code=HTTP_202_ACCEPTED, summary="Email a reset link")
    async def request_reset(self, data: JSONBody[EmailIn], uow: Uow) -> MessageOut:
        await email_links.request_password_reset(uow, identity.normalize_email(data.email))
        return MessageOut(detail="If an account uses this address, a reset link is on its way.")

    @post(
        "/password-reset", status_code=HTTP_200_OK, summary="Set a new password from a reset link"
    )
    async def reset(self, data: JSONBody[PasswordResetIn], uow: Uow) -> Response[MessageOut]:
        await email_links.reset_password(uow, data.token, data.password)
        body = MessageOut(detail="Password changed; every session was signed out. Sign in again.")
        return without_session(Response(body), uow.settings)


class MeController(Controller):
    path = "/me"
    tags = ["me"]

    @get("/", summary="The signed-in user, their current tenant and all their tenants")
    async def me(self, user_actor: SignedIn, uow: Uow) -> MeOut:
        user = await uow.db.get(User, user_actor.user_id)
        assert user is not None
        tenants = [tenant_out(m) for m in await identity.list_user_tenants(uow.db, user.id)]
        current = next((t for t in tenants if t.id == user_actor.tenant_id), None)
        return MeOut(
            user=user_out(user),
            tenant=current,
            tenants=tenants,
            auth=user_actor.via,
            permissions=dict(sorted(user_actor.grants.items())),
            modules=sorted(user_actor.modules),
            csrf_token=user_actor.csrf_token,
        )

    @get("/tenants", summary="The tenants the signed-in user belongs to")
    async def tenants(self, user_actor: SignedIn, uow: Uow) -> list[TenantOut]:
        return [tenant_out(m) for m in await identity.list_user_tenants(uow.db, user_actor.user_id)]

    @post("/tenant", status_code=HTTP_200_OK, summary="Switch the session to another tenant")
    async def switch(
        self, data: JSONBody[SwitchTenantIn], user_actor: SignedIn, uow: Uow
    ) -> TenantOut:
        switched = await identity.switch_tenant(uow.db, user_actor, data.tenant)
        tenants = await identity.list_user_tenants(uow.db, switched.user_id)
        return next(tenant_out(m) for m in tenants if m.tenant_id == switched.tenant_id)


def member_out(row: tuple[Membership, User]) -> MemberOut:
    membership, user = row
    return MemberOut(
        id=membership.id,
        user_id=user.id,
        email=user.email,
        name=user.name,
        role=membership.role,
        manager_id=membership.manager_id,
        joined_at=membership.created_at,
    )


class MembersController(Controller):
    path = "/members"
    tags = ["members"]

    @get("/", summary="Members of the current tenant", opt=requires("identity.member.read"))
    async def list_members(
        self, actor: Member, uow: Uow, limit: LimitQuery = DEFAULT_LIMIT, cursor: CursorQuery = None
    ) -> Page[MemberOut]:
        rows = await identity.list_members(
            uow.db, actor, after=decode_cursor(cursor), limit=check_limit(limit) + 1
        )
        return page_of(rows, limit, key=lambda r: r[0].id, render=member_out)

    @patch(
        "/{membership_id:uuid}",
        summary="Change a member's built-in role or manager",
        opt=requires("identity.member.manage"),
    )
    async def change(
        self,
        membership_id: FromPath[uuid.UUID],
        data: JSONBody[MemberPatch],
        actor: Member,
        uow: Uow,
    ) -> MemberOut:
        changes: dict[str, Any] = {}
        if data.role is not None:
            changes["role"] = data.role
        if data.manager_id is not msgspec.UNSET:
            changes["manager_id"] = data.manager_id
        member = await members.change_member(uow, actor, membership_id, **changes)
        user = await uow.db.get(User, member.user_id)
        assert user is not None
        return member_out((member, user))

    @delete(
        "/{membership_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Remove a member from the tenant",
        opt=requires("identity.member.manage"),
    )
    async def remove(self, membership_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await members.remove_member(uow, actor, membership_id)


def invitation_out(invitation: Invitation) -> InvitationOut:
    now = datetime.now(UTC)
    if invitation.accepted_at is not None:
        status = "accepted"
    elif invitation.revoked_at is not None:
        status = "revoked"
    elif invitation.expires_at <= now:
        status = "expired"
    else:
        status = "pending"
    return InvitationOut(
        id=invitation.id,
        email=invitation.email,
        role=invitation.role,
        status=status,  # type: ignore[arg-type]
        expires_at=invitation.expires_at,
        created_at=invitation.created_at,
    )


class InvitationsController(Controller):
    path = "/invitations"
    tags = ["members"]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Invite someone by email",
        opt=requires("identity.member.invite"),
    )
    async def invite(self, data: JSONBody[InvitationIn], actor: Member, uow: Uow) -> InvitationOut:
        invitation = await invitations.invite(uow, actor, email=data.email, role=data.role)
        await uow.db.refresh(invitation)
        return invitation_out(invitation)

    @get(
        "/",
        summary="Invitations of the current tenant",
        opt=requires("identity.member.invite"),
    )
    async def list_invitations(
        self, actor: Member, uow: Uow, limit: LimitQuery = DEFAULT_LIMIT, cursor: CursorQuery = None
    ) -> Page[InvitationOut]:
        rows = await invitations.list_invitations(
            uow, actor, after=decode_cursor(cursor), limit=check_limit(limit) + 1
        )
        return page_of(rows, limit, key=lambda i: i.id, render=invitation_out)

    @delete(
        "/{invitation_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Withdraw an invitation",
        opt=requires("identity.member.invite"),
    )
    async def revoke(
        self, invitation_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> InvitationOut:
        return invitation_out(await invitations.revoke_invitation(uow, actor, invitation_id))

    @post("/accept", status_code=HTTP_200_OK, summary="Accept an invitation and sign in")
    async def accept(self, data: JSONBody[AcceptInvitationIn], uow: Uow) -> Response[SessionOut]:
        grant, user, tenant, membership = await invitations.accept(
            uow, token=data.token, password=data.password, name=data.name
        )
        out = TenantOut(id=tenant.id, slug=tenant.slug, name=tenant.name, role=membership.role)
        return session_response(uow, grant, user, out)


def api_token_out(token: ApiToken) -> ApiTokenOut:
    return ApiTokenOut(
        id=token.id,
        name=token.name,
        hint=token.hint,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


class ApiTokensController(Controller):
    path = "/tokens"
    tags = ["api tokens"]

    @post("/", status_code=HTTP_201_CREATED, summary="Create a personal API token (shown once)")
    async def create(self, data: JSONBody[ApiTokenIn], actor: Member, uow: Uow) -> NewApiTokenOut:
        token, secret = await api_tokens.create_token(
            uow.db, actor, name=data.name, expires_in_days=data.expires_in_days
        )
        await uow.db.refresh(token)
        return NewApiTokenOut(token=api_token_out(token), secret=secret)

    @get("/", summary="Your API tokens in the current tenant")
    async def list_tokens(
        self, actor: Member, uow: Uow, limit: LimitQuery = DEFAULT_LIMIT, cursor: CursorQuery = None
    ) -> Page[ApiTokenOut]:
        rows = await api_tokens.list_tokens(
            uow.db, actor, after=decode_cursor(cursor), limit=check_limit(limit) + 1
        )
        return page_of(rows, limit, key=lambda t: t.id, render=api_token_out)

    @delete("/{token_id:uuid}", status_code=HTTP_200_OK, summary="Revoke an API token")
    async def revoke(self, token_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> ApiTokenOut:
        return api_token_out(await api_tokens.revoke_token(uow.db, actor, token_id))


ROUTE_HANDLERS: list[Any] = [
    sign_up,
    slug_availability,
    AuthController,
    MeController,
    MembersController,
    InvitationsController,
    ApiTokensController,
]
