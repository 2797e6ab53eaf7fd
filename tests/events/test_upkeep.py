"""The dispatcher's hourly upkeep, run as the dispatch role: what expired goes, the rest stays."""

from __future__ import annotations

import uuid

import asyncpg
import httpx

from tessera.db.engine import plain_url
from tessera.jobs.dispatcher import purge_expired
from tessera.runtime import dispatch_database_url
from tests.support import LiveServer, make_client, sign_up


async def test_upkeep_removes_only_what_expired(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    kept = await sign_up(client)
    async with make_client(live_server) as other:
        expired = await sign_up(other)
        await owner_db.execute(
            "UPDATE identity_session SET expires_at = now() - interval '1 minute'"
            " WHERE user_id = $1",
            uuid.UUID(expired.user_id),
        )
        spent = uuid.uuid4()
        await owner_db.execute(
            "INSERT INTO identity_used_token (jti, purpose, used_at, expires_at)"
            " VALUES ($1, 'reset', now() - interval '2 days', now() - interval '1 day')",
            spent,
        )
        stale = f"upkeep-test:{uuid.uuid4()}"
        await owner_db.execute(
            "INSERT INTO identity_login_throttle (key, window_started_at, failures)"
            " VALUES ($1, now() - interval '1 day', 3)",
            stale,
        )
        old_event = uuid.uuid4()
        async with owner_db.transaction():
            await owner_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", kept.tenant_id
            )
            await owner_db.execute(
                "INSERT INTO event_outbox (tenant_id, id, type, payload, occurred_at, relayed_at)"
                " VALUES ($1, $2, 'notes.note.created', '{}', now() - interval '30 days',"
                " now() - interval '30 days')",
                uuid.UUID(kept.tenant_id),
                old_event,
            )

        conn = await asyncpg.connect(plain_url(dispatch_database_url(live_server.settings)))
        try:
            removed = await purge_expired(conn, live_server.settings)
        finally:
            await conn.close()
        assert removed["identity_session"] >= 1
        assert removed["event_outbox"] >= 1
        assert (
            await owner_db.fetchval(
                "SELECT count(*) FROM identity_used_token WHERE jti = $1", spent
            )
            == 0
        )
        assert (
            await owner_db.fetchval(
                "SELECT count(*) FROM identity_login_throttle WHERE key = $1", stale
            )
            == 0
        )
        assert (await other.get("/api/v1/me")).status_code == 401, "the expired session is gone"
        assert (await kept.get("/api/v1/me")).status_code == 200, "a live session stays"
