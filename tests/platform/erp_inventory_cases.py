"""The permission matrix's cases for the inventory module (tests/platform/test_permissions.py adds
them to its own). Each builds a valid request for the person under test (see
oa_expense_cases.py for the shape); the scene's tenant has every ERP module enabled.

What the actor moves or reads the owner makes first: a product with stock on hand, a price
list, a warehouse, a picking, a count. Names and SKUs are fresh per case, so every role's run
of the same case succeeds where its permission allows.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from tests.support import SignedUp

API = "/api/v1/inventory"
Request = tuple[str, dict[str, Any] | None]


class Scene(Protocol):
    owner: SignedUp
    actor: SignedUp


Build = Callable[[Any], Awaitable[Request]]


def fixed(path: str, body: dict[str, Any] | None = None) -> Build:
    async def build(scene: Scene) -> Request:
        return path, body

    return build


def _fresh(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6].upper()}"


async def _made(who: SignedUp, path: str, body: dict[str, Any]) -> dict[str, Any]:
    made = await who.post(path, json=body)
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


async def _read(who: SignedUp, path: str) -> Any:
    found = await who.get(path)
    assert found.status_code == 200, found.text
    return found.json()


async def _once(s: Scene, key: str, make: Callable[[], Awaitable[str]]) -> str:
    """What the cases of one scene share, made once: kept on the scene itself (the matrix makes
    a scene per role and runs every case in it)."""
    made: dict[str, str] = s.__dict__.setdefault("_inventory_cases", {})
    if key not in made:
        made[key] = await make()
    return made[key]


async def _unit(s: Scene) -> str:
    async def find() -> str:
        units = await _read(s.owner, f"{API}/uoms")
        return str(next(u["id"] for u in units if u["name"] == "Unit"))

    return await _once(s, "unit", find)


async def _stock(s: Scene) -> str:
    async def find() -> str:
        warehouses = await _read(s.owner, f"{API}/warehouses")
        return str(next(w["stock_location_id"] for w in warehouses if w["is_default"]))

    return await _once(s, "stock", find)


async def _product(s: Scene) -> str:
    """A product of the owner's with plenty in the default stock (each case takes one)."""

    async def make() -> str:
        body = {"sku": _fresh("M-"), "name": "Matrix", "uom_id": await _unit(s)}
        product_id = str((await _made(s.owner, f"{API}/products", body))["id"])
        line = {"product_id": product_id, "quantity": "1000", "unit_cost": "1"}
        await _made(s.owner, f"{API}/receipts", {"lines": [line]})
        return product_id

    return await _once(s, "product", make)


async def _price_list(s: Scene) -> str:
    async def make() -> str:
        body = {"name": _fresh("List "), "currency": "CNY"}
        return str((await _made(s.owner, f"{API}/price-lists", body))["id"])

    return await _once(s, "price_list", make)


async def _new_uom_category(s: Scene) -> Request:
    return f"{API}/uom-categories", {"name": _fresh("Cat ")}


async def _new_uom(s: Scene) -> Request:
    categories = await _read(s.owner, f"{API}/uom-categories")
    unit = next(c["id"] for c in categories if c["name"] == "Unit")
    return f"{API}/uoms", {"category_id": unit, "name": _fresh("Box "), "factor": "6"}


async def _new_product_category(s: Scene) -> Request:
    return f"{API}/product-categories", {"name": _fresh("Cat ")}


async def _product_category_patch(s: Scene) -> Request:
    made = await _made(s.owner, f"{API}/product-categories", {"name": _fresh("Cat ")})
    return f"{API}/product-categories/{made['id']}", {"name": _fresh("Renamed ")}


async def _new_product(s: Scene) -> Request:
    return f"{API}/products", {"sku": _fresh("N-"), "name": "New", "uom_id": await _unit(s)}


async def _product_get(s: Scene) -> Request:
    return f"{API}/products/{await _product(s)}", None


async def _product_patch(s: Scene) -> Request:
    return f"{API}/products/{await _product(s)}", {"name": "Renamed"}


async def _new_price_list(s: Scene) -> Request:
    return f"{API}/price-lists", {"name": _fresh("List "), "currency": "CNY"}


async def _rules(s: Scene) -> Request:
    return f"{API}/price-lists/{await _price_list(s)}/rules", None


async def _new_rule(s: Scene) -> Request:
    body = {"product_id": await _product(s), "kind": "fixed", "price": "3"}
    return f"{API}/price-lists/{await _price_list(s)}/rules", body


async def _rule_delete(s: Scene) -> Request:
    list_id = await _price_list(s)
    body = {"product_id": await _product(s), "kind": "fixed", "price": "3"}
    rule = await _made(s.owner, f"{API}/price-lists/{list_id}/rules", body)
    return f"{API}/price-lists/{list_id}/rules/{rule['id']}", None


async def _price(s: Scene) -> Request:
    return f"{API}/price-lists/{await _price_list(s)}/price?product_id={await _product(s)}", None


async def _new_warehouse(s: Scene) -> Request:
    code = _fresh("W")
    return f"{API}/warehouses", {"code": code, "name": f"Warehouse {code}"}


async def _warehouse(s: Scene) -> Request:
    [warehouse, *_] = await _read(s.owner, f"{API}/warehouses")
    return f"{API}/warehouses/{warehouse['id']}", None


async def _new_location(s: Scene) -> Request:
    return f"{API}/locations", {"name": _fresh("Shelf "), "parent_id": await _stock(s)}


async def _location(s: Scene) -> Request:
    return f"{API}/locations/{await _stock(s)}", None


def _lines(product_id: str, **more: str) -> list[dict[str, str]]:
    return [{"product_id": product_id, "quantity": "1", **more}]


async def _receipt(s: Scene) -> Request:
    return f"{API}/receipts", {"lines": _lines(await _product(s), unit_cost="2")}


async def _delivery(s: Scene) -> Request:
    return f"{API}/deliveries", {"lines": _lines(await _product(s))}


async def _transfer(s: Scene) -> Request:
    stock = await _stock(s)
    shelf = await _made(s.owner, f"{API}/locations", {"name": _fresh("Bin "), "parent_id": stock})
    body = {
        "from_location_id": stock,
        "to_location_id": shelf["id"],
        "lines": _lines(await _product(s)),
    }
    return f"{API}/transfers", body


async def _reservation(s: Scene) -> Request:
    body = {"source_type": "matrix", "source_id": _fresh("R"), "lines": _lines(await _product(s))}
    return f"{API}/reservations", body


async def _picking(s: Scene) -> Request:
    product_id = await _product(s)
    pickings = await _read(s.owner, f"{API}/pickings?kind=receipt&limit=1")
    assert product_id
    return f"{API}/pickings/{pickings['items'][0]['id']}", None


async def _count(s: Scene) -> Request:
    body = {
        "location_id": await _stock(s),
        "lines": [{"product_id": await _product(s), "counted": "4"}],
    }
    return f"{API}/counts", body


async def _count_get(s: Scene) -> Request:
    path, body = await _count(s)
    assert body is not None
    made = await _made(s.owner, path, body)
    return f"{API}/counts/{made['id']}", None


INVENTORY_CASES: list[tuple[str, str, Build]] = [
    ("GET", f"{API}/uom-categories", fixed(f"{API}/uom-categories")),
    ("POST", f"{API}/uom-categories", _new_uom_category),
    ("GET", f"{API}/uoms", fixed(f"{API}/uoms")),
    ("POST", f"{API}/uoms", _new_uom),
    ("GET", f"{API}/product-categories", fixed(f"{API}/product-categories")),
    ("POST", f"{API}/product-categories", _new_product_category),
    ("PATCH", f"{API}/product-categories/{{category_id:uuid}}", _product_category_patch),
    ("GET", f"{API}/products", fixed(f"{API}/products")),
    ("POST", f"{API}/products", _new_product),
    ("GET", f"{API}/products/{{product_id:uuid}}", _product_get),
    ("PATCH", f"{API}/products/{{product_id:uuid}}", _product_patch),
    ("GET", f"{API}/price-lists", fixed(f"{API}/price-lists")),
    ("POST", f"{API}/price-lists", _new_price_list),
    ("GET", f"{API}/price-lists/{{list_id:uuid}}/rules", _rules),
    ("POST", f"{API}/price-lists/{{list_id:uuid}}/rules", _new_rule),
    ("DELETE", f"{API}/price-lists/{{list_id:uuid}}/rules/{{rule_id:uuid}}", _rule_delete),
    ("GET", f"{API}/price-lists/{{list_id:uuid}}/price", _price),
    ("GET", f"{API}/warehouses", fixed(f"{API}/warehouses")),
    ("POST", f"{API}/warehouses", _new_warehouse),
    ("GET", f"{API}/warehouses/{{warehouse_id:uuid}}", _warehouse),
    ("GET", f"{API}/locations", fixed(f"{API}/locations")),
    ("POST", f"{API}/locations", _new_location),
    ("GET", f"{API}/locations/{{location_id:uuid}}", _location),
    ("POST", f"{API}/receipts", _receipt),
    ("POST", f"{API}/deliveries", _delivery),
    ("POST", f"{API}/transfers", _transfer),
    ("GET", f"{API}/reservations", fixed(f"{API}/reservations")),
    ("POST", f"{API}/reservations", _reservation),
    (
        "POST",
        f"{API}/reservations/release",
        fixed(f"{API}/reservations/release", {"source_type": "matrix", "source_id": "none"}),
    ),
    ("GET", f"{API}/pickings", fixed(f"{API}/pickings")),
    ("GET", f"{API}/pickings/{{picking_id:uuid}}", _picking),
    ("GET", f"{API}/counts", fixed(f"{API}/counts")),
    ("POST", f"{API}/counts", _count),
    ("GET", f"{API}/counts/{{count_id:uuid}}", _count_get),
    ("GET", f"{API}/reports/stock-balance", fixed(f"{API}/reports/stock-balance")),
    ("GET", f"{API}/reports/stock-balance/export", fixed(f"{API}/reports/stock-balance/export")),
    ("GET", f"{API}/reports/moves", fixed(f"{API}/reports/moves")),
    ("GET", f"{API}/reports/moves/export", fixed(f"{API}/reports/moves/export")),
    ("GET", f"{API}/reports/stock-value", fixed(f"{API}/reports/stock-value")),
    ("GET", f"{API}/settings", fixed(f"{API}/settings")),
    ("PATCH", f"{API}/settings", fixed(f"{API}/settings", {"allow_negative_stock": False})),
]
