"""What the expense tests share: a tenant's people, categories, claims, receipts, the engine's
events handed to OA's handlers as a worker would, and a look at what the database holds."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from tessera.db.engine import Database
from tessera.jobs.actors import event_as_message, event_from_message
from tessera.jobs.catalog import build_catalog
from tessera.jobs.runner import Runner
from tessera.modules.registry import installed_plugins
from tessera.recycle.capture import PlatformSession
from tessera.runtime import default_mailer, runtime_database_url
from tests.oa.support import oa_tenant, set_manager
from tests.support import LiveServer, SignedUp, join, make_client

EXPENSES = "/api/v1/oa/expenses"
CATEGORIES = f"{EXPENSES}/categories"
CLAIMS = f"{EXPENSES}/claims"
LINES = f"{EXPENSES}/lines"
ADVANCES = f"{EXPENSES}/advances"
RECEIPTS = f"{EXPENSES}/receipts"
WORKFLOW = "/api/v1/workflow"
#: The tables whose rows of a tenant "nothing written" compares, besides the audit trail.
TABLES = (
    "oa_expense_category",
    "oa_expense_advance",
    "oa_expense_claim",
    "oa_expense_line",
    "stored_file",
    "event_outbox",
    "workflow_instance",
    "audit_entry",
)


@dataclass
class Office:
    """A tenant with expenses on: the owner, an admin (finance, by the default workflow), a
    member who claims, and the member's manager."""

    owner: SignedUp
    finance: SignedUp
    member: SignedUp
    manager: SignedUp


@contextlib.asynccontextmanager
async def office(server: LiveServer) -> AsyncIterator[Office]:
    async with (
        make_client(server) as a,
        make_client(server) as b,
        make_client(server) as c,
        make_client(server) as d,
    ):
        owner = await oa_tenant(a)
        finance = await join(server, owner, b, role="admin")
        member = await join(server, owner, c)
        manager = await join(server, owner, d)
        await set_manager(owner, member.user_id, manager.user_id)
        yield Office(owner, finance, member, manager)


def yesterday() -> str:
    return (datetime.now(UTC).date() - timedelta(days=1)).isoformat()


async def category(who: SignedUp, name: str, **rules: Any) -> dict[str, Any]:
    made = await who.post(CATEGORIES, json={"name": name, **rules})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def line(category_id: str, amount: str, currency: str = "CNY", **more: Any) -> dict[str, Any]:
    return {
        "category_id": category_id,
        "spent_on": more.pop("spent_on", yesterday()),
        "amount": amount,
        "currency": currency,
        "description": more.pop("description", "Taxi"),
        **more,
    }


async def claim(who: SignedUp, *lines: dict[str, Any], **fields: Any) -> dict[str, Any]:
    made = await who.post(CLAIMS, json={"title": "Trip", "lines": list(lines), **fields})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def receipt(who: SignedUp, name: str = "taxi.pdf", content: bytes = b"%PDF-1.4 r") -> str:
    stored = await who.client.post(
        RECEIPTS,
        params={"filename": name},
        content=content,
        headers={**who.headers, "Content-Type": "application/pdf"},
    )
    assert stored.status_code == 201, stored.text
    return str(stored.json()["id"])


async def act(
    who: SignedUp, action: str, record_type: str = "oa.expense_claim", record_id: str | None = None
) -> None:
    """The one open task of ``who`` on a record of ``record_type`` (that record, if named),
    decided."""
    inbox = await who.get(f"{WORKFLOW}/inbox")
    assert inbox.status_code == 200, inbox.text
    [task] = [
        item
        for item in inbox.json()["items"]
        if item["record_type"] == record_type and record_id in (None, item["record_id"])
    ]
    done = await who.post(f"{WORKFLOW}/tasks/{task['task']['id']}/{action}")
    assert done.status_code == 200, done.text


async def inbox_of(who: SignedUp) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (await who.get(f"{WORKFLOW}/inbox")).json()["items"]
    return items


async def settle(server: LiveServer, owner_db: asyncpg.Connection, tenant_id: str) -> None:
    """Deliver the tenant's approval events to OA's handlers, as the worker does; a handler
    that fails fails the test. Deliveries are recorded, so a second call hands over only what
    is new."""
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        rows = await owner_db.fetch(
            "SELECT tenant_id, id, type, payload::text AS payload, occurred_at, actor_user_id "
            "FROM event_outbox WHERE type LIKE 'tessera.approval.%' ORDER BY id"
        )
    catalog = build_catalog(installed_plugins())
    database = Database(
        runtime_database_url(server.settings), pool_size=1, session_class=PlatformSession
    )
    runner = Runner(database, catalog, default_mailer(server.settings), server.settings)
    try:
        for row in rows:
            message = event_as_message({**row, "payload": json.loads(row["payload"])})
            for key in catalog.handler_keys(row["type"]):
                if key.startswith("oa:"):
                    event = event_from_message(message, key)
                    await runner.deliver([event], key, last_attempt=False)
    finally:
        await database.dispose()


async def events(
    owner_db: asyncpg.Connection, tenant_id: str, event_type: str
) -> list[dict[str, Any]]:
    """The payloads of the tenant's events of one type in the outbox, oldest first."""
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        rows = await owner_db.fetch(
            "SELECT payload::text AS payload FROM event_outbox WHERE type = $1 ORDER BY id",
            event_type,
        )
    return [json.loads(row["payload"]) for row in rows]


async def counts(owner_db: asyncpg.Connection, tenant_id: str) -> dict[str, int]:
    """How many rows of the tenant each table holds: equal before and after = nothing written."""
    found = {}
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        for table in TABLES:
            found[table] = await owner_db.fetchval(
                f"SELECT count(*) FROM {table} WHERE tenant_id = $1::uuid", tenant_id
            )
    return found


async def fetch(who: SignedUp, path: str) -> dict[str, Any]:
    response = await who.get(path)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def submitted(who: SignedUp, claim_id: str) -> dict[str, Any]:
    response = await who.post(f"{CLAIMS}/{claim_id}/submit")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def paid_advance(
    office: Office,
    server: LiveServer,
    owner_db: asyncpg.Connection,
    amount: str = "500.00",
    currency: str = "CNY",
) -> dict[str, Any]:
    """A cash advance of the member's, approved by their manager and paid by finance."""
    made = await office.member.post(ADVANCES, json={"amount": amount, "currency": currency})
    assert made.status_code == 201, made.text
    advance_id = made.json()["id"]
    sent = await office.member.post(f"{ADVANCES}/{advance_id}/submit")
    assert sent.status_code == 200, sent.text
    await act(office.manager, "approve", "oa.expense_advance")
    await settle(server, owner_db, office.owner.tenant_id)
    paid = await office.finance.post(f"{ADVANCES}/{advance_id}/pay", json={"reference": "C-1"})
    assert paid.status_code == 200, paid.text
    body: dict[str, Any] = paid.json()
    assert body["status"] == "paid"
    return body
