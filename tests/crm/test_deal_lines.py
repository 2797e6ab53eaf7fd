"""A deal's lines: its amount follows them, a won deal carries them to the ERP, and the sales
order the ERP announces is linked back to the deal."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from tessera_crm.sales_orders import link_order

from tessera.db.engine import asyncpg_url
from tessera.db.tenant_context import set_tenant
from tessera.plugin import Event, HandlerContext
from tessera.runtime import runtime_database_url
from tests.crm.test_accounts_contacts import account, crm_tenant, patch
from tests.support import LiveServer

DEALS = "/api/v1/crm/deals"
LINES = [
    {"sku": "WID-1", "description": "Widget", "quantity": "3", "unit_price": "100.00"},
    {"description": "Set-up", "quantity": "1.5", "unit_price": "80.00", "discount": "10"},
]


async def _deal(owner: Any, **fields: Any) -> dict[str, Any]:
    made = await owner.post(DEALS, json={"name": "Lined", "currency": "CNY", **fields})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def test_a_deals_amount_is_its_lines_total(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    made = await _deal(owner, lines=LINES)
    # 3 * 100 + 1.5 * 80 * 0.9 = 300 + 108
    assert made["amount"] == "408.00"
    assert [(line["position"], line["sku"], line["amount"]) for line in made["lines"]] == [
        (1, "WID-1", "300.00"),
        (2, None, "108.00"),
    ]
    assert (await owner.get(f"{DEALS}/{made['id']}")).json()["lines"] == made["lines"]
    listed = (await owner.get(DEALS)).json()["items"]
    assert listed[0]["lines"] is None, "lists leave lines out"
    changed = await patch(owner, f"{DEALS}/{made['id']}", {"lines": LINES[:1]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["amount"] == "300.00" and len(changed.json()["lines"]) == 1
    cleared = await patch(owner, f"{DEALS}/{made['id']}", {"lines": [], "amount": "250.00"})
    assert cleared.json()["lines"] == [] and cleared.json()["amount"] == "250.00"
    plain = await _deal(owner, amount="99.00")
    assert plain["amount"] == "99.00" and plain["lines"] == []


async def test_bad_lines_are_refused_by_name_and_nothing_changes(
    client: httpx.AsyncClient,
) -> None:
    owner = await crm_tenant(client)
    made = await _deal(owner, lines=LINES)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"lines": [{**LINES[0], "quantity": "0"}]}, "lines[0].quantity"),
        ({"lines": [LINES[0], {**LINES[1], "unit_price": "1.005"}]}, "lines[1].unit_price"),
        ({"lines": [{**LINES[0], "discount": "120"}]}, "lines[0].discount"),
        ({"lines": [{**LINES[0], "description": "   "}]}, "lines[0].description"),
        ({"lines": [{**LINES[0], "quantity": "1.00001"}]}, "lines[0].quantity"),
        ({"lines": LINES, "amount": "1.00"}, "amount"),
    ]
    for body, field in cases:
        refused = await patch(owner, f"{DEALS}/{made['id']}", body)
        assert refused.status_code == 422, (body, refused.text)
        assert field in [e["field"] for e in refused.json()["errors"]], refused.text
    missing = await owner.post(DEALS, json={"name": "No amount", "currency": "CNY"})
    assert missing.status_code == 422
    too_many = await patch(owner, f"{DEALS}/{made['id']}", {"lines": [LINES[0]] * 201})
    assert too_many.status_code in (400, 422)
    after = (await owner.get(f"{DEALS}/{made['id']}")).json()
    assert after["amount"] == "408.00" and len(after["lines"]) == 2


async def test_a_won_deal_carries_its_account_and_lines_and_is_linked_to_its_order(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    made = await _deal(owner, account_id=acme["id"], lines=LINES)
    assert (await owner.post(f"{DEALS}/{made['id']}/won")).status_code == 200
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        payload = json.loads(
            await owner_db.fetchval("SELECT payload FROM event_outbox WHERE type = 'crm.deal.won'")
        )
    assert payload["account_name"] == "Acme"
    assert [(line["sku"], line["quantity"], line["unit_price"]) for line in payload["lines"]] == [
        ("WID-1", "3.0000", "100.00"),
        (None, "1.5000", "80.00"),
    ]

    # What the sales module announces once it has drafted the order, handled as the worker would.
    order_id = uuid.uuid4()
    tenant = uuid.UUID(owner.tenant_id)
    engine = create_async_engine(asyncpg_url(runtime_database_url(live_server.settings)))
    try:
        async with AsyncSession(engine) as db, db.begin():
            await set_tenant(db, tenant)
            event = Event(
                id=uuid.uuid4(),
                type="sales_purchase.order.created",
                tenant_id=tenant,
                payload={
                    "deal_id": made["id"],
                    "order_id": str(order_id),
                    "number": "Q/2026/00001",
                },
                occurred_at=datetime.now(UTC),
                actor_user_id=None,
                delivery_key="test",
            )
            await link_order(event, HandlerContext(db=db, tenant_id=tenant))
    finally:
        await engine.dispose()
    linked = (await owner.get(f"{DEALS}/{made['id']}")).json()
    assert linked["sales_order_id"] == str(order_id)
    assert linked["sales_order_number"] == "Q/2026/00001"
