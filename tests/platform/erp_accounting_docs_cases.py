"""The permission matrix's cases for accounting's partners, invoices, payments and aging
(tests/platform/test_permissions.py adds them to its own). Each builds a valid request for the
person under test; what the request needs (a partner, a draft, a posted invoice) the owner
makes first."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from tests.support import SignedUp

API = "/api/v1/accounting"
Request = tuple[str, dict[str, Any] | None]
Build = Callable[[Any], Awaitable[Request]]


class Scene(Protocol):
    owner: SignedUp
    actor: SignedUp


def fixed(path: str, body: dict[str, Any] | None = None) -> Build:
    async def build(scene: Scene) -> Request:
        return path, body

    return build


async def _made(who: SignedUp, path: str, body: dict[str, Any]) -> dict[str, Any]:
    made = await who.post(path, json=body)
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


async def _partner(s: Scene) -> str:
    name = f"Matrix {uuid.uuid4().hex[:8]}"
    return str((await _made(s.owner, f"{API}/partners", {"name": name, "kind": "customer"}))["id"])


def _invoice_body(partner_id: str, *, post: bool = False) -> dict[str, Any]:
    return {
        "kind": "customer",
        "partner_id": partner_id,
        "lines": [{"description": "Matrix", "unit_price": "10.00"}],
        "post": post,
    }


async def _draft(s: Scene) -> str:
    return str((await _made(s.owner, f"{API}/invoices", _invoice_body(await _partner(s))))["id"])


async def _posted(s: Scene) -> dict[str, Any]:
    return await _made(s.owner, f"{API}/invoices", _invoice_body(await _partner(s), post=True))


async def _partner_one(s: Scene) -> Request:
    return f"{API}/partners/{await _partner(s)}", None


async def _partner_patch(s: Scene) -> Request:
    return f"{API}/partners/{await _partner(s)}", {"phone": "+86 10 1234 5678"}


async def _invoice_new(s: Scene) -> Request:
    return f"{API}/invoices", _invoice_body(await _partner(s))


async def _invoice_one(s: Scene) -> Request:
    return f"{API}/invoices/{await _draft(s)}", None


async def _invoice_patch(s: Scene) -> Request:
    return f"{API}/invoices/{await _draft(s)}", {"reference": "PO-1"}


async def _invoice_post(s: Scene) -> Request:
    return f"{API}/invoices/{await _draft(s)}/post", None


async def _invoice_cancel(s: Scene) -> Request:
    return f"{API}/invoices/{await _draft(s)}/cancel", None


async def _invoice_pdf(s: Scene) -> Request:
    return f"{API}/invoices/{(await _posted(s))['id']}/pdf", None


def _payment_body(invoice: dict[str, Any]) -> dict[str, Any]:
    return {
        "direction": "incoming",
        "partner_id": invoice["partner_id"],
        "amount": invoice["total"],
        "allocations": [{"invoice_id": invoice["id"], "amount": invoice["total"]}],
    }


async def _payment_new(s: Scene) -> Request:
    return f"{API}/payments", _payment_body(await _posted(s))


async def _payment_one(s: Scene) -> Request:
    payment = await _made(s.owner, f"{API}/payments", _payment_body(await _posted(s)))
    return f"{API}/payments/{payment['id']}", None


DOCS_CASES: list[tuple[str, str, Build]] = [
    ("GET", f"{API}/partners", fixed(f"{API}/partners")),
    ("POST", f"{API}/partners", fixed(f"{API}/partners", {"name": "New", "kind": "vendor"})),
    ("GET", f"{API}/partners/{{partner_id:uuid}}", _partner_one),
    ("PATCH", f"{API}/partners/{{partner_id:uuid}}", _partner_patch),
    ("GET", f"{API}/invoices", fixed(f"{API}/invoices")),
    ("POST", f"{API}/invoices", _invoice_new),
    ("GET", f"{API}/invoices/{{invoice_id:uuid}}", _invoice_one),
    ("PATCH", f"{API}/invoices/{{invoice_id:uuid}}", _invoice_patch),
    ("POST", f"{API}/invoices/{{invoice_id:uuid}}/post", _invoice_post),
    ("POST", f"{API}/invoices/{{invoice_id:uuid}}/cancel", _invoice_cancel),
    ("GET", f"{API}/invoices/{{invoice_id:uuid}}/pdf", _invoice_pdf),
    ("GET", f"{API}/payments", fixed(f"{API}/payments")),
    ("POST", f"{API}/payments", _payment_new),
    ("GET", f"{API}/payments/{{payment_id:uuid}}", _payment_one),
    ("GET", f"{API}/reports/aging", fixed(f"{API}/reports/aging")),
    ("GET", f"{API}/reports/aging.xlsx", fixed(f"{API}/reports/aging.xlsx")),
]
