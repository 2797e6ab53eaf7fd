"""What the browser app learns of inventory — menus, resources, the stock dashboard — in
English and Chinese, and switching the module off and on again keeping what it had."""

from __future__ import annotations

import httpx
from tessera_inventory import permissions, translations, ui
from tessera_inventory.plugin import tessera_manifest, tessera_ui

from tessera.plugin import UI
from tests.inventory.support import (
    PRODUCTS,
    dec,
    detail,
    inventory_tenant,
    ok,
    product,
    receive,
    units,
)
from tests.support import LiveServer, join, make_client

MENUS, RESOURCES, DASHBOARDS = "/api/v1/ui/menus", "/api/v1/ui/resources", "/api/v1/ui/dashboards"
CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_every_text_of_inventory_has_its_chinese() -> None:
    shown = UI(menus=ui.MENU, resources=ui.RESOURCES, dashboards=(ui.DASHBOARD,)).texts()
    shown |= {p.description for p in permissions.PERMISSIONS}
    manifest = tessera_manifest()
    shown |= {manifest.label, str(manifest.description)}
    assert sorted(text for text in shown if text not in translations.ZH) == []
    assert translations.ZH.items() <= tessera_ui().translations["zh"].items()


async def test_menus_resources_and_dashboard_by_permission_and_in_chinese(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner = await inventory_tenant(a)
        member = await join(live_server, owner, b)
        menus = {
            m["label"]: m for m in await ok(await member.get(MENUS)) if m["module"] == "inventory"
        }
        assert {"Products", "Pickings", "Warehouses", "Stock"} <= set(menus)
        assert menus["Stock"]["dashboard"] == "inventory.stock"
        resources = {r["name"]: r for r in await ok(await member.get(RESOURCES))}
        assert resources["inventory.product"]["can_write"] is False, "members read products"
        assert resources["inventory.picking"]["can_write"] is False
        owners = {r["name"]: r for r in await ok(await owner.get(RESOURCES))}
        assert owners["inventory.product"]["can_write"] is True
        dashboards = {d["name"]: d for d in await ok(await member.get(DASHBOARDS))}
        [value, _] = dashboards["inventory.stock"]["metrics"]
        assert value["endpoint"] == "/api/v1/inventory/reports/stock-value"
        chinese = {m["label"] for m in await ok(await member.get(MENUS, headers=CHINESE))}
        assert {"产品", "调拨单", "仓库"} <= chinese
        # A member reads but does not change products.
        refused = await member.post(
            PRODUCTS, json={"sku": "X", "name": "X", "uom_id": (await units(owner))["Unit"]}
        )
        assert refused.status_code == 403


async def test_switching_off_and_on_keeps_the_stock(client: httpx.AsyncClient) -> None:
    owner = await inventory_tenant(client)
    tea = await product(owner)
    await receive(owner, tea["id"], "3", "2")
    off = await owner.post("/api/v1/modules/inventory/disable")
    assert off.status_code == 200, off.text
    assert (await owner.get(PRODUCTS)).status_code == 404
    on = await owner.post("/api/v1/modules/inventory/enable")
    assert on.status_code == 200, on.text
    assert dec((await detail(owner, tea["id"]))["on_hand"]) == 3
    # Nothing was seeded twice.
    assert len(await ok(await owner.get("/api/v1/inventory/warehouses"))) == 1
