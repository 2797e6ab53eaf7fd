"""Reservations: stock held for a document is not delivered to anyone else, is released on
request and is consumed by the document's own delivery."""

from __future__ import annotations

import asyncpg
import httpx

from tests.inventory.support import (
    RESERVATIONS,
    books_agree,
    dec,
    deliver,
    detail,
    inventory_tenant,
    ok,
    product,
    receive,
)

ORDER = {"source_type": "sales_purchase.order", "source_id": "SO-1"}


async def reserve(owner: object, product_id: str, quantity: str, **source: str) -> httpx.Response:
    body = {**ORDER, **source, "lines": [{"product_id": product_id, "quantity": quantity}]}
    return await owner.post(RESERVATIONS, json=body)  # type: ignore[attr-defined, no-any-return]


async def test_reserved_stock_is_held_for_its_document_only(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner)
    await receive(owner, tea["id"], "10", "2")
    [held] = await ok(await reserve(owner, tea["id"], "6"), 201)
    assert dec(held["quantity"]) == 6
    [held] = await ok(await reserve(owner, tea["id"], "1"), 201)
    assert dec(held["quantity"]) == 7
    assert dec((await detail(owner, tea["id"]))["reserved"]) == 7
    # Only 3 are free: another order cannot hold 4, nor a delivery for no order take 4.
    other = await reserve(owner, tea["id"], "4", source_id="SO-2")
    assert other.status_code == 409, other.text
    assert (await deliver(owner, tea["id"], "4")).status_code == 409
    await ok(await deliver(owner, tea["id"], "3"), 201)
    # The order's own delivery consumes its reservation; what it did not take stays held.
    await ok(await deliver(owner, tea["id"], "5", **ORDER), 201)
    found = await detail(owner, tea["id"])
    assert dec(found["on_hand"]) == 2 and dec(found["reserved"]) == 2
    [left] = await ok(await owner.get(RESERVATIONS, params=ORDER))
    assert dec(left["quantity"]) == 2
    await books_agree(owner_db, owner.tenant_id)


async def test_releasing_gives_the_stock_back(client: httpx.AsyncClient) -> None:
    owner = await inventory_tenant(client)
    tea, rice = await product(owner), await product(owner)
    await receive(owner, tea["id"], "5", "1")
    await receive(owner, rice["id"], "5", "1")
    body = {
        **ORDER,
        "lines": [
            {"product_id": tea["id"], "quantity": "5"},
            {"product_id": rice["id"], "quantity": "2"},
        ],
    }
    assert len(await ok(await owner.post(RESERVATIONS, json=body), 201)) == 2
    released = await ok(await owner.post(f"{RESERVATIONS}/release", json=ORDER))
    assert dec(released["released"]) == 7
    assert await ok(await owner.get(RESERVATIONS, params=ORDER)) == []
    assert dec((await detail(owner, tea["id"]))["reserved"]) == 0
    again = await ok(await owner.post(f"{RESERVATIONS}/release", json=ORDER))
    assert dec(again["released"]) == 0
    await ok(await deliver(owner, tea["id"], "5"), 201)


async def test_a_reservation_cannot_hold_more_than_is_free(client: httpx.AsyncClient) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner)
    await receive(owner, tea["id"], "2", "1")
    refused = await reserve(owner, tea["id"], "3")
    assert refused.status_code == 409, refused.text
    assert await ok(await owner.get(RESERVATIONS, params=ORDER)) == []
    bad = await reserve(owner, tea["id"], "-1")
    assert bad.status_code == 422 and "lines[0].quantity" in bad.text
