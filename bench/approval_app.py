"""The app bench/approval_inbox.py serves: the real Tessera app, plus the reference endpoint.

The reference runs what ``GET /api/v1/workflow/inbox?limit=20`` runs against the database —
the page of open tasks with their instances, then the page's record titles — on a raw asyncpg
pool as the app's own role, in one transaction with the tenant set (so RLS applies as it does
to the app), and answers the rows as JSON. No session, no permission check, no ORM. It lives
in the same app, so the same server and worker processes serve both.
"""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import msgspec
from litestar import Litestar, Response, get
from tessera_crm.approval import DEAL

from tessera.app import create_app
from tessera.db.engine import plain_url
from tessera.runtime import runtime_database_url
from tessera.settings import Settings
from tessera.workflow import centre

# The very statements the inbox runs (tessera.workflow.centre), not a copy of them.
INBOX_SQL = centre.INBOX_SQL
TITLES_SQL = centre.title_sql(DEAL) or ""
SET_TENANT = "SELECT set_config('tessera.tenant_id', $1, true)"

_pool: asyncpg.Pool | None = None


def pool() -> asyncpg.Pool:
    assert _pool is not None
    return _pool


async def inbox_rows(
    conn: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    limit: int,
) -> list[dict[str, Any]]:
    """The reference's work: tenant set, the page, its titles, in one transaction."""
    async with conn.transaction():
        await conn.execute(SET_TENANT, str(tenant_id))
        rows = await conn.fetch(INBOX_SQL, user_id, ["crm.deal"], limit + 1)
        ids = [uuid.UUID(row["record_id"]) for row in rows[:limit]]
        titles = {str(row[0]): row[1] for row in await conn.fetch(TITLES_SQL, ids)}
    return [dict(row) | {"title": titles.get(row["record_id"])} for row in rows[:limit]]


@get("/bench/ref/inbox/{tenant_id:uuid}/{user_id:uuid}")
async def ref_inbox(tenant_id: uuid.UUID, user_id: uuid.UUID, limit: int = 20) -> Response[bytes]:
    async with pool().acquire() as conn:
        items = await inbox_rows(conn, tenant_id, user_id, limit)
    return Response(msgspec.json.encode({"items": items}), media_type="application/json")


def create() -> Litestar:
    settings = Settings.from_env()
    app = create_app(settings)

    async def open_pool() -> None:
        global _pool
        _pool = await asyncpg.create_pool(
            plain_url(runtime_database_url(settings)), min_size=2, max_size=10
        )

    async def close_pool() -> None:
        if _pool is not None:
            await _pool.close()

    app.on_startup.append(open_pool)
    app.on_shutdown.append(close_pool)
    app.register(ref_inbox)
    return app
