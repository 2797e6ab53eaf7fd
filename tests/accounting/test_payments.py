"""Payments over HTTP: full, partial, one payment for several invoices, vendor payments, the
realised exchange difference of a foreign-currency invoice paid at another rate, the event, and
bad input (overpayment, a draft, another partner's or tenant's invoice, float amounts, no rate).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

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
from tests.support import LiveServer, SignedUp, make_client


async def pay(who: SignedUp, partner_id: str, amount: str, *allocations: tuple[str, str],
              direction: str = "incoming", **more: Any) -> httpx.Response:  # fmt: skip
    return await who.post(
        f"{API}/payments",
        json={
            "direction": direction,
            "partner_id": partner_id,
            "amount": amount,
            "allocations": [{"invoice_id": i, "amount": a} for i, a in allocations],
            **more,
        },
    )


async def state(who: SignedUp, invoice_id: str) -> tuple[str, Decimal]:
    found = (await who.get(f"{API}/invoices/{invoice_id}")).json()
    return found["status"], Decimal(found["residual"])


async def test_partial_then_full_payment(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    customer = await partner(owner, crm_account_id="crm-7")
    made = await posted(owner, customer["id"], line("100.00", tax="VAT-S"))  # 110.00

    first = await pay(owner, customer["id"], "40.00", (made["id"], "40.00"), reference="TT-1")
    assert first.status_code == 201, first.text
    assert first.json()["number"] == f"BNK/{TODAY.year}/00001"
    assert await state(owner, made["id"]) == ("partially_paid", Decimal("70.00"))
    booked = [(x["code"], x["debit"], x["credit"])
              for x in await entry_lines(app_db, owner.tenant_id, first.json()["entry_id"])]  # fmt: skip
    assert booked == [("1010", Decimal("40.00"), Decimal("0.00")),
                      ("1100", Decimal("0.00"), Decimal("40.00"))]  # fmt: skip

    second = await pay(owner, customer["id"], "70.00", (made["id"], "70.00"), journal="CSH")
    assert second.status_code == 201, second.text
    assert second.json()["number"] == f"CSH/{TODAY.year}/00001"
    assert await state(owner, made["id"]) == ("paid", Decimal("0.00"))

    [announced, _] = await events_of(app_db, owner.tenant_id, "accounting.payment.registered")
    assert announced["crm_account_id"] == "crm-7"
    assert announced["amount"] == "40.00"
    assert announced["invoices"] == [
        {"invoice_id": made["id"], "number": made["number"], "amount": "40.00",
         "residual": "70.00", "status": "partially_paid"}
    ]  # fmt: skip
    listed = (await owner.get(f"{API}/payments", params={"invoice_id": made["id"]})).json()
    assert [p["id"] for p in listed["items"]] == [second.json()["id"], first.json()["id"]]


async def test_one_payment_for_several_invoices(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    customer = await partner(owner)
    a = await posted(owner, customer["id"], line("30.00"))
    b = await posted(owner, customer["id"], line("50.00"))
    paid = await pay(owner, customer["id"], "60.00", (a["id"], "30.00"), (b["id"], "30.00"))
    assert paid.status_code == 201, paid.text
    assert [x["amount"] for x in paid.json()["allocations"]] == ["30.00", "30.00"]
    assert await state(owner, a["id"]) == ("paid", Decimal("0.00"))
    assert await state(owner, b["id"]) == ("partially_paid", Decimal("20.00"))


async def test_a_vendor_bill_is_paid_out(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    vendor = await partner(owner, "vendor")
    bill = await posted(owner, vendor["id"], line("200.00"), kind="vendor")
    paid = await pay(owner, vendor["id"], "200.00", (bill["id"], "200.00"), direction="outgoing")
    assert paid.status_code == 201, paid.text
    booked = [(x["code"], x["debit"], x["credit"])
              for x in await entry_lines(app_db, owner.tenant_id, paid.json()["entry_id"])]  # fmt: skip
    assert booked == [("1010", Decimal("0.00"), Decimal("200.00")),
                      ("2000", Decimal("200.00"), Decimal("0.00"))]  # fmt: skip
    assert await state(owner, bill["id"]) == ("paid", Decimal("0.00"))


@pytest.mark.parametrize(
    ("pay_rate", "code", "difference"),
    [("7.3000", "4200", Decimal("10.00")), ("7.1500", "6900", Decimal("-5.00"))],
    ids=["gain", "loss"],
)
async def test_a_foreign_invoice_paid_at_another_rate_realises_the_difference(
    client: httpx.AsyncClient,
    app_db: asyncpg.Connection,
    pay_rate: str,
    code: str,
    difference: Decimal,
) -> None:
    owner = await books(client)
    invoiced_on = TODAY - timedelta(days=10)
    await set_rate(app_db, owner.tenant_id, "USD", invoiced_on, "7.2000")
    await set_rate(app_db, owner.tenant_id, "USD", TODAY, pay_rate)
    customer = await partner(owner, currency="USD")
    made = await posted(owner, customer["id"], line("100.00"), date=invoiced_on.isoformat())
    # Paid in two parts: the second settles what is left of the 720.00 CNY carried.
    first = await pay(owner, customer["id"], "60.00", (made["id"], "60.00"))
    second = await pay(owner, customer["id"], "40.00", (made["id"], "40.00"))
    assert first.status_code == 201, first.text
    assert second.status_code == 201, second.text
    total = Decimal(first.json()["exchange_difference"]) + Decimal(
        second.json()["exchange_difference"]
    )
    assert total == difference
    lines = await entry_lines(app_db, owner.tenant_id, second.json()["entry_id"])
    bank, receivable, fx = lines
    assert bank["code"] == "1010"
    assert bank["amount_currency"] == Decimal("40.00")
    assert bank["currency"] == "USD"
    assert (receivable["code"], receivable["amount_currency"]) == ("1100", Decimal("-40.00"))
    assert fx["code"] == code
    # The receivable of this invoice is cleared to the cent in the company's currency.
    async with as_tenant(app_db, owner.tenant_id):
        left = await app_db.fetchval(
            "SELECT sum(l.debit - l.credit) FROM accounting_line l JOIN accounting_entry e "
            "ON e.tenant_id = l.tenant_id AND e.id = l.entry_id "
            "JOIN accounting_account a ON a.tenant_id = l.tenant_id AND a.id = l.account_id "
            "WHERE a.code = '1100' AND e.id IN ($1, $2, $3)",
            made["entry_id"], first.json()["entry_id"], second.json()["entry_id"],
        )  # fmt: skip
    assert left == 0
    assert await state(owner, made["id"]) == ("paid", Decimal("0.00"))


async def test_bad_payments_are_refused_and_nothing_changes(
    live_server: LiveServer, client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    customer = await partner(owner)
    other_customer = await partner(owner)
    made = await posted(owner, customer["id"], line("100.00"))
    draft = await invoice(owner, customer["id"])
    theirs = await posted(owner, other_customer["id"], line("5.00"))
    vendor = await partner(owner, "vendor")
    bill = await posted(owner, vendor["id"], line("5.00"), kind="vendor")
    async with make_client(live_server) as other_client:
        other = await books(other_client)
        foreign = await posted(other, (await partner(other))["id"], line("5.00"))
    p, i = customer["id"], made["id"]
    cases: list[tuple[httpx.Response, int, str]] = [
        (await pay(owner, p, "100.01", (i, "100.01")), 422, "overpay"),
        (await pay(owner, p, "50.00", (i, "40.00")), 422, "add up"),
        (await pay(owner, p, "10.00", (draft["id"], "10.00")), 422, "draft"),
        (await pay(owner, p, "5.00", (theirs["id"], "5.00")), 422, "another partner"),
        (await pay(owner, p, "5.00", (bill["id"], "5.00")), 422, "settles customer invoices"),
        (await pay(owner, p, "5.00", (foreign["id"], "5.00")), 422, "no invoice"),
        (await pay(owner, p, "5.00", (i, "3.00"), (i, "2.00")), 422, "once"),
        (await pay(owner, p, "5.00", (i, "5.00"), currency="USD"), 422, "in CNY"),
        (await pay(owner, p, "5.00", (i, "5.00"), journal="SAJ"), 422, "bank or cash"),
        (await pay(owner, p, "5.001", (i, "5.001")), 422, "decimal places"),
        (await pay(owner, p, "0", (i, "0")), 422, "above zero"),
        (
            await owner.post(
                f"{API}/payments",
                json={
                    "direction": "incoming",
                    "partner_id": p,
                    "amount": 5.5,
                    "allocations": [{"invoice_id": i, "amount": 5.5}],
                },
            ),
            422,
            "float",
        ),
        (await pay(owner, p, "5.00", direction="incoming"), 400, "allocations"),
        (await pay(owner, foreign["partner_id"], "5.00", (i, "5.00")), 422, "partner_id"),
    ]
    for response, status, text in cases:
        assert response.status_code == status, (text, response.text)
        assert text in response.text, (text, response.text)
    assert await state(owner, i) == ("posted", Decimal("100.00"))
    assert (await owner.get(f"{API}/payments")).json()["items"] == []


async def test_a_foreign_payment_needs_a_rate_on_its_date(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    await set_rate(app_db, owner.tenant_id, "EUR", TODAY, "7.8000")
    customer = await partner(owner, currency="EUR")
    made = await posted(owner, customer["id"], line("10.00"))
    early = (TODAY - timedelta(days=5)).isoformat()
    refused = await pay(owner, customer["id"], "10.00", (made["id"], "10.00"), date=early)
    assert refused.status_code == 422, refused.text
    assert "no exchange rate for EUR" in refused.text


async def test_another_tenants_payment_is_not_found(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    owner = await books(client)
    customer = await partner(owner)
    made = await posted(owner, customer["id"], line("10.00"))
    paid = await pay(owner, customer["id"], "10.00", (made["id"], "10.00"))
    async with make_client(live_server) as other_client:
        other = await books(other_client)
        assert (await other.get(f"{API}/payments/{paid.json()['id']}")).status_code == 404


async def test_the_database_keeps_payments_as_written(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    customer = await partner(owner)
    made = await posted(owner, customer["id"], line("10.00"))
    paid = (await pay(owner, customer["id"], "10.00", (made["id"], "10.00"))).json()
    # No UPDATE is granted; DELETE is (for purging the module's data), and the trigger refuses it.
    for sql, refusal in (
        (
            "UPDATE accounting_payment SET amount = 1 WHERE id = $1",
            asyncpg.InsufficientPrivilegeError,
        ),
        ("DELETE FROM accounting_payment WHERE id = $1", asyncpg.IntegrityConstraintViolationError),
        (
            "DELETE FROM accounting_payment_allocation WHERE payment_id = $1",
            asyncpg.IntegrityConstraintViolationError,
        ),
    ):
        with pytest.raises(refusal):
            async with as_tenant(app_db, owner.tenant_id):
                await app_db.execute(sql, paid["id"])
    # Nothing more is allocated to a paid invoice, even behind the API's back.
    with pytest.raises(asyncpg.IntegrityConstraintViolationError):
        async with as_tenant(app_db, owner.tenant_id):
            await app_db.execute(
                "INSERT INTO accounting_payment_allocation "
                "(tenant_id, id, payment_id, invoice_id, amount, relieved_company) "
                "VALUES ($1, gen_random_uuid(), $2, $3, 1, 1)",
                owner.tenant_id, paid["id"], made["id"],
            )  # fmt: skip
    # A paid invoice cannot be cancelled or reopened, by the API or behind its back.
    assert (await owner.post(f"{API}/invoices/{made['id']}/cancel")).status_code == 409
    with pytest.raises(asyncpg.IntegrityConstraintViolationError):
        async with as_tenant(app_db, owner.tenant_id):
            await app_db.execute(
                "UPDATE accounting_invoice SET status = 'posted', residual = total WHERE id = $1",
                made["id"],
            )
