"""Orders in the tenant's taxes, currencies and partners, as accounting keeps them: a product's
default tax applies, a foreign-currency receipt is valued at the rate table, and the app's form
names the customer by its partner id."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg
import httpx

from tests.accounting.documents_support import partner
from tests.sales_purchase.support import (
    PURCHASES,
    SALES,
    counts,
    erp_tenant,
    fields_of,
    line,
    ok,
    product,
    quotation,
    rfq,
)
from tests.support import LiveServer, make_client


async def test_a_products_default_tax_applies_unless_the_line_says_otherwise(
    client: httpx.AsyncClient,
) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, sale_price="100", tax_sale="VAT-S")
    made = await quotation(owner, line(tea["id"], "2"), line(tea["id"], "1", tax=None))
    # The generic chart's sales tax is 10 %, on the first line only.
    assert (made["untaxed"], made["tax"], made["total"]) == ("300.00", "20.00", "320.00")
    refused = await owner.post(
        SALES, json={"partner": {"name": "Acme"}, "lines": [line(tea["id"], "1", tax="VAT-P")]}
    )
    assert refused.status_code == 422 and fields_of(refused) == ["lines[0].tax"], refused.text


async def test_a_foreign_currency_receipt_is_valued_at_the_rate_table(
    client: httpx.AsyncClient,
) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, purchase_price="10")
    order = await rfq(owner, line(tea["id"], "5", "10.00"), currency="USD")
    # Without a rate the order cannot be weighed against the approval threshold: refused.
    confirm = await owner.post(f"{PURCHASES}/{order['id']}/confirm")
    assert confirm.status_code == 422 and fields_of(confirm) == ["currency"], confirm.text
    rate = await owner.post(
        "/api/v1/accounting/rates",
        json={"currency": "USD", "date": date.today().isoformat(), "rate": "7.1"},
    )
    assert rate.status_code == 201, rate.text
    await ok(await owner.post(f"{PURCHASES}/{order['id']}/confirm"))
    await ok(await owner.post(f"{PURCHASES}/{order['id']}/receipts", json={}), 201)
    found = await ok(await owner.get(f"/api/v1/inventory/products/{tea['id']}"))
    # 5 x 10.00 USD at 7.1 = 355.00 CNY: 71.00 a unit.
    assert found["on_hand"] == "5.000000" and found["cost"].startswith("71.00"), found


async def test_the_customer_may_be_named_by_its_partner_id(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection, live_server: LiveServer
) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, sale_price="10")
    acme = await partner(owner, name="Acme Trading")
    made = await ok(
        await owner.post(SALES, json={"partner_id": acme["id"], "lines": [line(tea["id"], "1")]}),
        201,
    )
    assert made["partner_id"] == acme["id"] and made["partner_name"] == "Acme Trading"
    async with make_client(live_server) as other_client:
        theirs = await partner(await erp_tenant(other_client), name="Theirs")
    before = await counts(owner_db, owner.tenant_id)
    cases = [
        ({"lines": [line(tea["id"], "1")]}, "partner_id"),
        ({"partner_id": acme["id"], "partner": {"name": "Acme"}, "lines": []}, "partner_id"),
        ({"partner_id": str(uuid.uuid4()), "lines": [line(tea["id"], "1")]}, "partner_id"),
        ({"partner_id": theirs["id"], "lines": [line(tea["id"], "1")]}, "partner_id"),
    ]
    for body, field in cases:
        for path in (SALES, PURCHASES):
            refused = await owner.post(path, json=body)
            assert refused.status_code == 422, (body, refused.text)
            assert fields_of(refused) == [field], refused.text
    assert await counts(owner_db, owner.tenant_id) == before
