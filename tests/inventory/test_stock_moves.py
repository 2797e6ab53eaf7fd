"""Stock moves: receipts, deliveries and transfers change on-hand, value it at the moving
average and post the entries of it, or are refused without writing anything."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import httpx

from tests.inventory.support import (
    DELIVERIES,
    LOCATIONS,
    PICKINGS,
    RECEIPTS,
    SETTINGS,
    TRANSFERS,
    books_agree,
    dec,
    deliver,
    detail,
    entry_roles,
    in_tenant,
    inventory_tenant,
    ok,
    product,
    receive,
    stock_location,
    units,
)
from tests.support import LiveServer, make_client


async def test_receipts_move_the_average_and_deliveries_leave_at_it(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner, "TEA")
    first = await receive(owner, tea["id"], "10", "4.00", reference="PO-1")
    assert first["number"].startswith("IN/") and first["kind"] == "receipt"
    assert dec(first["value"]) == 40 and first["currency"] == "CNY"
    assert first["entry_number"].startswith("STJ/")
    assert await entry_roles(owner_db, owner.tenant_id, first["entry_id"]) == [
        ("stock", Decimal("40.00"), Decimal(0)),
        ("stock_received", Decimal(0), Decimal("40.00")),
    ]
    await receive(owner, tea["id"], "30", "6.00")
    found = await detail(owner, tea["id"])
    # (10 * 4 + 30 * 6) / 40
    assert dec(found["cost"]) == dec("5.5") and dec(found["on_hand"]) == 40

    delivered = await ok(await deliver(owner, tea["id"], "4", reference="SO-1"), 201)
    assert delivered["number"].startswith("OUT/")
    assert dec(delivered["value"]) == 22
    [move] = delivered["moves"]
    assert dec(move["unit_cost"]) == dec("5.5") and dec(move["quantity"]) == 4
    assert await entry_roles(owner_db, owner.tenant_id, delivered["entry_id"]) == [
        ("cogs", Decimal("22.00"), Decimal(0)),
        ("stock", Decimal(0), Decimal("22.00")),
    ]
    after = await detail(owner, tea["id"])
    assert dec(after["on_hand"]) == 36 and dec(after["cost"]) == dec("5.5")
    await books_agree(owner_db, owner.tenant_id)


async def test_a_delivery_of_more_than_on_hand_is_refused_and_writes_nothing(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner)
    await receive(owner, tea["id"], "3", "2")
    refused = await deliver(owner, tea["id"], "3.5")
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "Not enough" in refused.json()["detail"]
    assert dec((await detail(owner, tea["id"]))["on_hand"]) == 3
    pickings = await ok(await owner.get(PICKINGS))
    assert [p["kind"] for p in pickings["items"]] == ["receipt"]
    entries = await in_tenant(owner_db, owner.tenant_id, "SELECT number FROM accounting_entry")
    assert len(entries) == 1
    # The number the refused delivery would have taken is still free: the next is the first.
    made = await ok(await deliver(owner, tea["id"], "1"), 201)
    assert made["number"].endswith("/00001")


async def test_negative_stock_when_the_tenant_allows_it(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner)
    await receive(owner, tea["id"], "1", "10")
    allowed = await owner.client.patch(
        SETTINGS, json={"allow_negative_stock": True}, headers=owner.headers
    )
    assert allowed.json()["allow_negative_stock"] is True
    await ok(await deliver(owner, tea["id"], "3"), 201)
    assert dec((await detail(owner, tea["id"]))["on_hand"]) == -2
    # Refusing negative stock again waits until nothing is below zero.
    refused = await owner.client.patch(
        SETTINGS, json={"allow_negative_stock": False}, headers=owner.headers
    )
    assert refused.status_code == 409, refused.text
    # A receipt onto negative stock takes its own cost as the average.
    await receive(owner, tea["id"], "5", "12")
    assert dec((await detail(owner, tea["id"]))["cost"]) == 12
    again = await owner.client.patch(
        SETTINGS, json={"allow_negative_stock": False}, headers=owner.headers
    )
    assert again.status_code == 200, again.text
    assert (await deliver(owner, tea["id"], "4")).status_code == 409
    await books_agree(owner_db, owner.tenant_id)


async def test_quantities_in_another_unit_convert_to_the_stock_unit(
    client: httpx.AsyncClient,
) -> None:
    owner = await inventory_tenant(client)
    unit_ids = await units(owner)
    eggs = await product(owner, "EGG", purchase_uom_id=unit_ids["Dozen"])
    body = {
        "lines": [
            {
                "product_id": eggs["id"],
                "quantity": "2",
                "uom_id": unit_ids["Dozen"],
                "unit_cost": "6",
            }
        ]
    }
    received = await ok(await owner.post(RECEIPTS, json=body), 201)
    [move] = received["moves"]
    assert dec(move["quantity"]) == 24 and dec(move["uom_quantity"]) == 2
    # 6 a dozen is 0.5 a piece.
    assert dec((await detail(owner, eggs["id"]))["cost"]) == dec("0.5")
    assert dec(received["value"]) == 12
    rice = await product(owner, "RICE", uom="kg")
    grams = {
        "lines": [
            {
                "product_id": rice["id"],
                "quantity": "1500",
                "uom_id": unit_ids["g"],
                "unit_cost": "0.01",
            }
        ]
    }
    rice_in = await ok(await owner.post(RECEIPTS, json=grams), 201)
    assert dec(rice_in["moves"][0]["quantity"]) == dec("1.5")
    # Units of another category do not convert; too little of a unit to count is refused.
    for line in (
        {"product_id": eggs["id"], "quantity": "1", "uom_id": unit_ids["kg"]},
        {"product_id": eggs["id"], "quantity": "0.01", "uom_id": unit_ids["Dozen"]},
    ):
        refused = await owner.post(DELIVERIES, json={"lines": [line]})
        assert refused.status_code == 422 and "lines[0].uom_id" in refused.text, refused.text


async def test_bad_lines_are_refused_naming_the_field(live_server: LiveServer) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner, other = await inventory_tenant(a), await inventory_tenant(b)
        tea = await product(owner)
        theirs = await product(other)
        service = await product(owner, "SVC", type="service")
        cases = [
            ({"product_id": tea["id"], "quantity": "-1"}, "lines[0].quantity"),
            ({"product_id": tea["id"], "quantity": "0"}, "lines[0].quantity"),
            ({"product_id": tea["id"], "quantity": "1.0000001"}, "lines[0].quantity"),
            ({"product_id": tea["id"], "quantity": "lots"}, "lines[0].quantity"),
            ({"product_id": theirs["id"], "quantity": "1"}, "lines[0].product_id"),
            ({"product_id": service["id"], "quantity": "1"}, "lines[0].product_id"),
            (
                {
                    "product_id": tea["id"],
                    "quantity": "1",
                    "uom_id": "01900000-0000-7000-8000-000000000000",
                },
                "lines[0].uom_id",
            ),
            ({"product_id": tea["id"], "quantity": "1", "unit_cost": "-2"}, "lines[0].unit_cost"),
            (
                {"product_id": tea["id"], "quantity": "1", "unit_cost": "0.001"},
                "lines[0].unit_cost",
            ),
        ]
        for line, field in cases:
            refused = await owner.post(RECEIPTS, json={"lines": [line]})
            assert refused.status_code == 422, (line, refused.text)
            assert field in refused.text, (field, refused.text)
        bodies: tuple[dict[str, Any], ...] = (
            {"lines": [{"product_id": tea["id"], "quantity": 1.5}]},
            {"lines": [{"product_id": tea["id"], "quantity": "1", "unit_cost": 2.5}]},
            {"lines": []},
        )
        for body in bodies:
            refused = await owner.post(RECEIPTS, json=body)
            assert refused.status_code in (400, 422), (body, refused.text)
        assert (await ok(await owner.get(PICKINGS)))["items"] == []


async def test_transfers_move_stock_between_internal_locations_without_value(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await inventory_tenant(client)
    stock = await stock_location(owner)
    shelf = await ok(await owner.post(LOCATIONS, json={"name": "Shelf A", "parent_id": stock}), 201)
    assert shelf["full_name"] == "WH/Stock/Shelf A"
    tea = await product(owner)
    await receive(owner, tea["id"], "10", "3")
    body = {
        "from_location_id": stock,
        "to_location_id": shelf["id"],
        "lines": [{"product_id": tea["id"], "quantity": "4"}],
    }
    moved = await ok(await owner.post(TRANSFERS, json=body), 201)
    assert (
        moved["number"].startswith("INT/")
        and moved["entry_id"] is None
        and dec(moved["value"]) == 0
    )
    too_much = await owner.post(
        TRANSFERS, json={**body, "lines": [{"product_id": tea["id"], "quantity": "7"}]}
    )
    assert too_much.status_code == 409
    customers = next(
        loc["id"] for loc in await ok(await owner.get(LOCATIONS, params={"kind": "customer"}))
    )
    to_customer = await owner.post(TRANSFERS, json={**body, "to_location_id": customers})
    assert to_customer.status_code == 422 and "to_location_id" in to_customer.text
    balance = await ok(
        await owner.get("/api/v1/inventory/reports/stock-balance", params={"product_id": tea["id"]})
    )
    assert {r["location"]: dec(r["quantity"]) for r in balance["items"]} == {
        "WH/Stock": 6,
        "WH/Stock/Shelf A": 4,
    }
    delivered = await ok(await deliver(owner, tea["id"], "4", location_id=shelf["id"]), 201)
    assert delivered["from_location_id"] == shelf["id"]
    assert dec((await detail(owner, tea["id"]))["on_hand"]) == 6
    await books_agree(owner_db, owner.tenant_id)


async def test_a_picking_is_read_with_its_moves(client: httpx.AsyncClient) -> None:
    owner = await inventory_tenant(client)
    tea, rice = await product(owner), await product(owner)
    body = {
        "lines": [
            {"product_id": tea["id"], "quantity": "2", "unit_cost": "1.25"},
            {"product_id": rice["id"], "quantity": "3", "unit_cost": "2"},
        ],
        "reference": "Vendor slip 7",
    }
    made = await ok(await owner.post(RECEIPTS, json=body), 201)
    assert dec(made["value"]) == dec("8.50")
    found = await ok(await owner.get(f"{PICKINGS}/{made['id']}"))
    assert found["reference"] == "Vendor slip 7"
    assert sorted(dec(m["value"]) for m in found["moves"]) == [dec("2.50"), 6]
    listed = await ok(await owner.get(PICKINGS, params={"kind": "receipt"}))
    assert [p["id"] for p in listed["items"]] == [made["id"]]
    assert (await owner.get(f"{PICKINGS}/01900000-0000-7000-8000-000000000000")).status_code == 404


async def test_a_receipt_without_a_cost_comes_in_at_the_average(client: httpx.AsyncClient) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner)
    await receive(owner, tea["id"], "4", "2.50")
    body = {"lines": [{"product_id": tea["id"], "quantity": "6"}]}
    received = await ok(await owner.post(RECEIPTS, json=body), 201)
    assert dec(received["value"]) == 15 and dec(received["moves"][0]["unit_cost"]) == dec("2.5")
    found = await detail(owner, tea["id"])
    assert dec(found["cost"]) == dec("2.5") and dec(found["on_hand"]) == 10
