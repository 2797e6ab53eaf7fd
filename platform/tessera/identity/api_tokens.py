"""Personal API tokens: one member, one tenant, shown once, stored hashed, revocable.

A token reads ``tsk_`` followed by the URL-safe base64 of tenant id, token id and a 256-bit
secret. The ids let the server set the tenant context and find the row by primary key; only
SHA-256 of the secret is stored, and compared in constant time.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.db.ids import uuid7
from tessera.db.tenant_context import set_tenant
from tessera.errors import Forbidden, Invalid, NotFound
from tessera.identity.models import ApiToken, Membership, User
from tessera.identity.service import Actor, as_member, member_view
from tessera.security.secrets import digest, same_digest

PREFIX = "tsk_"
_SECRET_BYTES = 32
#: Writing last_used_at on every call would make each read a write; once a minute is enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def _encode(tenant_id: uuid.UUID, token_id: uuid.UUID, secret: bytes) -> str:
    raw = tenant_id.bytes + token_id.bytes + secret
    return PREFIX + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(token: str) -> tuple[uuid.UUID, uuid.UUID, str] | None:
    if not token.startswith(PREFIX) or len(token) > 120:
        return None
    body = token.removeprefix(PREFIX)
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 32 + _SECRET_BYTES:
        return None
    return uuid.UUID(bytes=raw[:16]), uuid.UUID(bytes=raw[16:32]), raw[32:].hex()


async def create_token(
    db: AsyncSession, actor: Actor, *, name: str, expires_in_days: int | None
) -> tuple[ApiToken, str]:
    tenant_id, membership_id = actor.require_member()
    if actor.via == "token":
        raise Forbidden("API tokens cannot create API tokens; sign in to make one.")
    name = " ".join(name.split())
    if not name:
        raise Invalid("name", "must not be empty")
    secret = secrets.token_bytes(_SECRET_BYTES)
    token_id = uuid7()
    plaintext = _encode(tenant_id, token_id, secret)
    token = ApiToken(
        id=token_id,
        tenant_id=tenant_id,
        membership_id=membership_id,
        name=name,
        secret_hash=digest(secret.hex()),
        hint=plaintext[-4:],
        expires_at=(
            datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
        ),
    )
    db.add(token)
    await db.flush()
    return token, plaintext


async def list_tokens(
    db: AsyncSession, actor: Actor, *, after: uuid.UUID | None, limit: int
) -> list[ApiToken]:
    """The caller's own tokens, revoked ones included (they show when they were revoked)."""
    _, membership_id = actor.require_member()
    query = (
        select(ApiToken)
        .where(ApiToken.membership_id == membership_id)
        .order_by(ApiToken.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(ApiToken.id > after)
    return list((await db.execute(query)).scalars())


async def revoke_token(db: AsyncSession, actor: Actor, token_id: uuid.UUID) -> ApiToken:
    """Revoke one of the caller's tokens (admins: any token of the tenant)."""
    _, membership_id = actor.require_member()
    token = await db.get(ApiToken, (actor.tenant_id, token_id))
    if token is None or (
        token.membership_id != membership_id and not actor.can("identity.token.revoke")
    ):
        raise NotFound("No such API token.")
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        await db.flush()
    return token


async def actor_from_token(db: AsyncSession, plaintext: str) -> Actor | None:
    """The member a bearer token stands for, with the tenant context set; None if invalid."""
    decoded = _decode(plaintext)
    if decoded is None:
        return None
    tenant_id, token_id, secret_hex = decoded
    await set_tenant(db, tenant_id)
    row = (
        await db.execute(
            member_view()
            .add_columns(ApiToken, User)
            .join(
                ApiToken,
                (Membership.tenant_id == ApiToken.tenant_id)
                & (Membership.id == ApiToken.membership_id),
            )
            .join(User, User.id == Membership.user_id)
            .where(ApiToken.id == token_id)
        )
    ).one_or_none()
    if row is None:
        return None
    membership, enabled, custom, token, user = row
    now = datetime.now(UTC)
    if not same_digest(secret_hex, token.secret_hash) or token.revoked_at is not None:
        return None
    if (token.expires_at is not None and token.expires_at <= now) or not user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        token.last_used_at = now
    actor = Actor(user_id=user.id, email=user.email, name=user.name, via="token", token_id=token.id)
    return as_member(actor, membership, enabled, custom)
