"""Sign-up: a new tenant and its owner, signed in to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tessera.db.tenant_context import set_tenant
from tessera.errors import Unauthenticated
from tessera.identity import email_links
from tessera.identity import service as identity
from tessera.identity.models import Membership, User
from tessera.tenants import service as tenants
from tessera.unit_of_work import UnitOfWork

if TYPE_CHECKING:
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
