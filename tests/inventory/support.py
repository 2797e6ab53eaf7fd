"""What the inventory tests share: a tenant with inventory (and accounting) on, its units and
stock location, products, receipts and deliveries over HTTP, and what the database holds."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
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

API = "/api/v1/inventory"
PRODUCTS = f"{API}/products"
UOMS = f"{API}/uoms"
RECEIPTS = f"{API}/receipts"
DELIVERIES = f"{API}/deliveries"
TRANSFERS = f"{API}/transfers"
RESERVATIONS = f"{API}/reservations"
PICKINGS = f"{API}/pickings"
COUNTS = f"{API}/counts"
LOCATIONS = f"{API}/locations"
WAREHOUSES = f"{API}/warehouses"
SETTINGS = f"{API}/settings"
PRICE_LISTS = f"{API}/price-lists"
REPORTS = f"{API}/reports"


async def inventory_tenant(client: httpx.AsyncClient) -> SignedUp:
    """A new tenant with inventory switched on (accounting with it, as it depends on it)."""
    owner = await sign_up(client)
    enabled = await owner.post("/api/v1/modules/inventory/enable", json={"with_dependencies": True})
    assert enabled.status_code == 200, enabled.text
    return owner


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def units(who: SignedUp) -> dict[str, str]:
    """Unit name -> id."""
    return {u["name"]: u["id"] for u in await ok(await who.get(UOMS))}


async def stock_location(who: SignedUp) -> str:
    [warehouse] = [w for w in await ok(await who.get(WAREHOUSES)) if w["is_default"]]
    return str(warehouse["stock_location_id"])


async def product(who: SignedUp, sku: str | None = None, **fields: Any) -> dict[str, Any]:
    unit = fields.pop("uom", "Unit")
    body = {
        "sku": sku or f"SKU-{uuid.uuid4().hex[:8]}",
        "name": fields.pop("name", "Green tea"),
        "uom_id": (await units(who))[unit],
        **fields,
    }
    made: dict[str, Any] = await ok(await who.post(PRODUCTS, json=body), 201)
    return made


async def receive(
    who: SignedUp, product_id: str, quantity: str, unit_cost: str, **more: Any
) -> dict[str, Any]:
    line = {"product_id": product_id, "quantity": quantity, "unit_cost": unit_cost}
    body = {"lines": [line], **more}
    received: dict[str, Any] = await ok(await who.post(RECEIPTS, json=body), 201)
    return received


async def deliver(who: SignedUp, product_id: str, quantity: str, **more: Any) -> httpx.Response:
    body = {"lines": [{"product_id": product_id, "quantity": quantity}], **more}
    return await who.post(DELIVERIES, json=body)


async def detail(who: SignedUp, product_id: str) -> dict[str, Any]:
    found: dict[str, Any] = await ok(await who.get(f"{PRODUCTS}/{product_id}"))
    return found


async def in_tenant(
    conn: asyncpg.Connection, tenant_id: str, query: str, *args: Any
) -> list[asyncpg.Record]:
    """``query``'s rows inside a transaction scoped to the tenant."""
    async with conn.transaction():
        await conn.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        return list(await conn.fetch(query, *args))


async def books_agree(conn: asyncpg.Connection, tenant_id: str) -> None:
    """Every quant equals the sum of the done moves into its location less those out of it,
    and no location holds stock without a quant."""
    rows = await in_tenant(
        conn,
        tenant_id,
        """
        WITH flows AS (
            SELECT product_id, to_location_id AS location_id, quantity FROM inventory_move
            UNION ALL
            SELECT product_id, from_location_id, -quantity FROM inventory_move
        ), sums AS (
            SELECT f.product_id, f.location_id, sum(f.quantity) AS moved
              FROM flows f JOIN inventory_location l ON l.id = f.location_id
             WHERE l.kind = 'internal' GROUP BY f.product_id, f.location_id
        )
        SELECT s.product_id, s.location_id, s.moved, q.quantity
          FROM sums s FULL JOIN inventory_quant q
            ON q.product_id = s.product_id AND q.location_id = s.location_id
         WHERE coalesce(s.moved, 0) <> coalesce(q.quantity, 0)
        """,
    )
    assert rows == [], f"on-hand differs from the moves: {[dict(r) for r in rows]}"


def dec(value: Any) -> Decimal:
    return Decimal(str(value))


@contextlib.asynccontextmanager
async def tenant_session(server: LiveServer, tenant_id: str) -> AsyncIterator[AsyncSession]:
    """A transaction as the application's role in the tenant, as another module's code runs
    in: committed when the block ends without an error."""
    database = Database(
        runtime_database_url(server.settings), pool_size=1, session_class=PlatformSession
    )
    try:
        async with database.transaction() as db:
            await set_tenant(db, uuid.UUID(tenant_id))
            yield db
    finally:
        await database.dispose()


async def entry_roles(
    conn: asyncpg.Connection, tenant_id: str, entry_id: str
) -> list[tuple[str, Decimal, Decimal]]:
    """The posted entry's lines as (account role, debit, credit), in line order."""
    rows = await in_tenant(
        conn,
        tenant_id,
        """
        SELECT r.role, l.debit, l.credit
          FROM accounting_line l
          JOIN accounting_entry e ON e.id = l.entry_id AND e.tenant_id = l.tenant_id
          JOIN accounting_role r ON r.account_id = l.account_id AND r.tenant_id = l.tenant_id
         WHERE l.entry_id = $1::uuid AND e.status = 'posted'
           AND r.role IN ('stock', 'stock_received', 'cogs', 'stock_adjustment')
         ORDER BY l.sequence, r.role
        """,
        entry_id,
    )
    return [(r["role"], r["debit"], r["credit"]) for r in rows]
