"""The app bench/crm_scale.py serves: the real Tessera app, plus the reference endpoints.

The reference is what the CRM endpoints are measured against: minimal Litestar handlers that
run the same SELECT (or INSERT) on a raw asyncpg pool (the pool's default reset on release
kept), no session, no tenant context, no permission check. They live in the same app, so the
same server and the same worker processes serve both, loaded the same way.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
import uuid
from typing import Any

import asyncpg
from litestar import Litestar, Response, get, post
from tessera_crm import reads
from tessera_crm.contacts import SORTING

from tessera.app import create_app
from tessera.db.ids import uuid7
from tessera.settings import Settings

# The statements the CRM endpoints run for the owner of the tenant (whose record rule is
# "all": the condition is ``true``), with the same parameters.
REFERENCE_CONTACT = reads.contact_by_id("true")
REFERENCE_LIST = reads.contact_page_sql(
    reads.Params(None, None),
    reads.contact_conditions(reads.Params(None), "true", reads.ContactFilters(tag="?")),
    SORTING.order("last_name"),
    None,
    50,
)
REFERENCE_SEARCH = reads.contact_page_sql(
    reads.Params(None, None),
    reads.contact_conditions(reads.Params(None), "true", reads.ContactFilters(q="?")),
    SORTING.order("id"),
    None,
    50,
)
REFERENCE_CREATE = (
    "INSERT INTO crm_contact AS c (tenant_id, id, first_name, last_name, email, email_key, tags, "
    "notes, owner_id) VALUES ($1, $2, '', $3, $4::varchar, lower($4::varchar), '{}', '', NULL) "
    f"RETURNING {reads.CONTACT_JSON}::text"
)
REFERENCE_ACCOUNT = reads.account_detail_reference()

_pool: asyncpg.Pool | None = None


def _json(text: str | None) -> Response[bytes]:
    if text is None:
        return Response(b'{"detail":"not found"}', status_code=404, media_type="application/json")
    return Response(text.encode(), media_type="application/json")


def pool() -> asyncpg.Pool:
    assert _pool is not None
    return _pool


@get("/bench/ref/{tenant_id:uuid}/contacts/{contact_id:uuid}")
async def ref_contact(tenant_id: uuid.UUID, contact_id: uuid.UUID) -> Response[bytes]:
    return _json(await pool().fetchval(REFERENCE_CONTACT, tenant_id, contact_id))


@get("/bench/ref/{tenant_id:uuid}/contacts")
async def ref_contacts(
    tenant_id: uuid.UUID, tag: str | None = None, q: str | None = None
) -> Response[bytes]:
    if q is not None:
        rows = await pool().fetch(REFERENCE_SEARCH, tenant_id, q + ":*")
    else:
        rows = await pool().fetch(REFERENCE_LIST, tenant_id, tag)
    return _json("[" + ",".join(row[0] for row in rows) + "]")


@get("/bench/ref/{tenant_id:uuid}/accounts/{account_id:uuid}")
async def ref_account(tenant_id: uuid.UUID, account_id: uuid.UUID) -> Response[bytes]:
    return _json(await pool().fetchval(REFERENCE_ACCOUNT, tenant_id, account_id))


@post("/bench/ref/{tenant_id:uuid}/contacts", status_code=201)
async def ref_create(tenant_id: uuid.UUID, data: dict[str, Any]) -> Response[bytes]:
    return _json(
        await pool().fetchval(
            REFERENCE_CREATE, tenant_id, uuid7(), data["last_name"], data.get("email")
        )
    )


async def watch_pauses() -> None:
    """With BENCH_DIAGNOSE set: print every event-loop stall and garbage collection over 20 ms,
    so a slow p99 can be told apart as the worker's (a stall) or the database's (no stall)."""
    started: dict[str, float] = {}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started["gc"] = time.perf_counter()
            return
        took = (time.perf_counter() - started.get("gc", time.perf_counter())) * 1000
        if took > 20:
            print(f"[{os.getpid()}] gc gen{info['generation']} {took:.0f} ms", file=sys.stderr)

    gc.callbacks.append(on_gc)

    async def lag() -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            late = (time.perf_counter() - before - 0.01) * 1000
            if late > 20:
                print(f"[{os.getpid()}] loop stalled {late:.0f} ms", file=sys.stderr)

    asyncio.get_running_loop().create_task(lag())


def create() -> Litestar:
    app = create_app(Settings.from_env())

    async def open_pool() -> None:
        global _pool
        _pool = await asyncpg.create_pool(
            os.environ["BENCH_REFERENCE_URL"], min_size=2, max_size=20
        )

    async def close_pool() -> None:
        if _pool is not None:
            await _pool.close()

    app.on_startup.append(open_pool)
    if os.environ.get("BENCH_DIAGNOSE"):
        app.on_startup.append(watch_pauses)
    app.on_shutdown.append(close_pool)
    for handler in (ref_contact, ref_contacts, ref_account, ref_create):
        app.register(handler)
    return app
