"""The stock rules hold in the database itself: raw SQL through the application's role
cannot take on-hand below zero, hold more than is there, or change a done move."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from tests.inventory.support import PICKINGS, SETTINGS, inventory_tenant, ok, product, receive


async def _as_tenant(
    conn: asyncpg.Connection, tenant_id: str, statement: str, *args: object
) -> None:
    async with conn.transaction():
        await conn.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        await conn.execute(statement, *args)


async def test_on_hand_cannot_go_negative_nor_below_reserved(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner)
    await receive(owner, tea["id"], "5", "1")
    with pytest.raises(asyncpg.CheckViolationError, match="not_negative"):
        await _as_tenant(
            app_db, owner.tenant_id,
            "UPDATE inventory_quant SET quantity = quantity - 6 WHERE product_id = $1::uuid",
            tea["id"],
        )  # fmt: skip
    with pytest.raises(asyncpg.CheckViolationError, match="reserved"):
        await _as_tenant(
            app_db, owner.tenant_id,
            "UPDATE inventory_quant SET reserved = 6 WHERE product_id = $1::uuid",
            tea["id"],
        )  # fmt: skip
    # Claiming the row may go negative does not help: the tenant's setting decides.
    with pytest.raises(asyncpg.CheckViolationError, match="not_negative"):
        await _as_tenant(
            app_db, owner.tenant_id,
            "UPDATE inventory_quant SET allow_negative = true, quantity = -1 "
            "WHERE product_id = $1::uuid",
            tea["id"],
        )  # fmt: skip
    # Once the tenant allows negative stock, the same statement goes through.
    allowed = await owner.client.patch(
        SETTINGS, json={"allow_negative_stock": True}, headers=owner.headers
    )
    assert allowed.status_code == 200, allowed.text
    await _as_tenant(
        app_db, owner.tenant_id,
        "UPDATE inventory_quant SET quantity = -1 WHERE product_id = $1::uuid",
        tea["id"],
    )  # fmt: skip


async def test_done_moves_and_pickings_cannot_change(
    client: httpx.AsyncClient, app_db: asyncpg.Connection, owner_db: asyncpg.Connection
) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner)
    received = await receive(owner, tea["id"], "5", "1")
    for conn in (app_db, owner_db):
        for statement in (
            "UPDATE inventory_move SET quantity = 50 WHERE picking_id = $1::uuid",
            "DELETE FROM inventory_move WHERE picking_id = $1::uuid",
            "UPDATE inventory_picking SET reference = 'changed' WHERE id = $1::uuid",
            "DELETE FROM inventory_picking WHERE id = $1::uuid",
        ):
            # The application's role lacks the privilege; even the owner meets the trigger.
            with pytest.raises(
                (asyncpg.InsufficientPrivilegeError, asyncpg.RestrictViolationError)
            ):
                await _as_tenant(conn, owner.tenant_id, statement, received["id"])
    found = await ok(await owner.get(f"{PICKINGS}/{received['id']}"))
    assert found["reference"] == "" and found["moves"][0]["quantity"] in ("5", "5.000000")


async def test_the_quants_are_the_tenants_own(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner)
    await receive(owner, tea["id"], "5", "1")
    async with app_db.transaction():
        await app_db.execute(
            "SELECT set_config('tessera.tenant_id', $1, true)",
            "01900000-0000-7000-8000-000000000000",
        )
        assert await app_db.fetch("SELECT * FROM inventory_quant") == []
