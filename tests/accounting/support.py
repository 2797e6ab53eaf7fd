"""What the accounting tests share: a tenant with the module on, the ledger service called in a
transaction of the runtime role (as a dependant plugin would), and raw SQL as that role."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.db.engine import Database
from tessera.db.tenant_context import set_tenant
from tessera.recycle.capture import PlatformSession
from tessera.runtime import runtime_database_url
from tests.support import LiveServer, SignedUp, sign_up

API = "/api/v1/accounting"


async def accounting_tenant(client: httpx.AsyncClient) -> SignedUp:
    owner = await sign_up(client)
    enabled = await owner.post("/api/v1/modules/accounting/enable")
    assert enabled.status_code == 200, enabled.text
    return owner


@contextlib.asynccontextmanager
async def runtime_database(server: LiveServer) -> AsyncIterator[Database]:
    database = Database(
        runtime_database_url(server.settings), pool_size=2, session_class=PlatformSession
    )
    try:
        yield database
    finally:
        await database.dispose()


@contextlib.asynccontextmanager
async def in_tenant(database: Database, tenant_id: str) -> AsyncIterator[AsyncSession]:
    """One committed transaction of the runtime role in the tenant."""
    async with database.transaction() as db:
        await set_tenant(db, uuid.UUID(tenant_id))
        yield db


def entry(*lines: tuple[str, str, str], journal: str = "MISC", **more: Any) -> dict[str, Any]:
    """An entry for the ledger service: lines as (account, debit, credit)."""
    return {
        "journal": journal,
        "date": more.pop("date", date.today()),
        "memo": more.pop("memo", "test"),
        "lines": [
            {"account": account, "debit": Decimal(debit), "credit": Decimal(credit), "label": ""}
            for account, debit, credit in lines
        ],
        **more,
    }


@contextlib.asynccontextmanager
async def as_tenant(conn: asyncpg.Connection, tenant_id: str) -> AsyncIterator[asyncpg.Connection]:
    """A transaction of a raw connection scoped to the tenant."""
    async with conn.transaction():
        await conn.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        yield conn


async def fetch_rows(conn: asyncpg.Connection, tenant_id: str, sql: str, *args: Any) -> list[Any]:
    async with as_tenant(conn, tenant_id):
        return list(await conn.fetch(sql, *args))


@contextlib.asynccontextmanager
async def runtime_session(server: LiveServer, tenant_id: str) -> AsyncIterator[AsyncSession]:
    """One committed transaction of the runtime role in the tenant, on a database of its own."""
    async with runtime_database(server) as database, in_tenant(database, tenant_id) as db:
        yield db


ENTRIES = f"{API}/entries"


def api_entry(*lines: tuple[str, str, str], post: bool = True, **more: Any) -> dict[str, Any]:
    """An entry for POST /entries: lines as (account code or role, debit, credit)."""
    return {
        "journal": more.pop("journal", "MISC"),
        "date": more.pop("date", date.today().isoformat()),
        "memo": more.pop("memo", ""),
        "lines": [{"account": a, "debit": d, "credit": c} for a, d, c in lines],
        "post": post,
        **more,
    }


async def posted(who: SignedUp, *lines: tuple[str, str, str], **more: Any) -> dict[str, Any]:
    made = await who.post(ENTRIES, json=api_entry(*lines, **more))
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def account_id(who: SignedUp, code: str) -> str:
    found = (await who.get(f"{API}/accounts", params={"q": code, "limit": 200})).json()["items"]
    return str(next(a["id"] for a in found if a["code"] == code))
