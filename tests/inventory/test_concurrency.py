"""Deliveries racing for the last units: the quant's row lock lets exactly what is there
leave, and every other delivery is refused whole."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx

from tests.inventory.support import (
    PICKINGS,
    books_agree,
    dec,
    deliver,
    detail,
    inventory_tenant,
    ok,
    product,
    receive,
)


async def test_twenty_deliveries_for_the_last_ten_units(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner)
    await receive(owner, tea["id"], "10", "3")
    answers = await asyncio.gather(*(deliver(owner, tea["id"], "1") for _ in range(20)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] * 10 + [409] * 10, [
        a.text for a in answers if a.status_code not in (201, 409)
    ]
    assert dec((await detail(owner, tea["id"]))["on_hand"]) == 0
    deliveries = await ok(await owner.get(PICKINGS, params={"kind": "delivery", "limit": 50}))
    numbers = sorted(p["number"] for p in deliveries["items"])
    # Gapless: the refused ones took no number.
    assert [n.rsplit("/", 1)[1] for n in numbers] == [f"{i:05d}" for i in range(1, 11)]
    await books_agree(owner_db, owner.tenant_id)
