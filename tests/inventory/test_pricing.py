"""Price lists: fixed prices and percentages off by minimum quantity and dates, looked up."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from tests.inventory.support import PRICE_LISTS, dec, inventory_tenant, ok, product


async def test_the_best_rule_for_quantity_and_date_gives_the_price(
    client: httpx.AsyncClient,
) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner, sale_price="10")
    retail = await ok(
        await owner.post(PRICE_LISTS, json={"name": "Retail", "currency": "cny"}), 201
    )
    assert retail["currency"] == "CNY"
    rules = f"{PRICE_LISTS}/{retail['id']}/rules"
    price = f"{PRICE_LISTS}/{retail['id']}/price"
    today = date.today()
    await ok(
        await owner.post(
            rules, json={"product_id": tea["id"], "kind": "discount", "discount": "10"}
        ),
        201,
    )
    await ok(
        await owner.post(
            rules,
            json={"product_id": tea["id"], "kind": "fixed", "price": "7.50", "min_quantity": "100"},
        ),
        201,
    )
    promo = {
        "product_id": tea["id"],
        "kind": "fixed",
        "price": "5",
        "min_quantity": "100",
        "date_from": (today + timedelta(days=10)).isoformat(),
        "date_to": (today + timedelta(days=20)).isoformat(),
    }
    await ok(await owner.post(rules, json=promo), 201)

    one = await ok(await owner.get(price, params={"product_id": tea["id"], "quantity": "1"}))
    assert dec(one["unit_price"]) == 9 and one["rule_id"] is not None
    many = await ok(await owner.get(price, params={"product_id": tea["id"], "quantity": "150"}))
    assert dec(many["unit_price"]) == dec("7.50") and dec(many["total"]) == 1125
    later = (today + timedelta(days=15)).isoformat()
    on_promo = await ok(
        await owner.get(price, params={"product_id": tea["id"], "quantity": "150", "date": later})
    )
    assert dec(on_promo["unit_price"]) == 5
    assert len(await ok(await owner.get(rules))) == 3


async def test_without_a_rule_the_sale_price_only_in_the_company_currency(
    client: httpx.AsyncClient,
) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner, sale_price="12.34")
    home = await ok(await owner.post(PRICE_LISTS, json={"name": "Home", "currency": "CNY"}), 201)
    export = await ok(
        await owner.post(PRICE_LISTS, json={"name": "Export", "currency": "USD"}), 201
    )
    found = await ok(
        await owner.get(f"{PRICE_LISTS}/{home['id']}/price", params={"product_id": tea["id"]})
    )
    assert dec(found["unit_price"]) == dec("12.34") and found["rule_id"] is None
    missing = await owner.get(
        f"{PRICE_LISTS}/{export['id']}/price", params={"product_id": tea["id"]}
    )
    assert missing.status_code == 404
    # A percentage off the sale price needs the sale price's currency.
    refused = await owner.post(
        f"{PRICE_LISTS}/{export['id']}/rules",
        json={"product_id": tea["id"], "kind": "discount", "discount": "5"},
    )
    assert refused.status_code == 422 and "discount" in refused.text


async def test_bad_rules_and_lists_are_refused(client: httpx.AsyncClient) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner)
    assert (await owner.post(PRICE_LISTS, json={"name": "X", "currency": "ZZZ"})).status_code == 422
    made = await ok(await owner.post(PRICE_LISTS, json={"name": "X", "currency": "JPY"}), 201)
    assert (await owner.post(PRICE_LISTS, json={"name": "X", "currency": "JPY"})).status_code == 409
    rules = f"{PRICE_LISTS}/{made['id']}/rules"
    for body, field in (
        ({"product_id": tea["id"], "kind": "fixed", "price": "1.5"}, "price"),
        ({"product_id": tea["id"], "kind": "fixed"}, "price"),
        ({"product_id": tea["id"], "kind": "cheap", "price": "1"}, "kind"),
        (
            {"product_id": tea["id"], "kind": "fixed", "price": "1", "min_quantity": "-1"},
            "min_quantity",
        ),
        (
            {
                "product_id": tea["id"],
                "kind": "fixed",
                "price": "1",
                "date_from": "2026-02-01",
                "date_to": "2026-01-01",
            },
            "date_to",
        ),
        (
            {"product_id": "01900000-0000-7000-8000-000000000000", "kind": "fixed", "price": "1"},
            "product_id",
        ),
    ):
        refused = await owner.post(rules, json=body)
        assert refused.status_code == 422 and field in refused.text, (body, refused.text)
    assert await ok(await owner.get(rules)) == []
