"""Inviting people into a tenant by email, and accepting an invitation.

The emailed link carries a signed token naming the invitation; the invitation row holds
its state, so a link works once, can be revoked, and expires.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, select

from tessera.db.tenant_context import set_tenant
from tessera.errors import Conflict, Forbidden, Gone, Invalid, NotFound, Unauthenticated
from tessera.events import service as events
from tessera.identity.models import Invitation, Membership, User
from tessera.identity.service import (
    Actor,
    SessionGrant,
    act_as,
    add_membership,
    check_credentials_throttled,
    check_role,
    create_user,
    get_user_by_email,
    normalize_email,
    start_session,
)
from tessera.mail.service import Message
from tessera.tenants import service as tenants
from tessera.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from tessera.tenants.models import Tenant

INVITATION = "invitation"


async def invite(uow: UnitOfWork, actor: Actor, *, email: str, role: str) -> Invitation:
    tenant_id, membership_id = actor.require_member()
    email = normalize_email(email)
    role = check_role(role)
    if not actor.outranks_or_equals(role):
        raise Forbidden(f"Only an {role} or higher can invite an {role}.")
    existing_user = await get_user_by_email(uow.db, email)
    if existing_user is not None:
        member = await uow.db.execute(
            select(Membership.id).where(Membership.user_id == existing_user.id)
        )
        if member.first() is not None:
            raise Conflict("This person is already a member of the tenant.")
    now = datetime.now(UTC)
    # A new invitation replaces any pending one for the same address.
    earlier = await uow.db.execute(
        select(Invitation).where(Invitation.email == email, _pending(now))
    )
    for pending in earlier.scalars():
        pending.revoked_at = now
    invitation = Invitation(
        tenant_id=tenant_id,
        email=email,
        role=role,
        invited_by_id=membership_id,
        expires_at=now + timedelta(hours=uow.settings.invitation_ttl_hours),
    )
    uow.db.add(invitation)
    await uow.db.flush()
    await events.emit(
        uow.db,
        tenant_id,
        "tessera.member.invited",
        {"invitation_id": invitation.id, "email": email, "role": role},
    )
    tenant = await tenants.get(uow.db, tenant_id)
    assert tenant is not None
    token = uow.signer.issue(
        INVITATION,
        str(invitation.id),
        timedelta(hours=uow.settings.invitation_ttl_hours),
        tid=str(tenant_id),
    )
    link = f"{uow.settings.public_url}/invitations/accept?token={token}"
    uow.mail.add(
        Message(
            to=email,
            subject=f"{actor.name} invited you to {tenant.name} on Tessera",
            body=(
                f"{actor.name} invited you to join {tenant.name} on Tessera as {role}.\n\n"
                f"Accept the invitation here:\n{link}\n"
            ),
            link=link,
        )
    )
    return invitation


def _pending(now: datetime) -> ColumnElement[bool]:
    return (
        Invitation.accepted_at.is_(None)
        & Invitation.revoked_at.is_(None)
        & (Invitation.expires_at > now)
    )


async def list_invitations(
    uow: UnitOfWork, actor: Actor, *, after: uuid.UUID | None, limit: int
) -> list[Invitation]:
    query = select(Invitation).order_by(Invitation.id).limit(limit)
    if after is not None:
        query = query.where(Invitation.id > after)
    return list((await uow.db.execute(query)).scalars())


async def revoke_invitation(uow: UnitOfWork, actor: Actor, invitation_id: uuid.UUID) -> Invitation:
    invitation = await uow.db.get(Invitation, (actor.tenant_id, invitation_id))
    if invitation is None:
        raise NotFound("No such invitation.")
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has been accepted already.")
    if invitation.revoked_at is None:
        invitation.revoked_at = datetime.now(UTC)
        await uow.db.flush()
    return invitation


async def accept(
    uow: UnitOfWork, *, token: str, password: str, name: str | None
) -> tuple[SessionGrant, User, Tenant, Membership]:
    """Join the tenant: as the existing account (its password) or as a new one (a name)."""
    claims = uow.signer.read(token, INVITATION)
    try:
        tenant_id, invitation_id = uuid.UUID(str(claims["tid"])), uuid.UUID(claims["sub"])
    except (KeyError, ValueError):
        raise Invalid("token", "is not a valid link token") from None
    await set_tenant(uow.db, tenant_id)
    invitation = (
        await uow.db.execute(
            select(Invitation).where(Invitation.id == invitation_id).with_for_update()
        )
    ).scalar_one_or_none()
    if invitation is None or invitation.revoked_at is not None:
        raise Gone("This invitation has been withdrawn.")
    if invitation.accepted_at is not None:
        raise Gone("This invitation has been used already.")
    if invitation.expires_at <= datetime.now(UTC):
        raise Gone("This invitation has expired; ask for a new one.")
    user = await get_user_by_email(uow.db, invitation.email)
    if user is None:
        if not name:
            raise Invalid("name", "is required to create your account")
        user = await create_user(uow.db, email=invitation.email, name=name, password=password)
    elif await check_credentials_throttled(uow, invitation.email, password) is None:
        raise Unauthenticated("The password does not match the existing account for this email.")
    # The link reached this mailbox, which proves the address.
    user.email_verified_at = user.email_verified_at or datetime.now(UTC)
    act_as(uow, user.id)
    membership = await add_membership(uow.db, tenant_id, user.id, check_role(invitation.role))
    invitation.accepted_at = datetime.now(UTC)
    await events.emit(
        uow.db,
        tenant_id,
        "tessera.member.joined",
        {"membership_id": membership.id, "user_id": user.id, "role": membership.role},
    )
    grant = await start_session(uow, user.id, tenant_id)
    tenant = await tenants.get(uow.db, tenant_id)
    assert tenant is not None
    return grant, user, tenant, membership
