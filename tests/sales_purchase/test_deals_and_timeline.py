"""The CRM and sales meet through events and the timeline only: a won deal becomes a draft
quotation (once), the CRM links the deal to it, the account's timeline shows the orders, and
switching sales off leaves the CRM working."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.crm.test_accounts_contacts import account
from tests.sales_purchase.support import (
    SALES,
    erp_tenant,
    events,
    needs_invoicing,
    ok,
    product,
    settle,
    stock_up,
)
from tests.support import LiveServer, SignedUp

pytestmark = needs_invoicing

DEALS = "/api/v1/crm/deals"
LINES = [
    {"sku": "WID-1", "description": "Widget", "quantity": "3", "unit_price": "100.00"},
    {"description": "Set-up", "quantity": "1.5", "unit_price": "80.00", "discount": "10"},
]


async def _won(owner: SignedUp, account_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    deal = await ok(
        await owner.post(
            DEALS,
            json={"name": "Big one", "currency": "CNY", "account_id": account_id, "lines": lines},
        ),
        201,
    )
    await ok(await owner.post(f"{DEALS}/{deal['id']}/won"))
    found: dict[str, Any] = deal
    return found


async def test_a_won_deal_becomes_one_draft_quotation_linked_back_to_the_deal(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await erp_tenant(client, "crm")
    widget = await product(owner, sku="WID-1", name="Widget", sale_price="120")
    acme = await account(owner, "Acme")
    deal = await _won(owner, acme["id"], LINES)
    await settle(live_server, owner_db, owner.tenant_id, "crm.deal.won", "sales_purchase")
    await settle(live_server, owner_db, owner.tenant_id, "crm.deal.won", "sales_purchase")
    [order] = (await ok(await owner.get(SALES)))["items"]
    assert order["deal_id"] == deal["id"] and order["state"] == "quotation"
    assert order["partner_name"] == "Acme" and order["crm_account_id"] == acme["id"]
    detail = await ok(await owner.get(f"{SALES}/{order['id']}"))
    assert [(x["product_id"], x["quantity"], x["unit_price"]) for x in detail["lines"]] == [
        (widget["id"], "3.0000", "100.000000")
    ]
    assert "Set-up" in detail["note"], "a line without a product is kept in the note"
    [created] = await events(owner_db, owner.tenant_id, "sales_purchase.order.created")
    assert created == {
        "deal_id": deal["id"],
        "order_id": order["id"],
        "number": order["quotation_number"],
        "crm_account_id": acme["id"],
        "total": "300.00",
        "currency": "CNY",
    }
    await settle(live_server, owner_db, owner.tenant_id, "sales_purchase.order.created", "crm")
    linked = await ok(await owner.get(f"{DEALS}/{deal['id']}"))
    assert linked["sales_order_id"] == order["id"]


async def test_the_accounts_timeline_shows_its_orders_deliveries_and_invoices(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await erp_tenant(client, "crm")
    widget = await product(owner, sku="WID-1", name="Widget", sale_price="120")
    await stock_up(owner, widget["id"], "10")
    acme = await account(owner, "Acme")
    await _won(owner, acme["id"], LINES[:1])
    await settle(live_server, owner_db, owner.tenant_id, "crm.deal.won", "sales_purchase")
    [order] = (await ok(await owner.get(SALES)))["items"]
    await ok(await owner.post(f"{SALES}/{order['id']}/confirm"))
    await ok(await owner.post(f"{SALES}/{order['id']}/deliveries", json={}), 201)
    await ok(await owner.post(f"{SALES}/{order['id']}/invoices", json={}), 201)
    timeline = f"/api/v1/crm/accounts/{acme['id']}/timeline"
    entries = (await ok(await owner.get(timeline, params={"limit": 50})))["items"]
    ours = [e["kind"] for e in entries if e["module"] == "sales_purchase"]
    assert ours == [
        "sales_purchase.invoice.issued",
        "sales_purchase.delivery.done",
        "sales_purchase.order.confirmed",
        "sales_purchase.quotation.created",
    ]
    first = await ok(await owner.get(timeline, params={"limit": 1}))
    seen = [first["items"][0]]
    cursor = first["next_cursor"]
    while cursor:
        page = await ok(await owner.get(timeline, params={"limit": 1, "cursor": cursor}))
        seen += page["items"]
        cursor = page["next_cursor"]
    assert [e["kind"] for e in seen if e["module"] == "sales_purchase"] == ours


async def test_switching_sales_off_leaves_the_crm_working_and_on_again_brings_it_back(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await erp_tenant(client, "crm")
    await product(owner, sku="WID-1", name="Widget", sale_price="120")
    acme = await account(owner, "Acme")
    await _won(owner, acme["id"], LINES[:1])
    await settle(live_server, owner_db, owner.tenant_id, "crm.deal.won", "sales_purchase")
    assert (await owner.post("/api/v1/modules/sales_purchase/disable")).status_code == 200
    assert (await owner.get(SALES)).status_code == 404
    later = await _won(owner, acme["id"], LINES[:1])
    await settle(live_server, owner_db, owner.tenant_id, "crm.deal.won", "sales_purchase")
    timeline = await owner.get(f"/api/v1/crm/accounts/{acme['id']}/timeline")
    assert timeline.status_code == 200
    assert all(e["module"] != "sales_purchase" for e in timeline.json()["items"])
    assert (await owner.post("/api/v1/modules/sales_purchase/enable")).status_code == 200
    orders = (await ok(await owner.get(SALES)))["items"]
    assert len(orders) == 1 and orders[0]["deal_id"] != later["id"], "kept, and none made while off"
