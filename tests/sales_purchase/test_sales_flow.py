"""Quotation -> sales order -> deliveries and invoices in parts, over HTTP, with inventory's
stock and accounting's invoices behind them; and the state machine's refusals."""

from __future__ import annotations

import asyncpg
import httpx

from tests.sales_purchase.support import (
    SALES,
    counts,
    erp_tenant,
    events,
    line,
    needs_invoicing,
    ok,
    product,
    quotation,
    stock_of,
    stock_up,
)
from tests.support import LiveServer, make_client

pytestmark = needs_invoicing


async def test_a_quotation_is_priced_numbered_and_confirmed_with_its_goods_reserved(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, sale_price="12.50")
    pot = await product(owner, name="Teapot", sale_price="80")
    setup = await product(owner, name="Set-up", type="service", sale_price="100")
    await stock_up(owner, tea["id"], "10")
    await stock_up(owner, pot["id"], "1")
    made = await quotation(
        owner,
        line(tea["id"], "4"),
        line(pot["id"], "1", "75.00", discount="10"),
        line(setup["id"], "1"),
        currency="CNY",
        validity_date="2099-01-31",
    )
    assert made["state"] == "quotation" and made["number"] is None
    assert made["quotation_number"].startswith("Q/") and made["name"] == made["quotation_number"]
    # 4 x 12.50 + 75.00 less 10% + 100 (the product's prices where none is given)
    assert (made["untaxed"], made["tax"], made["total"]) == ("217.50", "0.00", "217.50")
    assert [(x["description"], x["untaxed"]) for x in made["lines"]] == [
        ("Green tea", "50.00"),
        ("Teapot", "67.50"),
        ("Set-up", "100.00"),
    ]
    confirmed = await ok(await owner.post(f"{SALES}/{made['id']}/confirm"))
    assert confirmed["state"] == "sale" and confirmed["number"].startswith("SO/")
    assert confirmed["quotation_number"] == made["quotation_number"]
    # Goods are held in inventory; a service is done once confirmed.
    assert await stock_of(owner, tea["id"]) == ("10.0000", "4.0000")
    assert [x["done"] for x in confirmed["lines"]] == ["0.0000", "0.0000", "1.0000"]
    [announced] = await events(owner_db, owner.tenant_id, "sales_purchase.order.confirmed")
    assert announced["number"] == confirmed["number"] and announced["total"] == "217.50"
    again = await owner.post(f"{SALES}/{made['id']}/confirm")
    assert again.status_code == 409, again.text
    assert (
        await owner.client.patch(
            f"{SALES}/{made['id']}", json={"note": "late"}, headers=owner.headers
        )
    ).status_code == 409


async def test_deliveries_and_invoices_go_in_parts_within_what_is_left(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, sale_price="10")
    await stock_up(owner, tea["id"], "5")
    order = await quotation(owner, line(tea["id"], "8"))
    before = await counts(owner_db, owner.tenant_id)
    beyond_stock = await owner.post(f"{SALES}/{order['id']}/confirm")
    assert beyond_stock.status_code == 409 and "free" in beyond_stock.text
    assert await counts(owner_db, owner.tenant_id) == before, "nothing half-written"
    assert (await ok(await owner.get(f"{SALES}/{order['id']}")))["state"] == "quotation"
    await stock_up(owner, tea["id"], "3")
    order = await ok(await owner.post(f"{SALES}/{order['id']}/confirm"))
    [tea_line] = order["lines"]

    nothing = await owner.post(f"{SALES}/{order['id']}/invoices", json={})
    assert nothing.status_code == 409, "nothing is delivered yet"
    too_many = await owner.post(
        f"{SALES}/{order['id']}/deliveries",
        json={"lines": [{"line_id": tea_line["id"], "quantity": "9"}]},
    )
    assert too_many.status_code == 409 and "left to deliver" in too_many.text
    floats = await owner.post(
        f"{SALES}/{order['id']}/deliveries",
        json={"lines": [{"line_id": tea_line["id"], "quantity": 2.5}]},
    )
    assert floats.status_code in (400, 422)

    delivered = await ok(
        await owner.post(
            f"{SALES}/{order['id']}/deliveries",
            json={"lines": [{"line_id": tea_line["id"], "quantity": "3"}]},
        ),
        201,
    )
    assert delivered["lines"][0]["done"] == "3.0000"
    [delivery] = delivered["documents"]
    assert delivery["kind"] == "delivery" and delivery["number"].startswith("OUT/")
    assert await stock_of(owner, tea["id"]) == ("5.0000", "5.0000")

    over_invoiced = await owner.post(
        f"{SALES}/{order['id']}/invoices",
        json={"lines": [{"line_id": tea_line["id"], "quantity": "4"}]},
    )
    assert over_invoiced.status_code == 409, "only delivered quantities are invoiced"
    invoiced = await ok(await owner.post(f"{SALES}/{order['id']}/invoices", json={}), 201)
    assert invoiced["lines"][0]["invoiced"] == "3.0000"
    invoice = next(d for d in invoiced["documents"] if d["kind"] == "invoice")
    assert invoice["total"].startswith("30.0") and invoice["pdf"].endswith("/pdf")
    shown = await ok(await owner.get(f"/api/v1/accounting/invoices/{invoice['document_id']}"))
    assert shown["source_id"] == order["id"]

    cancelled = await owner.post(f"{SALES}/{order['id']}/cancel")
    assert cancelled.status_code == 409, "delivered goods cannot be cancelled"


async def test_cancelling_releases_the_reservation_and_is_final(client: httpx.AsyncClient) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, sale_price="10")
    await stock_up(owner, tea["id"], "5")
    order = await quotation(owner, line(tea["id"], "2"))
    await ok(await owner.post(f"{SALES}/{order['id']}/confirm"))
    assert await stock_of(owner, tea["id"]) == ("5.0000", "2.0000")
    cancelled = await ok(await owner.post(f"{SALES}/{order['id']}/cancel"))
    assert cancelled["state"] == "cancelled"
    assert await stock_of(owner, tea["id"]) == ("5.0000", "0.0000")
    for action in ("confirm", "cancel", "deliveries", "invoices"):
        refused = await owner.post(f"{SALES}/{order['id']}/{action}", json={})
        assert refused.status_code == 409, (action, refused.text)
    assert (
        await owner.client.delete(f"{SALES}/{order['id']}", headers=owner.headers)
    ).status_code == 200
    assert (await owner.get(f"{SALES}/{order['id']}")).status_code == 404


async def test_partners_and_products_of_another_tenant_are_refused(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner)
    async with make_client(live_server) as other_client:
        other = await erp_tenant(other_client)
        theirs = await quotation(other, line((await product(other))["id"], "1"))
    before = await counts(owner_db, owner.tenant_id)
    foreign_partner = await owner.post(
        SALES,
        json={
            "partner": {"name": "X", "id": theirs["partner_id"]},
            "lines": [line(tea["id"], "1")],
        },
    )
    assert foreign_partner.status_code in (404, 422), foreign_partner.text
    assert (await owner.get(f"{SALES}/{theirs['id']}")).status_code == 404
    assert (await owner.post(f"{SALES}/{theirs['id']}/confirm")).status_code == 404
    assert await counts(owner_db, owner.tenant_id) == before


async def test_lists_filter_by_state_and_search(client: httpx.AsyncClient) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, sale_price="3")
    await stock_up(owner, tea["id"], "1")
    first = await quotation(owner, line(tea["id"], "1"), partner={"name": "Alpha Co"})
    await quotation(owner, line(tea["id"], "1"), partner={"name": "Beta Co"})
    await ok(await owner.post(f"{SALES}/{first['id']}/confirm"))
    sold = (await ok(await owner.get(SALES, params={"state": "sale"})))["items"]
    assert [o["partner_name"] for o in sold] == ["Alpha Co"]
    found = (await ok(await owner.get(SALES, params={"q": "beta"})))["items"]
    assert [o["partner_name"] for o in found] == ["Beta Co"]
    bad = await owner.get(SALES, params={"state": "nonsense"})
    assert bad.status_code in (400, 422)
    no_lines = await owner.post(SALES, json={"partner": {"name": "A"}})
    assert no_lines.status_code in (400, 422)


async def test_a_quotation_is_cancelled_unnumbered_and_a_draft_may_be_deleted(
    client: httpx.AsyncClient,
) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, sale_price="10")
    first = await quotation(owner, line(tea["id"], "1"))
    cancelled = await ok(await owner.post(f"{SALES}/{first['id']}/cancel"))
    assert cancelled["state"] == "cancelled" and cancelled["number"] is None
    second = await quotation(owner, line(tea["id"], "1"))
    gone = await owner.client.delete(f"{SALES}/{second['id']}", headers=owner.headers)
    assert gone.status_code == 200
    assert (await owner.get(f"{SALES}/{second['id']}")).status_code == 404
