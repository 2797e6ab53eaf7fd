"""Users, sign-in, sessions and memberships."""

from __future__ import annotations

import dataclasses
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import ColumnElement, Select, delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.access import catalog
from tessera.access import service as access
from tessera.audit import capture as audit
from tessera.db.tenant_context import mark_context_sent, own_memberships_visible, set_tenant
from tessera.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from tessera.identity import throttle
from tessera.identity.models import ROLES, Membership, Session, User
from tessera.modules import service as modules
from tessera.security.passwords import (
    check_password_rules,
    hash_password,
    needs_rehash,
    verify_password,
)
from tessera.security.secrets import digest, new_secret
from tessera.tenants import service as tenants
from tessera.unit_of_work import UnitOfWork

Role = Literal["owner", "admin", "member"]
# On a hot read's plain connection: the tenant is entered for the connection (0014).
_SESSION_MEMBER_SQL = "SELECT * FROM tessera_session_member($1, $2::jsonb, true)"
_SESSION_MEMBER = text("SELECT * FROM tessera_session_member(:hash, CAST(:context AS jsonb))")
_ROLE_RANK = {role: rank for rank, role in enumerate(reversed(ROLES))}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is making a call: a user, and (usually) their membership in the current tenant."""

    user_id: uuid.UUID
    email: str
    name: str
    via: Literal["session", "token", "system"]
    tenant_id: uuid.UUID | None = None
    membership_id: uuid.UUID | None = None
    role: str | None = None
    session_hash: bytes | None = None
    token_id: uuid.UUID | None = None
    csrf_token: str | None = None
    #: The modules the current tenant switched on.
    modules: frozenset[str] = frozenset()
    #: Permission -> scope ("own", "team" or "all") held in the current tenant.
    grants: Mapping[str, str] = field(default_factory=dict)

    def require_member(self) -> tuple[uuid.UUID, uuid.UUID]:
        if self.tenant_id is None or self.membership_id is None:
            raise Forbidden("Choose a tenant first (POST /api/v1/me/tenant).")
        return self.tenant_id, self.membership_id

    @property
    def tenant(self) -> uuid.UUID:
        """The current tenant; refused (403) for a user who has not chosen one."""
        return self.require_member()[0]

    def can(self, permission: str) -> bool:
        return permission in self.grants

    def scope(self, permission: str) -> str | None:
        return self.grants.get(permission)

    def require(self, permission: str) -> None:
        self.require_member()
        if not self.can(permission):
            raise Forbidden(f"This needs the {permission!r} permission.")

    def outranks_or_equals(self, role: str) -> bool:
        return _ROLE_RANK.get(self.role or "", -1) >= _ROLE_RANK[role]


def act_as(uow: UnitOfWork, user_id: uuid.UUID, token_id: uuid.UUID | None = None) -> None:
    """Stamp the rest of the unit of work's audit entries with this user (or API token)."""
    _stamp(uow.db, user_id, token_id)


def _stamp(db: AsyncSession, user_id: uuid.UUID, token_id: uuid.UUID | None) -> None:
    current = audit.get_context(db.sync_session)
    audit.set_context(
        db.sync_session,
        dataclasses.replace(
            current,
            actor_kind="token" if token_id else "user",
            actor_user_id=user_id,
            actor_token_id=token_id,
        ),
    )


@dataclass(frozen=True, slots=True)
class SessionGrant:
    """A new session: the cookie value is known only here and to the browser."""

    cookie: str
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TenantMembership:
    tenant_id: uuid.UUID
    slug: str
    name: str
    role: str


def normalize_email(raw: str, *, field: str = "email") -> str:
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid(field, str(exc)) from None
    return result.normalized.lower()


def check_name(name: str, *, field: str = "name") -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid(field, "must not be empty")
    return cleaned


def check_role(role: str, *, field: str = "role") -> Role:
    if role not in ROLES:
        raise Invalid(field, f"must be one of {', '.join(ROLES)}")
    return role  # type: ignore[return-value]


async def get_user_by_email(db: AsyncSession, email: str) -> User | None:
    return (await db.execute(select(User).where(User.email == email.lower()))).scalar_one_or_none()


async def create_user(db: AsyncSession, *, email: str, name: str, password: str) -> User:
    email = normalize_email(email)
    name = check_name(name)
    check_password_rules(password, email=email)
    if await get_user_by_email(db, email) is not None:
        raise Conflict("An account with this email already exists.")
    user = User(email=email, name=name, password_hash=hash_password(password))
    db.add(user)
    await db.flush()
    return user


async def check_credentials(db: AsyncSession, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (in constant-ish time)."""
    user = await get_user_by_email(db, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


async def log_in(
    uow: UnitOfWork, *, email: str, password: str, tenant_slug: str | None
) -> tuple[SessionGrant, User, TenantMembership | None]:
    """Check credentials under the throttle, then start a session in a tenant of the user's."""
    email = email.strip().lower()
    user = await check_credentials_throttled(uow, email, password)
    if user is None:
        raise Unauthenticated("The email or password is not correct.")
    memberships = await list_user_tenants(uow.db, user.id)
    chosen = _choose_tenant(memberships, tenant_slug)
    grant = await start_session(uow, user.id, chosen.tenant_id if chosen else None)
    act_as(uow, user.id)
    if chosen is not None:
        audit.record(uow.db.sync_session, chosen.tenant_id, "login", **_about(user.id))
    return grant, user, chosen


async def check_credentials_throttled(uow: UnitOfWork, email: str, password: str) -> User | None:
    """:func:`check_credentials` behind the log-in throttle, for every place a password is tried.

    Sign-up and accepting an invitation check an existing account's password too; without the
    throttle they would be a way to guess passwords without limit.
    """
    settings = uow.settings
    window = timedelta(seconds=settings.login_window_seconds)
    keys = {throttle.email_key(email): settings.login_max_failures_per_email}
    if uow.origin.ip:
        keys[throttle.ip_key(uow.origin.ip)] = settings.login_max_failures_per_ip
    await throttle.check(uow.db, keys, window)
    user = await check_credentials(uow.db, email, password)
    if user is None:
        # The request rolls back; the count and the security event must survive it.
        async with uow.side_transaction() as side:
            await throttle.record_failure(side, list(keys), window)
            await _record_failed_login(uow, side, email)
        return None
    await throttle.clear(uow.db, throttle.email_key(email))
    return user


def _about(user_id: uuid.UUID) -> dict[str, Any]:
    return {"record_type": "identity_user", "record_id": str(user_id)}


async def _record_failed_login(uow: UnitOfWork, side: AsyncSession, email: str) -> None:
    """A failed log-in to a known account shows in the audit trail of each of its tenants."""
    user = await get_user_by_email(side, email)
    if user is None:
        return
    audit.set_context(side.sync_session, audit.get_context(uow.db.sync_session))
    for membership in await list_user_tenants(side, user.id):
        audit.record(side.sync_session, membership.tenant_id, "login_failed", **_about(user.id))


def _choose_tenant(
    memberships: list[TenantMembership], slug: str | None
) -> TenantMembership | None:
    if slug is None:
        return memberships[0] if memberships else None
    for membership in memberships:
        if membership.slug == slug:
            return membership
    raise NotFound(f"You are not a member of a tenant named {slug!r}.")


async def start_session(
    uow: UnitOfWork, user_id: uuid.UUID, tenant_id: uuid.UUID | None
) -> SessionGrant:
    cookie, csrf = new_secret(), secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires_at = now + timedelta(hours=uow.settings.session_ttl_hours)
    uow.db.add(
        Session(
            token_hash=digest(cookie),
            user_id=user_id,
            tenant_id=tenant_id,
            csrf_token=csrf,
            created_at=now,
            expires_at=expires_at,
            ip=uow.origin.ip,
            user_agent=(uow.origin.user_agent or "")[:400] or None,
        )
    )
    await uow.db.flush()
    return SessionGrant(cookie=cookie, csrf_token=csrf, expires_at=expires_at)


async def end_session(db: AsyncSession, token_hash: bytes) -> None:
    await db.execute(delete(Session).where(Session.token_hash == token_hash))


async def log_out(uow: UnitOfWork, actor: Actor) -> None:
    """End the actor's session (an API token has none to end)."""
    if actor.session_hash is None:
        return
    await end_session(uow.db, actor.session_hash)
    if actor.tenant_id is not None:
        audit.record(uow.db.sync_session, actor.tenant_id, "logout", **_about(actor.user_id))


async def end_all_sessions(db: AsyncSession, user_id: uuid.UUID) -> None:
    await db.execute(delete(Session).where(Session.user_id == user_id))


async def actor_from_session(uow: UnitOfWork, cookie: str) -> Actor | None:
    """The signed-in user of a session cookie, with the tenant context set; None if invalid.

    One round trip: the database function looks up the session, enters its tenant (sending
    the audit context along) and reads the membership, modules and grants there. On a hot
    read's plain connection (``uow.driver``) it goes straight to the driver.
    """
    token_hash = digest(cookie)
    member: Mapping[Any, Any] | None
    if uow.driver is not None:
        context = audit.AuditContext(
            actor_kind="anonymous",
            request_id=uow.origin.request_id,
            ip=uow.origin.ip,
            user_agent=uow.origin.user_agent,
        )
        member = await uow.driver.fetchrow(_SESSION_MEMBER_SQL, token_hash, context.as_json())
        uow.entered = True
    else:
        context = audit.get_context(uow.db.sync_session)
        found = await uow.db.execute(
            _SESSION_MEMBER, {"hash": token_hash, "context": context.as_json()}
        )
        member = found.mappings().one_or_none()
    if member is None:
        return None
    actor = Actor(
        user_id=member["user_id"],
        email=member["email"],
        name=member["name"],
        via="session",
        session_hash=token_hash,
        csrf_token=member["csrf_token"],
    )
    if uow.driver is None:
        _stamp(uow.db, actor.user_id, None)
    if member["membership_id"] is None:
        return actor
    if uow.driver is None:
        mark_context_sent(uow.db)
    enabled = frozenset(member["modules"])
    return replace(
        actor,
        tenant_id=member["tenant_id"],
        membership_id=member["membership_id"],
        role=member["role"],
        modules=enabled,
        grants=catalog.effective_grants(member["role"], enabled, member["grants"]),
    )


async def with_membership(db: AsyncSession, actor: Actor, tenant_id: uuid.UUID) -> Actor:
    """``actor`` inside ``tenant_id`` (tenant context set), or without a tenant if not a member."""
    await set_tenant(db, tenant_id)
    row = (await db.execute(member_view().where(Membership.user_id == actor.user_id))).one_or_none()
    if row is None:
        # Not a member here: the tenant ``actor`` may come with must not carry over (a switch
        # to a stranger's tenant would otherwise pass as a member of the old one).
        return replace(
            actor, tenant_id=None, membership_id=None, role=None, modules=frozenset(), grants={}
        )
    membership, enabled, custom = row
    return as_member(actor, membership, enabled, custom)


def member_view() -> Select[Membership, Any, Any]:
    """A membership with its tenant's enabled modules and its custom roles' grants: one query."""
    membership_id: ColumnElement[uuid.UUID] = Membership.__table__.c.id
    return select(Membership, modules.enabled_array(), access.custom_grants(membership_id))


def as_member(
    actor: Actor, membership: Membership, enabled: Sequence[str], custom: Sequence[str]
) -> Actor:
    enabled_set = frozenset(enabled)
    return replace(
        actor,
        tenant_id=membership.tenant_id,
        membership_id=membership.id,
        role=membership.role,
        modules=enabled_set,
        grants=catalog.effective_grants(membership.role, enabled_set, custom),
    )


async def list_user_tenants(db: AsyncSession, user_id: uuid.UUID) -> list[TenantMembership]:
    """Every tenant the user belongs to, oldest membership first."""
    tenant = tenants.active_tenants().subquery()
    async with own_memberships_visible(db, user_id):
        rows = await db.execute(
            select(tenant.c.id, tenant.c.slug, tenant.c.name, Membership.role)
            .join(Membership, Membership.tenant_id == tenant.c.id)
            .where(Membership.user_id == user_id)
            .order_by(Membership.created_at, tenant.c.slug)
        )
    return [TenantMembership(tenant_id=r.id, slug=r.slug, name=r.name, role=r.role) for r in rows]


async def switch_tenant(db: AsyncSession, actor: Actor, slug: str) -> Actor:
    if actor.session_hash is None:
        raise Forbidden("An API token is bound to its tenant; it cannot switch.")
    tenant = await tenants.get_active_by_slug(db, slug)
    if tenant is None:
        raise NotFound(f"You are not a member of a tenant named {slug!r}.")
    switched = await with_membership(db, actor, tenant.id)
    if switched.membership_id is None:
        raise NotFound(f"You are not a member of a tenant named {slug!r}.")
    await db.execute(
        update(Session).where(Session.token_hash == actor.session_hash).values(tenant_id=tenant.id)
    )
    return switched


async def add_membership(
    db: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, role: Role
) -> Membership:
    """Make ``user_id`` a member of ``tenant_id`` (whose context must be set)."""
    existing = (
        await db.execute(select(Membership).where(Membership.user_id == user_id))
    ).scalar_one_or_none()
    if existing is not None:
        raise Conflict("This person is already a member of the tenant.")
    membership = Membership(tenant_id=tenant_id, user_id=user_id, role=role)
    db.add(membership)
    await db.flush()
    return membership


async def list_members(
    db: AsyncSession, actor: Actor, *, after: uuid.UUID | None, limit: int
) -> list[tuple[Membership, User]]:
    actor.require_member()
    query = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .order_by(Membership.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(Membership.id > after)
    return [(m, u) for m, u in await db.execute(query)]
