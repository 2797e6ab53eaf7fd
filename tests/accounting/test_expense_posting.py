"""Approved expense claims are posted by accounting (oa.expense.approved): expense debited per
category, employee payable credited, foreign lines converted at the rate table; once per claim;
without a rate the delivery is dead-lettered with a clear error."""

from __future__ import annotations

import json
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
from tests.accounting.support import API, ENTRIES
from tests.oa.expense_support import Office, act, category, claim, line, office, settle, submitted
from tests.support import LiveServer

EVENT = "oa.expense.approved"


async def deliver(
    server: LiveServer, owner_db: asyncpg.Connection, tenant_id: str, *, last_attempt: bool = True
) -> None:
    """Hand the tenant's approved-claim events to accounting's handler, as the worker does (on
    its last attempt: a failure is dead-lettered)."""
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        rows = await owner_db.fetch(
            "SELECT tenant_id, id, type, payload::text AS payload, occurred_at, actor_user_id "
            "FROM event_outbox WHERE type = $1 ORDER BY id",
            EVENT,
        )
    assert rows, "no approved claim to deliver"
    catalog = build_catalog(installed_plugins())
    database = Database(
        runtime_database_url(server.settings), pool_size=1, session_class=PlatformSession
    )
    runner = Runner(database, catalog, default_mailer(server.settings), server.settings)
    try:
        [key] = [k for k in catalog.handler_keys(EVENT) if k.startswith("accounting:")]
        for row in rows:
            message = event_as_message({**row, "payload": json.loads(row["payload"])})
            await runner.deliver([event_from_message(message, key)], key, last_attempt=last_attempt)
    finally:
        await database.dispose()


async def _enable_accounting(o: Office) -> None:
    enabled = await o.owner.post("/api/v1/modules/accounting/enable")
    assert enabled.status_code == 200, enabled.text


async def _approved_claim(
    server: LiveServer, owner_db: asyncpg.Connection, o: Office
) -> dict[str, Any]:
    taxi, hotel = await category(o.owner, "Taxi"), await category(o.owner, "Hotel")
    made = await claim(
        o.member,
        line(taxi["id"], "35.50"),
        line(taxi["id"], "14.50"),
        line(hotel["id"], "100.00", "USD", description="Hotel"),
    )
    await submitted(o.member, made["id"])
    await act(o.manager, "approve")
    for task in (await o.finance.get("/api/v1/workflow/inbox")).json()["items"]:
        await o.finance.post(f"/api/v1/workflow/tasks/{task['task']['id']}/approve")
    await settle(server, owner_db, o.owner.tenant_id)
    return made


async def _expense_entries(o: Office) -> list[dict[str, Any]]:
    found = await o.owner.get(ENTRIES, params={"source_type": "oa.expense_claim"})
    assert found.status_code == 200, found.text
    items: list[dict[str, Any]] = found.json()["items"]
    return [(await o.owner.get(f"{ENTRIES}/{e['id']}")).json() for e in items]


async def test_an_approved_claim_is_posted_once_at_the_rate_of_its_day(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        await _enable_accounting(o)
        rate_day = (datetime.now(UTC).date() - timedelta(days=3)).isoformat()
        entered = await o.owner.post(
            f"{API}/rates", json={"currency": "USD", "date": rate_day, "rate": "7.1234"}
        )
        assert entered.status_code == 201, entered.text
        made = await _approved_claim(live_server, owner_db, o)
        await deliver(live_server, owner_db, o.owner.tenant_id)
        # Delivered again (the worker's at-least-once), nothing is posted twice.
        async with owner_db.transaction():
            await owner_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", o.owner.tenant_id
            )
            await owner_db.execute("DELETE FROM event_delivery WHERE handler LIKE 'accounting:%'")
        await deliver(live_server, owner_db, o.owner.tenant_id)
        [entry] = await _expense_entries(o)
    assert (entry["journal"], entry["status"], entry["source_id"]) == ("EXP", "posted", made["id"])
    assert entry["number"].startswith("EXP/")
    lines = [
        (
            x["account_code"],
            x["label"],
            x["debit"],
            x["credit"],
            x["amount_currency"],
            x["currency"],
        )
        for x in entry["lines"]
    ]
    assert sorted(lines) == sorted([
        ("6200", "Taxi", "50.00", "0.00", None, None),
        ("6200", "Hotel", "712.34", "0.00", "100.000", "USD"),
        ("2200", "CNY", "0.00", "50.00", None, None),
        ("2200", "USD", "0.00", "712.34", "-100.000", "USD"),
    ])  # fmt: skip


async def test_without_a_rate_the_delivery_is_dead_lettered_naming_it(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        await _enable_accounting(o)
        await _approved_claim(live_server, owner_db, o)
        await deliver(live_server, owner_db, o.owner.tenant_id)
        assert await _expense_entries(o) == []
        async with owner_db.transaction():
            await owner_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", o.owner.tenant_id
            )
            dead = await owner_db.fetch("SELECT handler, error FROM event_dead_letter")
    assert len(dead) == 1
    assert dead[0]["handler"].startswith("accounting:")
    assert "no exchange rate for USD" in dead[0]["error"]
