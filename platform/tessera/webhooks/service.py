"""Tenant admins' webhook endpoints: registering, changing, pausing, and their delivery log."""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.errors import Invalid, NotFound
from tessera.events.catalogue import visible_event_types
from tessera.security.sealing import Sealer
from tessera.security.secrets import new_secret
from tessera.settings import Settings
from tessera.webhooks.addresses import resolve
from tessera.webhooks.models import WebhookDelivery, WebhookEndpoint

_PATTERN = re.compile(r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,5}(\.\*)?)$")
MAX_TYPES = 50
SEALING_PURPOSE = "webhook-secrets"


def sealer(settings: Settings) -> Sealer:
    return Sealer(settings.secret_key, SEALING_PURPOSE)


def check_event_types(patterns: Sequence[str], modules: Collection[str]) -> list[str]:
    """``crm.deal.won`` (one type), ``crm.*`` or ``crm.deal.*`` (a family), ``*`` (all).

    Each names what the event catalogue declares for the tenant (the core's types and those
    of its enabled ``modules``): a type that no code emits would wait for nothing, silently.
    """
    if not patterns:
        raise Invalid("event_types", "name at least one event type (or '*' for all)")
    if len(patterns) > MAX_TYPES:
        raise Invalid("event_types", f"at most {MAX_TYPES}")
    known = visible_event_types(modules)
    for pattern in patterns:
        if len(pattern) > 120 or not _PATTERN.fullmatch(pattern):
            raise Invalid("event_types", f"{pattern!r} is not an event type, 'module.*' or '*'")
        if not any(matches([pattern], name) for name in known):
            raise Invalid(
                "event_types",
                f"{pattern!r} names no event type of the catalogue (GET /api/v1/events/types "
                "lists them; a module's types need the module enabled)",
            )
    return sorted(set(patterns))


def matches(patterns: Sequence[str], event_type: str) -> bool:
    for pattern in patterns:
        if pattern == "*" or pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


async def check_url(url: str, settings: Settings) -> str:
    await resolve(
        url,
        allow_http=settings.webhooks_allow_http,
        allow_private=settings.webhooks_allow_private_addresses,
    )
    return url


async def create(
    db: AsyncSession,
    settings: Settings,
    tenant_id: uuid.UUID,
    *,
    url: str,
    event_types: Sequence[str],
    modules: Collection[str],
    description: str,
    created_by: uuid.UUID,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its signing secret (shown this once)."""
    patterns = check_event_types(event_types, modules)
    await check_url(url, settings)
    secret = f"whsec_{new_secret()}"
    endpoint = WebhookEndpoint(
        tenant_id=tenant_id,
        url=url,
        event_types=patterns,
        description=description,
        secret_sealed=sealer(settings).seal(secret),
        active=True,
        consecutive_failures=0,
        created_by=created_by,
    )
    db.add(endpoint)
    await db.flush()
    return endpoint, secret


async def get(db: AsyncSession, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = await db.get(WebhookEndpoint, (tenant_id, endpoint_id))
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


async def list_endpoints(db: AsyncSession) -> Sequence[WebhookEndpoint]:
    return (await db.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id))).all()


async def change(
    db: AsyncSession,
    settings: Settings,
    endpoint: WebhookEndpoint,
    *,
    url: str | None,
    event_types: Sequence[str] | None,
    modules: Collection[str],
    description: str | None,
    active: bool | None,
) -> WebhookEndpoint:
    if url is not None and url != endpoint.url:
        endpoint.url = await check_url(url, settings)
    if event_types is not None:
        endpoint.event_types = check_event_types(event_types, modules)
    if description is not None:
        endpoint.description = description
    if active is not None:
        endpoint.active = active
        if active:
            resume(endpoint)
    await db.flush()
    return endpoint


def resume(endpoint: WebhookEndpoint) -> None:
    """Deliver again after a pause; the failure count starts over."""
    endpoint.paused_at = None
    endpoint.pause_reason = None
    endpoint.consecutive_failures = 0


async def rotate_secret(db: AsyncSession, settings: Settings, endpoint: WebhookEndpoint) -> str:
    secret = f"whsec_{new_secret()}"
    endpoint.secret_sealed = sealer(settings).seal(secret)
    await db.flush()
    return secret


async def remove(db: AsyncSession, endpoint: WebhookEndpoint) -> None:
    await db.delete(endpoint)
    await db.flush()


async def deliveries(
    db: AsyncSession, endpoint_id: uuid.UUID, *, before: uuid.UUID | None, limit: int
) -> Sequence[WebhookDelivery]:
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(WebhookDelivery.id < before)
    return (await db.scalars(query)).all()
