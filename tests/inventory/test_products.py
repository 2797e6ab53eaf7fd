"""Products, units and categories: what a tenant files and counts its goods by."""

from __future__ import annotations

import httpx

from tests.inventory.support import (
    API,
    PRODUCTS,
    UOMS,
    dec,
    detail,
    inventory_tenant,
    ok,
    product,
    units,
)
from tests.support import LiveServer, make_client

CATEGORIES = f"{API}/product-categories"


async def test_enabling_seeds_units_locations_and_a_default_warehouse(
    client: httpx.AsyncClient,
) -> None:
    owner = await inventory_tenant(client)
    names = await units(owner)
    assert {"Unit", "Dozen", "g", "kg", "L", "mL"} <= set(names)
    locations = {
        loc["full_name"]: loc["kind"] for loc in await ok(await owner.get(f"{API}/locations"))
    }
    assert locations["WH/Stock"] == "internal"
    assert locations["Partners/Customers"] == "customer"
    assert locations["Partners/Vendors"] == "vendor"
    assert locations["Virtual/Inventory adjustment"] == "adjustment"
    [warehouse] = await ok(await owner.get(f"{API}/warehouses"))
    assert warehouse["code"] == "WH" and warehouse["is_default"] is True
    settings = await ok(await owner.get(f"{API}/settings"))
    assert settings == {"allow_negative_stock": False, "default_warehouse_id": warehouse["id"]}


async def test_a_product_is_made_read_changed_and_listed(client: httpx.AsyncClient) -> None:
    owner = await inventory_tenant(client)
    unit_ids = await units(owner)
    made = await product(
        owner,
        "TEA-1",
        name="  Green   tea ",
        barcode="6901234567892",
        sale_price="12.50",
        purchase_price="7",
        sale_uom_id=unit_ids["Dozen"],
        tax_sale="VAT13",
    )
    assert made["name"] == "Green tea"
    assert dec(made["cost"]) == 0 and dec(made["on_hand"]) == 0
    assert dec(made["sale_price"]) == dec("12.50")
    changed = await ok(
        await owner.client.patch(
            f"{PRODUCTS}/{made['id']}",
            json={"name": "Jasmine tea", "barcode": None, "type": "consumable"},
            headers=owner.headers,
        )
    )
    assert changed["name"] == "Jasmine tea" and changed["barcode"] is None
    assert changed["type"] == "consumable" and changed["sku"] == "TEA-1"
    page = await ok(await owner.get(PRODUCTS, params={"q": "jasmine"}))
    assert [p["id"] for p in page["items"]] == [made["id"]]
    assert (await ok(await owner.get(PRODUCTS, params={"type": "stockable"})))["items"] == []


async def test_sku_and_barcode_are_unique_in_a_tenant_only(live_server: LiveServer) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        first, second = await inventory_tenant(a), await inventory_tenant(b)
        await product(first, "SKU-A", barcode="111")
        again = await first.post(
            PRODUCTS, json={"sku": "SKU-A", "name": "x", "uom_id": (await units(first))["Unit"]}
        )
        assert again.status_code == 409, again.text
        barcode = await first.post(
            PRODUCTS,
            json={
                "sku": "SKU-B",
                "name": "x",
                "barcode": "111",
                "uom_id": (await units(first))["Unit"],
            },
        )
        assert barcode.status_code == 409, barcode.text
        # The other tenant has its own namespace.
        await product(second, "SKU-A", barcode="111")


async def test_bad_products_are_refused_naming_the_field(live_server: LiveServer) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner, other = await inventory_tenant(a), await inventory_tenant(b)
        mine, theirs = await units(owner), await units(other)
        base = {"sku": "X-1", "name": "Thing", "uom_id": mine["Unit"]}
        cases = [
            ({**base, "uom_id": theirs["Unit"]}, "uom_id"),
            ({**base, "uom_id": "01900000-0000-7000-8000-000000000000"}, "uom_id"),
            ({**base, "sale_uom_id": mine["kg"]}, "sale_uom_id"),
            ({**base, "type": "gadget"}, "type"),
            ({**base, "sale_price": "-1"}, "sale_price"),
            ({**base, "sale_price": "1.23456"}, "sale_price"),
            ({**base, "sku": "   "}, "sku"),
        ]
        for body, field in cases:
            refused = await owner.post(PRODUCTS, json=body)
            assert refused.status_code == 422, (body, refused.text)
            assert field in refused.text, (field, refused.text)
        floats = await owner.post(PRODUCTS, json={**base, "sale_price": 9.9})
        assert floats.status_code in (400, 422), floats.text
        assert floats.headers["content-type"].startswith("application/problem+json")
        assert (await owner.get(PRODUCTS)).json()["items"] == []


async def test_another_tenants_product_is_not_found(live_server: LiveServer) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner, other = await inventory_tenant(a), await inventory_tenant(b)
        theirs = await product(other)
        assert (await owner.get(f"{PRODUCTS}/{theirs['id']}")).status_code == 404
        patched = await owner.client.patch(
            f"{PRODUCTS}/{theirs['id']}", json={"name": "Mine now"}, headers=owner.headers
        )
        assert patched.status_code == 404
        assert (await detail(other, theirs["id"]))["name"] == "Green tea"


async def test_units_convert_within_their_category(client: httpx.AsyncClient) -> None:
    owner = await inventory_tenant(client)
    categories = await ok(await owner.get(f"{API}/uom-categories"))
    unit_category = next(c["id"] for c in categories if c["name"] == "Unit")
    box = await ok(
        await owner.post(
            UOMS,
            json={"category_id": unit_category, "name": "Box of 6", "factor": "6", "rounding": "1"},
        ),
        201,
    )
    assert dec(box["factor"]) == 6
    taken = await owner.post(
        UOMS, json={"category_id": unit_category, "name": "Box of 6", "factor": "6"}
    )
    assert taken.status_code == 409
    zero = await owner.post(
        UOMS, json={"category_id": unit_category, "name": "Nothing", "factor": "0"}
    )
    assert zero.status_code == 422 and "factor" in zero.text
    made = await ok(await owner.post(f"{API}/uom-categories", json={"name": "Energy"}), 201)
    assert made["name"] == "Energy"


async def test_categories_form_a_tree_named_by_path(client: httpx.AsyncClient) -> None:
    owner = await inventory_tenant(client)
    food = await ok(await owner.post(CATEGORIES, json={"name": "Food"}), 201)
    tea = await ok(await owner.post(CATEGORIES, json={"name": "Tea", "parent_id": food["id"]}), 201)
    green = await ok(
        await owner.post(CATEGORIES, json={"name": "Green", "parent_id": tea["id"]}), 201
    )
    assert green["full_name"] == "Food / Tea / Green"
    renamed = await ok(
        await owner.client.patch(
            f"{CATEGORIES}/{food['id']}", json={"name": "Groceries"}, headers=owner.headers
        )
    )
    assert renamed["full_name"] == "Groceries"
    paths = [c["full_name"] for c in await ok(await owner.get(CATEGORIES))]
    assert paths == ["Groceries", "Groceries / Tea", "Groceries / Tea / Green"]
    cycle = await owner.client.patch(
        f"{CATEGORIES}/{food['id']}", json={"parent_id": green["id"]}, headers=owner.headers
    )
    assert cycle.status_code == 422 and "parent_id" in cycle.text
    filed = await product(owner, category_id=green["id"])
    assert filed["category_id"] == green["id"]
