"""Sign-up: a new tenant and its owner, signed in to it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from tessera.db.tenant_context import set_tenant
from tessera.errors import Invalid, Unauthenticated
from tessera.identity import email_links
from tessera.identity import service as identity
from tessera.identity.models import Membership, User
from tessera.tenants import service as tenants
from tessera.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from tessera.tenants.models import Tenant


@dataclass(frozen=True, slots=True)
class NewTenant:
    tenant: Tenant
    owner: User
    membership: Membership
    new_user: bool


@dataclass(frozen=True, slots=True)
class SignupResult:
    tenant: Tenant
    user: User
    session: identity.SessionGrant
    new_user: bool


async def create_with_owner(
    uow: UnitOfWork, *, company_name: str, slug: str, name: str, email: str, password: str
) -> NewTenant:
    """A new tenant owned by a new account, or by an existing one that proves its password."""
    email = identity.normalize_email(email)
    slug = tenants.check_slug(slug)
    company_name = tenants.check_company_name(company_name)
    user = await identity.get_user_by_email(uow.db, email)
    new_user = user is None
    if user is None:
        user = await identity.create_user(uow.db, email=email, name=name, password=password)
        email_links.queue_verification(uow, user)
    elif await identity.check_credentials_throttled(uow, email, password) is None:
        raise Unauthenticated(
            "An account with this email exists; enter its password to add a company to it."
        )
    identity.act_as(uow, user.id)
    tenant = await tenants.create_tenant(uow.db, name=company_name, slug=slug)
    await set_tenant(uow.db, tenant.id)
    membership = await identity.add_membership(uow.db, tenant.id, user.id, "owner")
    return NewTenant(tenant, user, membership, new_user)


async def sign_up(
    uow: UnitOfWork, *, company_name: str, slug: str, name: str, email: str, password: str
) -> SignupResult:
    """Create the tenant and its owner, and sign the owner in to it."""
    created = await create_with_owner(
        uow, company_name=company_name, slug=slug, name=name, email=email, password=password
    )
    grant = await identity.start_session(uow, created.owner.id, created.tenant.id)
    return SignupResult(created.tenant, created.owner, grant, created.new_user)


#: What may be asked about at all: slug characters only, no longer than any slug may be.
_SLUG_QUESTION = re.compile(r"[a-z0-9-]{1,40}")


@dataclass(frozen=True, slots=True)
class SlugAvailability:
    slug: str
    available: bool
    reason: Literal["invalid", "reserved", "taken"] | None = None
    detail: str | None = None


async def slug_availability(db: AsyncSession, slug: str) -> SlugAvailability:
    """Whether sign-up would accept ``slug``, and if not, why: for the form to say as one types.

    The answer is the sign-up's own rules (:func:`tenants.check_slug`, then a tenant holding
    it), so the two never disagree. Only a value no slug could ever be (other characters,
    longer than a slug) is refused as bad input; a slug-shaped value always gets a verdict.
    """
    if not _SLUG_QUESTION.fullmatch(slug):
        raise Invalid("slug", "may hold only lowercase letters, digits and hyphens (at most 40)")
    try:
        tenants.check_slug(slug)
    except Invalid as refused:
        message = refused.errors[0].message
        reason: Literal["invalid", "reserved"] = (
            "reserved" if slug in tenants.RESERVED_SLUGS else "invalid"
        )
        return SlugAvailability(slug, False, reason, message)
    if await tenants.get_by_slug(db, slug) is not None:
        return SlugAvailability(slug, False, "taken", "another company uses it; choose another")
    return SlugAvailability(slug, True)
