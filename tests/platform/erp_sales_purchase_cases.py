"""The permission matrix's cases for the sales_purchase module (tests/platform/test_permissions.py adds
them to its own). Each builds a valid request for the person under test (see
oa_expense_cases.py for the shape); the scene's tenant has every ERP module enabled.

What an action needs first (a quotation, a confirmed order, goods in stock, a receipt) the
scene's owner makes; the person under test only makes the request the case is about.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from tests.support import SignedUp

API = "/api/v1/sales_purchase"
SALES = f"{API}/sales/orders"
PURCHASES = f"{API}/purchases/orders"
INVENTORY = "/api/v1/inventory"
Request = tuple[str, dict[str, Any] | None]


class Scene(Protocol):
    owner: SignedUp
    actor: SignedUp


Build = Callable[[Any], Awaitable[Request]]


def fixed(path: str, body: dict[str, Any] | None = None) -> Build:
    async def build(scene: Scene) -> Request:
        return path, body

    return build


async def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    found: dict[str, Any] = response.json()
    return found


async def _product(s: Scene, stock: str | None = None) -> str:
    units = {u["name"]: u["id"] for u in (await s.owner.get(f"{INVENTORY}/uoms")).json()}
    made = await _ok(
        await s.owner.post(
            f"{INVENTORY}/products",
            json={
                "sku": f"M-{uuid.uuid4().hex[:8]}",
                "name": "Matrix tea",
                "uom_id": units["Unit"],
                "sale_price": "10.00",
                "purchase_price": "4.00",
            },
        ),
        201,
    )
    if stock is not None:
        line = {"product_id": made["id"], "quantity": stock, "unit_cost": "4.00"}
        await _ok(await s.owner.post(f"{INVENTORY}/receipts", json={"lines": [line]}), 201)
    return str(made["id"])


async def _order_body(s: Scene) -> dict[str, Any]:
    # In stock: confirming reserves it.
    return {
        "partner": {"name": "Matrix customer"},
        "lines": [{"product_id": await _product(s, stock="1"), "quantity": "1"}],
    }


async def _quotation(s: Scene) -> dict[str, Any]:
    return await _ok(await s.owner.post(SALES, json=await _order_body(s)), 201)


async def _confirmed(s: Scene, *, delivered: bool = False) -> dict[str, Any]:
    product = await _product(s, stock="5")
    body = {
        "partner": {"name": "Matrix customer"},
        "lines": [{"product_id": product, "quantity": "2"}],
    }
    order = await _ok(await s.owner.post(SALES, json=body), 201)
    await _ok(await s.owner.post(f"{SALES}/{order['id']}/confirm"))
    if delivered:
        await _ok(await s.owner.post(f"{SALES}/{order['id']}/deliveries", json={}), 201)
    return order


async def _rfq(s: Scene) -> dict[str, Any]:
    body = {
        "partner": {"name": "Matrix vendor"},
        "lines": [{"product_id": await _product(s), "quantity": "3"}],
    }
    return await _ok(await s.owner.post(PURCHASES, json=body), 201)


async def _placed(s: Scene, *, received: bool = False) -> dict[str, Any]:
    order = await _rfq(s)
    await _ok(await s.owner.post(f"{PURCHASES}/{order['id']}/confirm"))
    if received:
        await _ok(await s.owner.post(f"{PURCHASES}/{order['id']}/receipts", json={}), 201)
    return order


async def _new_sale(s: Scene) -> Request:
    return SALES, await _order_body(s)


async def _sale(s: Scene) -> Request:
    return f"{SALES}/{(await _quotation(s))['id']}", None


async def _sale_patch(s: Scene) -> Request:
    return f"{SALES}/{(await _quotation(s))['id']}", {"note": "Matrix"}


async def _sale_confirm(s: Scene) -> Request:
    return f"{SALES}/{(await _quotation(s))['id']}/confirm", None


async def _sale_cancel(s: Scene) -> Request:
    return f"{SALES}/{(await _quotation(s))['id']}/cancel", None


async def _sale_deliver(s: Scene) -> Request:
    return f"{SALES}/{(await _confirmed(s))['id']}/deliveries", {}


async def _sale_invoice(s: Scene) -> Request:
    return f"{SALES}/{(await _confirmed(s, delivered=True))['id']}/invoices", {}


async def _sale_pdf(s: Scene) -> Request:
    return f"{SALES}/{(await _quotation(s))['id']}/pdf", None


async def _plan(s: Scene) -> Request:
    return f"{SALES}/{(await _quotation(s))['id']}/payment-plan", None


async def _plan_put(s: Scene) -> Request:
    order = await _quotation(s)
    body = {"instalments": [{"due_date": "2099-01-01", "percent": "100"}]}
    return f"{SALES}/{order['id']}/payment-plan", body


async def _new_purchase(s: Scene) -> Request:
    body = {
        "partner": {"name": "Matrix vendor"},
        "lines": [{"product_id": await _product(s), "quantity": "1"}],
    }
    return PURCHASES, body


async def _purchase(s: Scene) -> Request:
    return f"{PURCHASES}/{(await _rfq(s))['id']}", None


async def _purchase_patch(s: Scene) -> Request:
    return f"{PURCHASES}/{(await _rfq(s))['id']}", {"note": "Matrix"}


async def _purchase_confirm(s: Scene) -> Request:
    return f"{PURCHASES}/{(await _rfq(s))['id']}/confirm", None


async def _purchase_cancel(s: Scene) -> Request:
    return f"{PURCHASES}/{(await _rfq(s))['id']}/cancel", None


async def _purchase_receive(s: Scene) -> Request:
    return f"{PURCHASES}/{(await _placed(s))['id']}/receipts", {}


async def _purchase_bill(s: Scene) -> Request:
    order = await _placed(s, received=True)
    return f"{PURCHASES}/{order['id']}/bills", {"reference": "V-1"}


async def _purchase_pdf(s: Scene) -> Request:
    return f"{PURCHASES}/{(await _rfq(s))['id']}/pdf", None


ORDER = "{order_id:uuid}"

SALES_PURCHASE_CASES: list[tuple[str, str, Any]] = [
    ("GET", SALES, fixed(SALES)),
    ("POST", SALES, _new_sale),
    ("GET", f"{SALES}/{ORDER}", _sale),
    ("PATCH", f"{SALES}/{ORDER}", _sale_patch),
    ("DELETE", f"{SALES}/{ORDER}", _sale),
    ("POST", f"{SALES}/{ORDER}/confirm", _sale_confirm),
    ("POST", f"{SALES}/{ORDER}/cancel", _sale_cancel),
    ("POST", f"{SALES}/{ORDER}/deliveries", _sale_deliver),
    ("POST", f"{SALES}/{ORDER}/invoices", _sale_invoice),
    ("GET", f"{SALES}/{ORDER}/pdf", _sale_pdf),
    ("GET", f"{SALES}/{ORDER}/payment-plan", _plan),
    ("PUT", f"{SALES}/{ORDER}/payment-plan", _plan_put),
    ("GET", PURCHASES, fixed(PURCHASES)),
    ("POST", PURCHASES, _new_purchase),
    ("GET", f"{PURCHASES}/{ORDER}", _purchase),
    ("PATCH", f"{PURCHASES}/{ORDER}", _purchase_patch),
    ("DELETE", f"{PURCHASES}/{ORDER}", _purchase),
    ("POST", f"{PURCHASES}/{ORDER}/confirm", _purchase_confirm),
    ("POST", f"{PURCHASES}/{ORDER}/cancel", _purchase_cancel),
    ("POST", f"{PURCHASES}/{ORDER}/receipts", _purchase_receive),
    ("POST", f"{PURCHASES}/{ORDER}/bills", _purchase_bill),
    ("GET", f"{PURCHASES}/{ORDER}/pdf", _purchase_pdf),
    ("GET", f"{API}/sales/reports/revenue", fixed(f"{API}/sales/reports/revenue")),
    ("GET", f"{API}/sales/reports/top-customers", fixed(f"{API}/sales/reports/top-customers")),
    ("GET", f"{API}/settings", fixed(f"{API}/settings")),
    ("PATCH", f"{API}/settings", fixed(f"{API}/settings", {"price_tolerance": "1"})),
]
