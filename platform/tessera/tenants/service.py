"""Tenants: the rules for slugs and names, creating, finding and listing tenants.

Identity builds on this domain (sign-up, memberships); this one knows nothing of users.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.errors import Conflict, Invalid
from tessera.tenants.models import Tenant

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$")
#: Slugs that would collide with URLs, product names or support expectations.
RESERVED_SLUGS = frozenset(
    {
        "admin", "api", "app", "apps", "assets", "auth", "billing", "blog", "cdn", "dashboard",
        "dev", "docs", "help", "health", "login", "logout", "mail", "new", "null", "oauth",
        "public", "root", "settings", "signup", "sso", "static", "status", "support", "system",
        "tessera", "undefined", "www",
    }
)  # fmt: skip


def check_slug(slug: str, *, field: str = "slug") -> str:
    if not SLUG_PATTERN.fullmatch(slug):
        raise Invalid(
            field,
            "must be 3 to 40 lowercase letters, digits or hyphens, starting and ending "
            "with a letter or digit",
        )
    if "--" in slug:
        raise Invalid(field, "must not contain two hyphens in a row")
    if slug in RESERVED_SLUGS:
        raise Invalid(field, f"{slug!r} is reserved; choose another")
    return slug


def check_company_name(name: str, *, field: str = "company_name") -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid(field, "must not be empty")
    return cleaned


async def get_by_slug(db: AsyncSession, slug: str) -> Tenant | None:
    return (await db.execute(select(Tenant).where(Tenant.slug == slug))).scalar_one_or_none()


async def create_tenant(db: AsyncSession, *, name: str, slug: str) -> Tenant:
    slug = check_slug(slug)
    name = check_company_name(name)
    if await get_by_slug(db, slug) is not None:
        raise Conflict(f"The slug {slug!r} is taken; choose another.")
    tenant = Tenant(name=name, slug=slug)
    db.add(tenant)
    await db.flush()
    return tenant


async def list_tenants(db: AsyncSession) -> list[Tenant]:
    return list((await db.execute(select(Tenant).order_by(Tenant.created_at))).scalars())


async def get(db: AsyncSession, tenant_id: uuid.UUID) -> Tenant | None:
    return await db.get(Tenant, tenant_id)


async def get_active_by_slug(db: AsyncSession, slug: str) -> Tenant | None:
    tenant = await get_by_slug(db, slug)
    return tenant if tenant is not None and tenant.status == "active" else None


def active_tenants() -> Select[uuid.UUID, str, str]:
    """Id, slug and name of every active tenant, for other domains to join against."""
    return select(Tenant.id, Tenant.slug, Tenant.name).where(Tenant.status == "active")
