"""Tenants for tests: signed up over HTTP, modules switched on, people in given roles."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import httpx

from tessera.db.engine import plain_url
from tessera.plugin.testing.app import (
    PASSWORD,
    TesseraApp,
    documentation_ip,
    unique_email,
    unique_slug,
)


class Client(httpx.AsyncClient):
    """An HTTP client signed in as one person, sending the session's CSRF token every time."""

    def __init__(self, app: TesseraApp) -> None:
        super().__init__(
            base_url=app.url, headers={"X-Forwarded-For": documentation_ip()}, timeout=30
        )
        self.user_id = ""
        self.email = ""

    def signed_in(self, body: Mapping[str, Any], email: str) -> Client:
        self.user_id = str(body["user"]["id"])
        self.email = email
        self.headers["X-CSRF-Token"] = str(body["csrf_token"])
        return self


@dataclass(frozen=True)
class EmittedEvent:
    """An event a tenant's code emitted (the outbox row)."""

    id: uuid.UUID
    type: str
    payload: dict[str, Any]
    actor_user_id: uuid.UUID | None
    occurred_at: datetime


@dataclass(frozen=True)
class AuditRecord:
    """One entry of a tenant's audit trail."""

    seq: int
    action: str
    record_type: str | None
    record_id: str | None
    changes: dict[str, Any]
    actor_user_id: uuid.UUID | None


def _ok(response: httpx.Response, *expected: int) -> dict[str, Any]:
    if response.status_code not in (expected or (200,)):
        raise AssertionError(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code}: {response.text}"
        )
    body: dict[str, Any] = response.json() if response.content else {}
    return body


class Tenant:
    """A company signed up for this test alone, with its owner signed in."""

    def __init__(self, app: TesseraApp, owner: Client, body: Mapping[str, Any], slug: str) -> None:
        self.app = app
        self.owner = owner
        self.id = uuid.UUID(str(body["tenant"]["id"]))
        self.slug = slug
        self._clients: list[Client] = [owner]

    @classmethod
    async def sign_up(cls, app: TesseraApp, *modules: str) -> Tenant:
        """Sign a new company up over HTTP and switch ``modules`` on, in the order given."""
        owner = Client(app)
        email, slug = unique_email("owner"), unique_slug()
        body = _ok(
            await owner.post(
                "/api/v1/signup",
                json={
                    "company_name": f"Company {slug}",
                    "slug": slug,
                    "name": "Test Owner",
                    "email": email,
                    "password": PASSWORD,
                },
            ),
            201,
        )
        tenant = cls(app, owner.signed_in(body, email), body, slug)
        for module in modules:
            await tenant.enable(module)
        return tenant

    async def enable(self, module: str) -> None:
        """Switch a module on for this tenant, as its admin would."""
        _ok(await self.owner.post(f"/api/v1/modules/{module}/enable"))

    async def client_as(
        self, role: str = "member", *, permissions: Sequence[str] = (), name: str = "Test Member"
    ) -> Client:
        """A new member of this tenant, signed in on a client of their own.

        ``role`` is a built-in role (``member``, ``admin``). With ``permissions``, the member
        also holds a custom role made of exactly those grants (scope "all").
        """
        invitee = unique_email(role)
        _ok(
            await self.owner.post("/api/v1/invitations", json={"email": invitee, "role": role}),
            201,
        )
        client = Client(self.app)
        self._clients.append(client)
        body = _ok(
            await client.post(
                "/api/v1/invitations/accept",
                json={
                    "token": self.app.server.last_link_token(invitee),
                    "name": name,
                    "password": PASSWORD,
                },
            )
        )
        client.signed_in(body, invitee)
        if permissions:
            await self._grant(client.user_id, permissions)
        return client

    async def _grant(self, user_id: str, permissions: Sequence[str]) -> None:
        role = _ok(
            await self.owner.post(
                "/api/v1/roles",
                json={
                    "name": f"Test role {uuid.uuid4().hex[:8]}",
                    "grants": [{"permission": p, "scope": "all"} for p in permissions],
                },
            ),
            201,
        )
        members = _ok(await self.owner.get("/api/v1/members", params={"limit": 200}))
        membership = next(m["id"] for m in members["items"] if m["user_id"] == user_id)
        _ok(
            await self.owner.put(
                f"/api/v1/members/{membership}/roles", json={"role_ids": [role["id"]]}
            )
        )

    async def close(self) -> None:
        for client in self._clients:
            await client.aclose()

    # --- background work ----------------------------------------------------------------

    async def run_pending(self, *, expect_failures: bool = False) -> int:
        """Deliver every waiting event to its handlers and run every requested job, now.

        The platform's own relay and runner do it, in this process, round after round until
        nothing is left (see :mod:`tessera.jobs.drain`); returns how many deliveries and jobs
        ran. A handler that fails is dead-lettered as after its last retry, and this raises
        with its error, unless ``expect_failures``.
        """
        from tessera.jobs.drain import background

        async with self.connect() as conn:
            before = await conn.fetchval("SELECT count(*) FROM event_dead_letter")
        async with background(self.app.settings) as work:
            ran = await work.run_pending()
        if not expect_failures:
            async with self.connect() as conn:
                failed = await conn.fetch(
                    "SELECT handler, event_type, error FROM event_dead_letter"
                    " ORDER BY failed_at OFFSET $1",
                    before,
                )
            if failed:
                told = "\n".join(
                    f"{r['handler']} on {r['event_type']}: {r['error']}" for r in failed
                )
                raise AssertionError(f"event handlers failed:\n{told}")
        return ran

    async def run_schedule(self, name: str) -> None:
        """Run one of the installed schedules (``Schedule(name, …)``) for this tenant, now."""
        from tessera.jobs.drain import background

        async with background(self.app.settings) as work:
            await work.run_schedule(self.id, name)

    # --- looking ------------------------------------------------------------------------

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[asyncpg.Connection]:
        """A connection as the table owner, inside this tenant (row-level security applies)."""
        conn = await asyncpg.connect(plain_url(self.app.owner_url))
        try:
            await conn.set_type_codec(
                "jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
            )
            await conn.execute("SELECT set_config('tessera.tenant_id', $1, false)", str(self.id))
            yield conn
        finally:
            await conn.close()

    async def events(self, type: str | None = None) -> list[EmittedEvent]:
        """The events this tenant's code emitted, oldest first (of one type if given)."""
        async with self.connect() as conn:
            rows = await conn.fetch(
                "SELECT id, type, payload, actor_user_id, occurred_at FROM event_outbox"
                " WHERE $1::text IS NULL OR type = $1 ORDER BY id",
                type,
            )
        return [EmittedEvent(**dict(row)) for row in rows]

    async def assert_emitted(self, type: str, **payload: Any) -> EmittedEvent:
        """The event of ``type`` whose payload holds ``payload`` (compared as JSON)."""
        wanted = json.loads(json.dumps(payload, default=str))
        emitted = await self.events()
        for event in reversed(emitted):
            if event.type == type and all(
                event.payload.get(key) == value for key, value in wanted.items()
            ):
                return event
        seen = "\n".join(f"  {e.type} {e.payload}" for e in emitted) or "  nothing"
        raise AssertionError(f"no {type} event with {wanted}; emitted:\n{seen}")

    async def audit(
        self, record_type: str | None = None, record_id: object | None = None
    ) -> list[AuditRecord]:
        """This tenant's audit trail, oldest first (of one table, one record if given)."""
        async with self.connect() as conn:
            rows = await conn.fetch(
                "SELECT seq, action, record_type, record_id, changes, actor_user_id"
                " FROM audit_entry WHERE ($1::text IS NULL OR record_type = $1)"
                " AND ($2::text IS NULL OR record_id = $2) ORDER BY seq",
                record_type,
                None if record_id is None else str(record_id),
            )
        return [AuditRecord(**dict(row)) for row in rows]

    async def assert_audited(
        self, record_type: str, record_id: object, *, action: str
    ) -> AuditRecord:
        """The newest audit entry of ``action`` on the record, or an error showing the trail."""
        trail = await self.audit(record_type, record_id)
        for entry in reversed(trail):
            if entry.action == action:
                return entry
        seen = "\n".join(f"  {e.action} by {e.actor_user_id}" for e in trail) or "  nothing"
        raise AssertionError(f"no {action} of {record_type} {record_id} audited; trail:\n{seen}")
