"""The ``accounting.invoicing`` service as sales and purchasing call it (docs/modules/erp.md):
partners found by id or CRM account or made, invoices drafted or posted in the caller's
transaction, summaries read back; and the module's screens and texts."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

import httpx
import pytest
from tessera_accounting import documents_translations, documents_ui
from tessera_accounting.documents_permissions import DOCUMENT_PERMISSIONS
from tessera_accounting.plugin import tessera_ui

from tessera.errors import Invalid
from tessera.plugin import UI, service
from tests.accounting.documents_support import API, books
from tests.accounting.support import runtime_session
from tests.support import LiveServer


@runtime_checkable
class Invoicing(Protocol):
    async def ensure_partner(self, db: Any, tenant_id: uuid.UUID, partner: Any) -> uuid.UUID: ...
    async def create_invoice(self, db: Any, tenant_id: uuid.UUID, invoice: Any) -> Any: ...
    async def invoice_summary(
        self, db: Any, tenant_id: uuid.UUID, invoice_id: uuid.UUID
    ) -> Any: ...


def _invoicing() -> Invoicing:
    return service("accounting.invoicing", Invoicing)


def _order_invoice(partner_id: uuid.UUID, *, post: bool) -> dict[str, Any]:
    return {
        "kind": "customer",
        "partner_id": partner_id,
        "currency": "CNY",
        "date": date.today(),
        "due_date": None,
        "reference": "SO/2026/00001",
        "source_type": "sales_purchase.order",
        "source_id": "order-1",
        "post": post,
        "lines": [
            {"description": "Widget", "quantity": Decimal("3"), "unit_price": Decimal("9.99"),
             "discount": Decimal("0"), "tax": "VAT-S", "product_id": "p-1", "account": None},
        ],
    }  # fmt: skip


async def test_partners_invoices_and_summaries(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    owner = await books(client)
    tenant = uuid.UUID(owner.tenant_id)
    invoicing = _invoicing()
    async with runtime_session(live_server, owner.tenant_id) as db:
        made = await invoicing.ensure_partner(
            db, tenant, {"name": "Acme", "kind": "customer", "crm_account_id": "crm-1"}
        )
        assert await invoicing.ensure_partner(db, tenant, {"crm_account_id": "crm-1"}) == made
        assert await invoicing.ensure_partner(db, tenant, {"id": made, "name": "x"}) == made
        draft = await invoicing.create_invoice(db, tenant, _order_invoice(made, post=False))
        done = await invoicing.create_invoice(db, tenant, _order_invoice(made, post=True))
    assert draft["status"] == "draft"
    assert draft["number"] is None
    assert done["status"] == "posted"
    assert done["number"].startswith("INV/")
    assert (done["untaxed"], done["tax"], done["total"]) == (
        Decimal("29.97"), Decimal("3.00"), Decimal("32.97"),
    )  # fmt: skip
    async with runtime_session(live_server, owner.tenant_id) as db:
        summary = await invoicing.invoice_summary(db, tenant, done["id"])
        assert await invoicing.invoice_summary(db, tenant, uuid.uuid4()) is None
    assert summary["residual"] == Decimal("32.970")
    assert summary["source_id"] == "order-1"
    listed = (await owner.get(f"{API}/invoices", params={"status": "posted"})).json()["items"]
    assert [i["reference"] for i in listed] == ["SO/2026/00001"]


async def test_the_service_refuses_bad_input_and_writes_nothing(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    owner = await books(client)
    tenant = uuid.UUID(owner.tenant_id)
    invoicing = _invoicing()
    async with runtime_session(live_server, owner.tenant_id) as db:
        made = await invoicing.ensure_partner(db, tenant, {"name": "Acme", "kind": "customer"})
    bad = _order_invoice(made, post=True)
    bad["lines"][0]["unit_price"] = 9.99
    with pytest.raises(Invalid, match="float"):
        async with runtime_session(live_server, owner.tenant_id) as db:
            await invoicing.create_invoice(db, tenant, bad)
    with pytest.raises(Invalid, match="kind"):
        async with runtime_session(live_server, owner.tenant_id) as db:
            await invoicing.ensure_partner(db, tenant, {"name": "X", "kind": "friend"})
    assert (await owner.get(f"{API}/invoices")).json()["items"] == []


def test_every_text_shown_has_its_chinese() -> None:
    ours = UI(
        menus=documents_ui.MENUS,
        resources=documents_ui.RESOURCES,
        dashboards=(documents_ui.DASHBOARD,),
        messages=documents_ui.PRINTED,
    ).texts() | {p.description for p in DOCUMENT_PERMISSIONS}
    missing = sorted(text for text in ours if text not in documents_translations.DOCUMENTS_ZH)
    assert missing == []
    # ... and the module's catalogue carries them (the ledger's own texts win a clash).
    catalogue = tessera_ui().translations["zh"]
    assert all(text in catalogue for text in ours)
