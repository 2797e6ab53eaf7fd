"""Request for quotation -> purchase order (through the workflow above the tenant's threshold)
-> receipts in parts -> vendor bills matched three ways."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.sales_purchase.support import (
    PURCHASES,
    SETTINGS,
    WORKFLOW,
    counts,
    erp_tenant,
    fields_of,
    line,
    needs_invoicing,
    ok,
    product,
    rfq,
    settle,
    stock_of,
)
from tests.support import LiveServer, join, make_client

pytestmark = needs_invoicing


async def _settings(owner: Any, **values: str | None) -> None:
    changed = await owner.client.patch(SETTINGS, json=values, headers=owner.headers)
    assert changed.status_code == 200, changed.text


async def test_an_order_within_the_threshold_is_placed_at_once_and_received_in_parts(
    client: httpx.AsyncClient,
) -> None:
    owner = await erp_tenant(client)
    await _settings(owner, approval_threshold="1000.00")
    tea = await product(owner, purchase_price="4.00")
    made = await rfq(owner, line(tea["id"], "100", discount="5"))
    assert made["state"] == "rfq" and made["rfq_number"].startswith("RFQ/")
    assert made["total"] == "380.00"
    placed = await ok(await owner.post(f"{PURCHASES}/{made['id']}/confirm"))
    assert placed["state"] == "purchase" and placed["number"].startswith("PO/")
    assert placed["total_company"] == "380.00"
    [tea_line] = placed["lines"]
    too_many = await owner.post(
        f"{PURCHASES}/{made['id']}/receipts",
        json={"lines": [{"line_id": tea_line["id"], "quantity": "101"}]},
    )
    assert too_many.status_code == 409
    received = await ok(
        await owner.post(
            f"{PURCHASES}/{made['id']}/receipts",
            json={"lines": [{"line_id": tea_line["id"], "quantity": "60"}]},
        ),
        201,
    )
    assert received["lines"][0]["done"] == "60.0000"
    assert received["documents"][0]["number"].startswith("IN/")
    assert (await stock_of(owner, tea["id"]))[0] == "60.0000"
    # The receipt is valued at the order's net price: 4.00 less 5%.
    detail = await ok(await owner.get(f"/api/v1/inventory/products/{tea['id']}"))
    assert detail["cost"].startswith("3.80")


async def test_bills_are_matched_to_what_was_received_and_the_ordered_price(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await erp_tenant(client)
    await _settings(owner, price_tolerance="2")
    tea = await product(owner, purchase_price="10.00")
    pot = await product(owner, name="Teapot", purchase_price="50.00")
    made = await rfq(owner, line(tea["id"], "10"), line(pot["id"], "2"))
    order = await ok(await owner.post(f"{PURCHASES}/{made['id']}/confirm"))
    tea_line, pot_line = order["lines"]
    await ok(
        await owner.post(
            f"{PURCHASES}/{made['id']}/receipts",
            json={"lines": [{"line_id": tea_line["id"], "quantity": "6"}]},
        ),
        201,
    )
    before = await counts(owner_db, owner.tenant_id)
    bill = f"{PURCHASES}/{made['id']}/bills"
    beyond_received = await owner.post(
        bill,
        json={"reference": "V-1", "lines": [{"line_id": tea_line["id"], "quantity": "7"}]},
    )
    assert beyond_received.status_code == 422
    assert fields_of(beyond_received) == ["lines[0].quantity"]
    assert "line 1" in beyond_received.text
    nothing_received = await owner.post(
        bill,
        json={
            "reference": "V-1",
            "lines": [
                {"line_id": tea_line["id"], "quantity": "1"},
                {"line_id": pot_line["id"], "quantity": "1"},
            ],
        },
    )
    assert fields_of(nothing_received) == ["lines[1].quantity"]
    too_dear = await owner.post(
        bill,
        json={
            "reference": "V-1",
            "lines": [{"line_id": tea_line["id"], "quantity": "6", "unit_price": "10.21"}],
        },
    )
    assert too_dear.status_code == 422 and fields_of(too_dear) == ["lines[0].unit_price"]
    too_cheap = await owner.post(
        bill,
        json={
            "reference": "V-1",
            "lines": [{"line_id": tea_line["id"], "quantity": "6", "unit_price": "9.79"}],
        },
    )
    assert fields_of(too_cheap) == ["lines[0].unit_price"]
    floats = await owner.post(
        bill, json={"reference": "V-1", "lines": [{"line_id": tea_line["id"], "quantity": 6.0}]}
    )
    assert floats.status_code in (400, 422)
    assert await counts(owner_db, owner.tenant_id) == before, "nothing half-written"

    billed = await ok(
        await owner.post(
            bill,
            json={
                "reference": "V-1",
                "lines": [{"line_id": tea_line["id"], "quantity": "4", "unit_price": "10.20"}],
            },
        ),
        201,
    )
    assert billed["lines"][0]["invoiced"] == "4.0000"
    vendor_bill = next(d for d in billed["documents"] if d["kind"] == "bill")
    assert vendor_bill["total"].startswith("40.8")
    shown = await ok(await owner.get(f"/api/v1/accounting/invoices/{vendor_bill['document_id']}"))
    assert shown["kind"] == "vendor"
    rest = await owner.post(
        bill,
        json={"reference": "V-2", "lines": [{"line_id": tea_line["id"], "quantity": "3"}]},
    )
    assert fields_of(rest) == ["lines[0].quantity"], "2 are left received and not billed"
    assert (await owner.post(f"{PURCHASES}/{made['id']}/cancel")).status_code == 409


async def test_above_the_threshold_the_order_waits_for_the_workflow(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await erp_tenant(client)
    await _settings(owner, approval_threshold="100.00")
    approver = await join(live_server, owner, make_client(live_server), role="admin")
    buyer = owner
    tea = await product(owner, purchase_price="10.00")
    small = await rfq(buyer, line(tea["id"], "10"))
    assert (await ok(await buyer.post(f"{PURCHASES}/{small['id']}/confirm")))["state"] == "purchase"

    big = await rfq(buyer, line(tea["id"], "11"))
    waiting = await ok(await buyer.post(f"{PURCHASES}/{big['id']}/confirm"))
    assert waiting["state"] == "to_approve" and waiting["number"] is None
    assert waiting["total_company"] == "110.00" and waiting["approval_id"]
    refused = await buyer.post(f"{PURCHASES}/{big['id']}/receipts", json={})
    assert refused.status_code == 409, "not placed yet"
    inbox = (await ok(await approver.get(f"{WORKFLOW}/inbox")))["items"]
    [task] = [i for i in inbox if i["record_type"] == "sales_purchase.purchase_order"]
    assert task["record_id"] == big["id"]
    await ok(await approver.post(f"{WORKFLOW}/tasks/{task['task']['id']}/approve"))
    await settle(live_server, owner_db, owner.tenant_id, "tessera.approval.%", "sales_purchase")
    placed = await ok(await buyer.get(f"{PURCHASES}/{big['id']}"))
    assert placed["state"] == "purchase" and placed["number"].startswith("PO/")
    # Delivered twice, the engine's event changes nothing more.
    await settle(live_server, owner_db, owner.tenant_id, "tessera.approval.%", "sales_purchase")
    assert (await ok(await buyer.get(f"{PURCHASES}/{big['id']}")))["number"] == placed["number"]


async def test_a_rejected_order_is_not_placed(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await erp_tenant(client)
    await _settings(owner, approval_threshold="0")
    approver = await join(live_server, owner, make_client(live_server), role="admin")
    buyer = owner
    tea = await product(owner, purchase_price="1.00")
    made = await rfq(buyer, line(tea["id"], "1"))
    await ok(await buyer.post(f"{PURCHASES}/{made['id']}/confirm"))
    inbox = (await ok(await approver.get(f"{WORKFLOW}/inbox")))["items"]
    [task] = [i for i in inbox if i["record_id"] == made["id"]]
    await ok(
        await approver.post(f"{WORKFLOW}/tasks/{task['task']['id']}/reject", json={"comment": "No"})
    )
    await settle(live_server, owner_db, owner.tenant_id, "tessera.approval.%", "sales_purchase")
    rejected = await ok(await buyer.get(f"{PURCHASES}/{made['id']}"))
    assert rejected["state"] == "rejected" and rejected["number"] is None
    assert (await buyer.post(f"{PURCHASES}/{made['id']}/confirm")).status_code == 409
