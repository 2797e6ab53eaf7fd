"""The platform's own domain events are written to the outbox with the change that caused them."""

from __future__ import annotations

import json
import uuid
from typing import Any

import asyncpg
import httpx

from tests.support import LiveServer, join, make_client, sign_up


async def outbox(owner_db: asyncpg.Connection, tenant_id: str) -> list[tuple[str, dict[str, Any]]]:
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        rows = await owner_db.fetch("SELECT type, payload FROM event_outbox ORDER BY id")
    return [(r["type"], json.loads(r["payload"])) for r in rows]


async def test_invitations_and_module_switches_emit_events(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await sign_up(client)
    async with make_client(live_server) as other:
        member = await join(live_server, owner, other)
    assert (await owner.post("/api/v1/modules/notes/enable")).status_code == 200
    assert (await owner.post("/api/v1/modules/notes/disable")).status_code == 200
    found = await outbox(owner_db, owner.tenant_id)
    types = [t for t, _ in found]
    assert types == [
        "tessera.member.invited",
        "tessera.member.joined",
        "tessera.module.enabled",
        "tessera.module.disabled",
    ]
    invited, joined = found[0][1], found[1][1]
    assert invited["email"] == member.email and invited["role"] == "member"
    assert joined["user_id"] == member.user_id
    assert uuid.UUID(joined["membership_id"])


async def test_a_refused_change_emits_nothing(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await sign_up(client)
    refused = await owner.post(
        "/api/v1/invitations", json={"email": "not-an-email", "role": "member"}
    )
    assert refused.status_code in (400, 422)
    assert await outbox(owner_db, owner.tenant_id) == []
