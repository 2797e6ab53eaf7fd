"""Customer invoices and vendor bills over HTTP: drafts with lines and taxes, totals rounded per
currency, posting (gapless numbers, the journal entry, the event), foreign currencies, cancelling
by a reversing entry, bad input, and what the database refuses."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import asyncpg
import httpx
import pytest

from tests.accounting.documents_support import (
    API,
    TODAY,
    books,
    entry_lines,
    events_of,
    invoice,
    line,
    partner,
    posted,
    set_rate,
)
from tests.accounting.support import as_tenant
from tests.support import LiveServer, make_client


async def test_a_draft_has_its_lines_taxes_and_totals(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    customer = await partner(owner, payment_terms_days=30)
    draft = await invoice(
        owner,
        customer["id"],
        line("19.99", "3", discount="10", tax="VAT-S"),
        line("0.05", "1", tax="VAT-S"),
        line("250", "2"),
    )
    assert draft["status"] == "draft"
    assert draft["number"] is None
    assert draft["currency"] == "CNY"  # the company's
    assert draft["due_date"] == (TODAY + timedelta(days=30)).isoformat()
    subtotals = [(Decimal(x["subtotal"]), Decimal(x["tax_amount"])) for x in draft["lines"]]
    # 3 x 19.99 less 10 % = 53.973 -> 53.97, tax 10 % 5.397 -> 5.40; 0.05 -> tax 0.005 -> 0.01
    assert subtotals == [
        (Decimal("53.97"), Decimal("5.40")),
        (Decimal("0.05"), Decimal("0.01")),
        (Decimal("500.00"), Decimal("0")),
    ]
    assert Decimal(draft["untaxed"]) == Decimal("554.02")
    assert Decimal(draft["tax"]) == Decimal("5.41")
    assert Decimal(draft["total"]) == Decimal("559.43")
    assert Decimal(draft["residual"]) == Decimal("559.43")


async def test_totals_round_to_the_currency(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    await set_rate(app_db, owner.tenant_id, "JPY", TODAY, "0.0480")
    customer = await partner(owner)
    draft = await invoice(owner, customer["id"], line("333.5", "3", tax="VAT-S"), currency="JPY")
    # 1000.5 yen rounds half up to 1001, its tax 100.1 to 100.
    assert Decimal(draft["untaxed"]) == Decimal("1001")
    assert Decimal(draft["tax"]) == Decimal("100")
    assert Decimal(draft["total"]) == Decimal("1101")


async def test_posting_numbers_books_and_announces(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    customer = await partner(owner, crm_account_id="crm-42")
    first = await posted(owner, customer["id"], line("100.00", tax="VAT-S"), line("50.00"))
    second = await posted(owner, customer["id"], line("10.00"))
    year = TODAY.year
    assert first["number"] == f"INV/{year}/00001"
    assert second["number"] == f"INV/{year}/00002"
    assert first["status"] == "posted"
    assert Decimal(first["rate"]) == 1

    lines = await entry_lines(app_db, owner.tenant_id, first["entry_id"])
    booked = [(x["code"], x["debit"], x["credit"]) for x in lines]
    assert booked == [
        ("1100", Decimal("160.00"), Decimal("0.00")),  # receivable
        ("4000", Decimal("0.00"), Decimal("100.00")),  # sales
        ("4000", Decimal("0.00"), Decimal("50.00")),
        ("2100", Decimal("0.00"), Decimal("10.00")),  # output tax
    ]
    assert {str(x["partner_id"]) for x in lines} == {customer["id"]}

    payloads = await events_of(app_db, owner.tenant_id, "accounting.invoice.posted")
    assert [p["number"] for p in payloads] == [first["number"], second["number"]]
    assert payloads[0]["crm_account_id"] == "crm-42"
    assert payloads[0]["total"] == "160.00"
    assert payloads[0]["currency"] == "CNY"


async def test_a_vendor_bill_books_the_mirror(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    vendor = await partner(owner, "vendor")
    bill = await posted(owner, vendor["id"], line("200.00", tax="VAT-P"), kind="vendor")
    assert bill["number"] == f"BILL/{TODAY.year}/00001"
    booked = [
        (x["code"], x["debit"], x["credit"])
        for x in await entry_lines(app_db, owner.tenant_id, bill["entry_id"])
    ]
    assert booked == [
        ("2000", Decimal("0.00"), Decimal("220.00")),  # payable
        ("5100", Decimal("200.00"), Decimal("0.00")),  # purchases
        ("1200", Decimal("20.00"), Decimal("0.00")),  # input tax
    ]


async def test_a_foreign_currency_invoice_books_at_the_rate(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    await set_rate(app_db, owner.tenant_id, "USD", TODAY - timedelta(days=3), "7.1000")
    await set_rate(app_db, owner.tenant_id, "USD", TODAY - timedelta(days=1), "7.2345")
    customer = await partner(owner, currency="USD")
    made = await posted(owner, customer["id"], line("33.33", "3"))
    assert made["currency"] == "USD"  # the partner's
    assert Decimal(made["rate"]) == Decimal("7.2345")
    lines = await entry_lines(app_db, owner.tenant_id, made["entry_id"])
    # 99.99 USD x 7.2345 = 723.377655 -> 723.38 CNY
    assert (lines[0]["code"], lines[0]["debit"]) == ("1100", Decimal("723.38"))
    assert lines[0]["amount_currency"] == Decimal("99.99")
    assert lines[0]["currency"] == "USD"
    assert sum(x["credit"] for x in lines) == Decimal("723.38")


async def test_cancelling_reverses_the_entry(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    customer = await partner(owner)
    made = await posted(owner, customer["id"], line("80.00"))
    cancelled = await owner.post(f"{API}/invoices/{made['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    reversal = cancelled.json()["reversal_entry_id"]
    booked = [
        (x["code"], x["debit"], x["credit"])
        for x in await entry_lines(app_db, owner.tenant_id, reversal)
    ]
    assert booked == [
        ("1100", Decimal("0.00"), Decimal("80.00")),
        ("4000", Decimal("80.00"), Decimal("0.00")),
    ]
    again = await owner.post(f"{API}/invoices/{made['id']}/cancel")
    assert again.status_code == 409
    draft = await invoice(owner, customer["id"])
    given_up = await owner.post(f"{API}/invoices/{draft['id']}/cancel")
    assert given_up.json()["status"] == "cancelled"
    assert given_up.json()["reversal_entry_id"] is None


async def test_a_draft_changes_and_a_posted_invoice_does_not(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    customer = await partner(owner)
    draft = await invoice(owner, customer["id"])
    changed = await owner.client.patch(
        f"{API}/invoices/{draft['id']}",
        json={"reference": "PO-7", "lines": [line("12.00", "2"), line("1.00")]},
        headers=owner.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["reference"] == "PO-7"
    assert Decimal(changed.json()["total"]) == Decimal("25.00")
    assert len(changed.json()["lines"]) == 2
    assert (await owner.post(f"{API}/invoices/{draft['id']}/post")).status_code == 200
    refused = await owner.client.patch(
        f"{API}/invoices/{draft['id']}", json={"reference": "x"}, headers=owner.headers
    )
    assert refused.status_code == 409
    assert (await owner.post(f"{API}/invoices/{draft['id']}/post")).status_code == 409


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"lines": [{"description": "x", "unit_price": 10.5}]}, 422, "lines[0].unit_price"),
        (
            {"lines": [{"description": "x", "unit_price": "1", "quantity": 0.5}]},
            422,
            "lines[0].quantity",
        ),
        (
            {"lines": [{"description": "x", "unit_price": "1", "quantity": "0"}]},
            422,
            "lines[0].quantity",
        ),
        ({"lines": [{"description": "x", "unit_price": "-1"}]}, 422, "lines[0].unit_price"),
        ({"lines": [{"description": "x", "unit_price": "1.00001"}]}, 422, "lines[0].unit_price"),
        (
            {"lines": [{"description": "x", "unit_price": "1", "discount": "101"}]},
            422,
            "lines[0].discount",
        ),
        ({"lines": [{"description": "x", "unit_price": "1", "tax": "NOPE"}]}, 422, "lines[0].tax"),
        ({"lines": [{"description": "x", "unit_price": "1", "tax": "VAT-P"}]}, 422, "lines[0].tax"),
        (
            {"lines": [{"description": "x", "unit_price": "1", "account": "1100"}]},
            422,
            "lines[0].account",
        ),
        (
            {"lines": [{"description": "x", "unit_price": "1", "account": "9999"}]},
            422,
            "lines[0].account",
        ),
        ({"lines": []}, 400, "lines"),
        ({"currency": "XYZ"}, 422, "currency"),
        ({"currency": "EUR"}, 422, "currency"),  # no rate
        ({"due_date": (TODAY - timedelta(days=1)).isoformat()}, 422, "due_date"),
        ({"kind": "refund"}, 400, "kind"),
    ],
)
async def test_bad_invoices_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, change: dict[str, object], status: int, field: str
) -> None:
    owner = await books(client)
    customer = await partner(owner)
    body = {"kind": "customer", "partner_id": customer["id"], "lines": [line()], **change}
    refused = await owner.post(f"{API}/invoices", json=body)
    assert refused.status_code == status, refused.text
    assert field in refused.text
    assert (await owner.get(f"{API}/invoices")).json()["items"] == []


async def test_a_vendor_is_not_invoiced_as_a_customer(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    vendor = await partner(owner, "vendor")
    refused = await owner.post(
        f"{API}/invoices", json={"kind": "customer", "partner_id": vendor["id"], "lines": [line()]}
    )
    assert refused.status_code == 422
    assert "not a customer" in refused.text


async def test_another_tenants_invoice_is_not_found(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    owner = await books(client)
    made = await posted(owner, (await partner(owner))["id"])
    async with make_client(live_server) as other_client:
        other = await books(other_client)
        for path in ("", "/pdf"):
            assert (await other.get(f"{API}/invoices/{made['id']}{path}")).status_code == 404
        for action in ("post", "cancel"):
            assert (await other.post(f"{API}/invoices/{made['id']}/{action}")).status_code == 404
        assert (await other.get(f"{API}/invoices")).json()["items"] == []


async def test_the_database_keeps_a_posted_invoice_final(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    made = await posted(owner, (await partner(owner))["id"], line("10.00"))
    statements = [
        ("UPDATE accounting_invoice SET total = 1 WHERE id = $1", made["id"]),
        ("UPDATE accounting_invoice SET residual = 0, status = 'posted' WHERE id = $1", made["id"]),
        ("UPDATE accounting_invoice SET status = 'cancelled' WHERE id = $1", made["id"]),
        ("DELETE FROM accounting_invoice WHERE id = $1", made["id"]),
        ("UPDATE accounting_invoice_line SET unit_price = 1 WHERE invoice_id = $1", made["id"]),
        ("DELETE FROM accounting_invoice_line WHERE invoice_id = $1", made["id"]),
    ]
    for sql, arg in statements:
        with pytest.raises(asyncpg.IntegrityConstraintViolationError):
            async with as_tenant(app_db, owner.tenant_id):
                await app_db.execute(sql, arg)
