"""The permission matrix's cases for the test plugin's supplier bills (records with line items;
tests/platform/test_permissions.py adds them to its own). Each builds a valid request; the bill
a case reads or changes is made by the owner."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from tests.support import SignedUp

BILLS = "/api/v1/expenses/bills"
Request = tuple[str, dict[str, Any] | None]


class Scene(Protocol):
    owner: SignedUp


Build = Callable[[Any], Awaitable[Request]]

BILL = {
    "supplier": "Matrix supplies",
    "currency": "CNY",
    "lines": [{"description": "Paper", "quantity": 2, "unit_price": "10.00"}],
}


async def _bill(s: Scene) -> str:
    made = await s.owner.post(BILLS, json=BILL)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _list(s: Scene) -> Request:
    return BILLS, None


async def _create(s: Scene) -> Request:
    return BILLS, BILL


async def _get(s: Scene) -> Request:
    return f"{BILLS}/{await _bill(s)}", None


async def _pdf(s: Scene) -> Request:
    return f"{BILLS}/{await _bill(s)}/pdf", None


async def _patch(s: Scene) -> Request:
    return f"{BILLS}/{await _bill(s)}", {"supplier": "Renamed"}


BILL_CASES: list[tuple[str, str, Build]] = [
    ("GET", "/api/v1/expenses/bills", _list),
    ("POST", "/api/v1/expenses/bills", _create),
    ("GET", "/api/v1/expenses/bills/{bill_id:uuid}", _get),
    ("PATCH", "/api/v1/expenses/bills/{bill_id:uuid}", _patch),
    ("GET", "/api/v1/expenses/bills/{bill_id:uuid}/pdf", _pdf),
]
