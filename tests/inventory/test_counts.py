"""Stock counts: the counted quantities become adjustment moves, valued at the average cost
against the stock adjustment account."""

from __future__ import annotations

from decimal import Decimal

import asyncpg
import httpx

from tests.inventory.support import (
    COUNTS,
    PICKINGS,
    books_agree,
    dec,
    detail,
    entry_roles,
    inventory_tenant,
    ok,
    product,
    receive,
    stock_location,
)


async def test_a_count_adjusts_gains_and_losses(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await inventory_tenant(client)
    stock = await stock_location(owner)
    tea, rice, salt = await product(owner), await product(owner), await product(owner)
    await receive(owner, tea["id"], "10", "2")
    await receive(owner, rice["id"], "5", "3")
    body = {
        "location_id": stock,
        "note": "Year end",
        "lines": [
            {"product_id": tea["id"], "counted": "8"},
            {"product_id": rice["id"], "counted": "5"},
            {"product_id": salt["id"], "counted": "4"},
        ],
    }
    count = await ok(await owner.post(COUNTS, json=body), 201)
    lines = {line["product_id"]: line for line in count["lines"]}
    assert dec(lines[tea["id"]]["expected"]) == 10 and dec(lines[tea["id"]]["difference"]) == -2
    assert dec(lines[rice["id"]]["difference"]) == 0
    assert dec(lines[salt["id"]]["difference"]) == 4
    assert len(count["adjustments"]) == 2 and all(
        n.startswith("ADJ/") for n in count["adjustments"]
    )
    assert dec((await detail(owner, tea["id"]))["on_hand"]) == 8
    assert dec((await detail(owner, salt["id"]))["on_hand"]) == 4

    pickings = (await ok(await owner.get(PICKINGS, params={"kind": "adjustment"})))["items"]
    by_direction = {p["to_location_id"] == stock: p for p in pickings}
    loss = by_direction[False]
    assert dec(loss["value"]) == 4  # 2 tea at 2
    assert await entry_roles(owner_db, owner.tenant_id, loss["entry_id"]) == [
        ("stock_adjustment", Decimal("4.00"), Decimal(0)),
        ("stock", Decimal(0), Decimal("4.00")),
    ]
    # Salt had no cost yet: the gain is worth nothing and posts no entry.
    assert by_direction[True]["entry_id"] is None
    assert (await ok(await owner.get(f"{COUNTS}/{count['id']}")))["adjustments"] == count[
        "adjustments"
    ]
    await books_agree(owner_db, owner.tenant_id)


async def test_a_count_that_agrees_moves_nothing(client: httpx.AsyncClient) -> None:
    owner = await inventory_tenant(client)
    stock = await stock_location(owner)
    tea = await product(owner)
    await receive(owner, tea["id"], "3", "1")
    body = {"location_id": stock, "lines": [{"product_id": tea["id"], "counted": "3"}]}
    count = await ok(await owner.post(COUNTS, json=body), 201)
    assert count["adjustments"] == []
    bad = await owner.post(
        COUNTS, json={**body, "lines": [{"product_id": tea["id"], "counted": "-1"}]}
    )
    assert bad.status_code == 422 and "lines[0].counted" in bad.text
    twice = await owner.post(
        COUNTS,
        json={
            **body,
            "lines": [
                {"product_id": tea["id"], "counted": "1"},
                {"product_id": tea["id"], "counted": "2"},
            ],
        },
    )
    assert twice.status_code == 422 and "lines[1].product_id" in twice.text
