"""Partners over HTTP: made, changed, listed, linked to CRM accounts once, and refused for bad
input or another tenant's id."""

from __future__ import annotations

import httpx
import pytest

from tests.accounting.documents_support import API, books, partner
from tests.support import LiveServer, make_client


async def test_a_partner_is_made_changed_and_listed(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    made = await partner(
        owner, "customer", email="ap@acme.test", currency="usd", payment_terms_days=30,
        crm_account_id="crm-1", address="1 Main St\nSpringfield",
    )  # fmt: skip
    assert made["currency"] == "USD"
    assert made["payment_terms_days"] == 30
    assert made["active"] is True

    changed = await owner.client.patch(
        f"{API}/partners/{made['id']}",
        json={"name": "  Acme   Ltd ", "kind": "both", "currency": None, "active": False},
        headers=owner.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "Acme Ltd"
    assert changed.json()["currency"] is None
    assert changed.json()["crm_account_id"] == "crm-1"

    vendor = await partner(owner, "vendor")
    customers = (await owner.get(f"{API}/partners", params={"kind": "customer"})).json()
    assert [p["id"] for p in customers["items"]] == [made["id"]]  # "both" counts as a customer
    vendors = (await owner.get(f"{API}/partners", params={"kind": "vendor"})).json()
    assert {p["id"] for p in vendors["items"]} == {made["id"], vendor["id"]}
    by_crm = (await owner.get(f"{API}/partners", params={"crm_account_id": "crm-1"})).json()
    assert [p["id"] for p in by_crm["items"]] == [made["id"]]
    audit = await owner.get("/api/v1/audit", params={"record_type": "accounting_partner"})
    assert len(audit.json()["items"]) == 3


async def test_a_crm_account_links_one_partner(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    await partner(owner, crm_account_id="crm-9")
    again = await owner.post(
        f"{API}/partners", json={"name": "Other", "kind": "customer", "crm_account_id": "crm-9"}
    )
    assert again.status_code == 409, again.text


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "", "kind": "customer"}, 422, "name"),
        ({"name": "   ", "kind": "customer"}, 422, "name"),
        ({"name": "X", "kind": "friend"}, 400, "kind"),
        ({"name": "X", "kind": "customer", "currency": "XYZ"}, 422, "currency"),
        ({"name": "X", "kind": "customer", "payment_terms_days": -1}, 422, "payment_terms_days"),
        ({"name": "X", "kind": "customer", "colour": "red"}, 400, "colour"),
    ],
)
async def test_bad_partners_are_refused(
    client: httpx.AsyncClient, body: dict[str, object], status: int, field: str
) -> None:
    owner = await books(client)
    refused = await owner.post(f"{API}/partners", json=body)
    assert refused.status_code == status, refused.text
    assert field in refused.text
    assert (await owner.get(f"{API}/partners")).json()["items"] == []


async def test_another_tenants_partner_is_not_found(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    owner = await books(client)
    theirs = await partner(owner)
    async with make_client(live_server) as other_client:
        other = await books(other_client)
        assert (await other.get(f"{API}/partners/{theirs['id']}")).status_code == 404
        patched = await other.client.patch(
            f"{API}/partners/{theirs['id']}", json={"name": "Mine"}, headers=other.headers
        )
        assert patched.status_code == 404
        invoice = await other.post(
            f"{API}/invoices",
            json={"kind": "customer", "partner_id": theirs["id"],
                  "lines": [{"description": "x", "unit_price": "1.00"}]},
        )  # fmt: skip
        assert invoice.status_code == 422, invoice.text
        assert "partner_id" in invoice.text
