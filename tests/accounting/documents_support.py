"""What the tests of partners, invoices and payments share: a tenant with accounting on, a
customer and a vendor, exchange rates, and invoices made and posted over HTTP."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import asyncpg
import httpx

from tests.accounting.support import accounting_tenant, as_tenant
from tests.support import SignedUp

API = "/api/v1/accounting"
TODAY = date.today()


async def books(client: httpx.AsyncClient) -> SignedUp:
    return await accounting_tenant(client)


async def partner(who: SignedUp, kind: str = "customer", **more: Any) -> dict[str, Any]:
    made = await who.post(
        f"{API}/partners", json={"name": f"{kind.title()} Ltd", "kind": kind, **more}
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def line(unit_price: str = "100.00", quantity: str = "1", **more: Any) -> dict[str, Any]:
    return {"description": "Consulting", "unit_price": unit_price, "quantity": quantity, **more}


async def invoice(
    who: SignedUp, partner_id: str, *lines: dict[str, Any], kind: str = "customer", **more: Any
) -> dict[str, Any]:
    made = await who.post(
        f"{API}/invoices",
        json={"kind": kind, "partner_id": partner_id, "lines": list(lines) or [line()], **more},
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def posted(
    who: SignedUp, partner_id: str, *lines: dict[str, Any], **more: Any
) -> dict[str, Any]:
    return await invoice(who, partner_id, *lines, post=True, **more)


async def set_rate(
    app_db: asyncpg.Connection, tenant_id: str, currency: str, day: date, rate: str
) -> None:
    """An exchange rate, written as the application's role would (the ledger's rate API may not
    be there yet; its table is)."""
    async with as_tenant(app_db, tenant_id):
        await app_db.execute(
            "INSERT INTO accounting_currency_rate (tenant_id, id, currency, date, rate) "
            "VALUES ($1, gen_random_uuid(), $2, $3, $4::numeric)",
            tenant_id, currency, day, rate,
        )  # fmt: skip


async def entry_lines(
    app_db: asyncpg.Connection, tenant_id: str, entry_id: str
) -> list[dict[str, Any]]:
    """An entry's lines with their accounts' codes, in order."""
    async with as_tenant(app_db, tenant_id):
        rows = await app_db.fetch(
            "SELECT a.code, l.debit, l.credit, l.amount_currency, l.currency, l.partner_id "
            "FROM accounting_line l JOIN accounting_account a "
            "ON a.tenant_id = l.tenant_id AND a.id = l.account_id "
            "WHERE l.entry_id = $1 ORDER BY l.sequence",
            entry_id,
        )
    return [dict(row) for row in rows]


async def events_of(app_db: asyncpg.Connection, tenant_id: str, kind: str) -> list[dict[str, Any]]:
    """The payloads of the tenant's events of a type, oldest first (from the outbox)."""
    async with as_tenant(app_db, tenant_id):
        rows = await app_db.fetch(
            "SELECT payload FROM event_outbox WHERE type = $1 ORDER BY id", kind
        )
    return [json.loads(row["payload"]) for row in rows]
