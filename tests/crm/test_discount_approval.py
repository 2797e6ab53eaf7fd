"""Discount approval of deals over real HTTP, through the platform's workflow engine.

Each test builds its own sales team: the owner, an admin, a rep and the rep's manager. Enabling
the CRM installs the default "Deal discount approval" workflow: the rep's manager approves; the
admins too when the discount exceeds 30%. The engine's outcome reaches the deal through its
events; ``settle`` hands them to the CRM's handlers as a worker would.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg
import httpx

from tessera.db.engine import Database
from tessera.jobs.actors import event_as_message, event_from_message
from tessera.jobs.catalog import build_catalog
from tessera.jobs.runner import Runner
from tessera.modules.registry import installed_plugins
from tessera.recycle.capture import PlatformSession
from tessera.runtime import default_mailer, runtime_database_url
from tests.crm.test_accounts_contacts import crm_tenant, patch
from tests.crm.test_deals import DEALS, deal
from tests.support import LiveServer, SignedUp, join, make_client

WORKFLOW = "/api/v1/workflow"
SETTINGS = "/api/v1/crm/settings"


@dataclass
class Team:
    owner: SignedUp
    admin: SignedUp
    rep: SignedUp
    manager: SignedUp


async def membership(owner: SignedUp, who: SignedUp) -> str:
    items = (await owner.get("/api/v1/members", params={"limit": 200})).json()["items"]
    return str(next(m["id"] for m in items if m["user_id"] == who.user_id))


@contextlib.asynccontextmanager
async def team(live_server: LiveServer) -> AsyncIterator[Team]:
    async with (
        make_client(live_server) as a,
        make_client(live_server) as b,
        make_client(live_server) as c,
        make_client(live_server) as d,
    ):
        owner = await crm_tenant(a)
        admin = await join(live_server, owner, b, role="admin")
        rep = await join(live_server, owner, c)
        manager = await join(live_server, owner, d)
        managed = await patch(
            owner,
            f"/api/v1/members/{await membership(owner, rep)}",
            {"manager_id": await membership(owner, manager)},
        )
        assert managed.status_code == 200, managed.text
        yield Team(owner, admin, rep, manager)


async def settle(server: LiveServer, owner_db: asyncpg.Connection, tenant_id: str) -> None:
    """Deliver the tenant's approval events to the CRM's handlers, as the worker does.

    Deliveries are recorded, so calling it again hands over only what is new.
    """
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
                if key.startswith("crm:"):
                    event = event_from_message(message, key)
                    await runner.deliver([event], key, last_attempt=True)
    finally:
        await database.dispose()


async def tasks_of(who: SignedUp) -> list[dict[str, Any]]:
    response = await who.get(f"{WORKFLOW}/inbox")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def act(who: SignedUp, action: str) -> None:
    [item] = await tasks_of(who)
    assert item["record_type"] == "crm.deal"
    response = await who.post(f"{WORKFLOW}/tasks/{item['task']['id']}/{action}")
    assert response.status_code == 200, response.text


async def submit(who: SignedUp, deal_id: str) -> httpx.Response:
    return await who.post(f"{DEALS}/{deal_id}/submit-for-approval")


async def current(who: SignedUp, deal_id: str) -> dict[str, Any]:
    response = await who.get(f"{DEALS}/{deal_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_discount_within_the_threshold_is_won_directly(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    for discount in ("0", "10", "15"):
        made = await deal(owner, discount=discount)
        assert Decimal(made["discount"]) == Decimal(discount) and made["approval"] == "none"
        refused = await submit(owner, made["id"])
        assert refused.status_code == 409, refused.text
        assert "needs no approval" in refused.json()["detail"]
        won = await owner.post(f"{DEALS}/{made['id']}/won")
        assert won.status_code == 200, won.text


async def test_a_larger_discount_is_won_once_the_manager_approves(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with team(live_server) as t:
        made = await deal(t.rep, discount="20", amount="1000.00")
        refused = await t.rep.post(f"{DEALS}/{made['id']}/won")
        assert refused.status_code == 409, refused.text
        problem = refused.json()
        assert "needs approval" in problem["detail"] and "20.00%" in problem["detail"]
        assert problem["approval"] == "none" and problem["discount_threshold"] == "15.00"

        submitted = await submit(t.rep, made["id"])
        assert submitted.status_code == 200, submitted.text
        assert submitted.json()["approval"] == "pending"
        assert (await submit(t.rep, made["id"])).status_code == 409, "one request at a time"
        # The engine guards the price while the request is pending; other fields stay open.
        locked = await patch(t.rep, f"{DEALS}/{made['id']}", {"discount": "10"})
        assert locked.status_code == 409, locked.text
        assert "discount" in locked.json()["detail"]
        renamed = await patch(t.rep, f"{DEALS}/{made['id']}", {"name": "Renamed"})
        assert renamed.status_code == 200, renamed.text
        pending = await t.rep.post(f"{DEALS}/{made['id']}/won")
        assert pending.status_code == 409 and pending.json()["approval"] == "pending"

        assert await tasks_of(t.admin) == [], "20% is not above 30%: the admins' step is skipped"
        await act(t.manager, "approve")
        await settle(live_server, owner_db, t.owner.tenant_id)
        assert (await current(t.rep, made["id"]))["approval"] == "approved"
        won = await t.rep.post(f"{DEALS}/{made['id']}/won")
        assert won.status_code == 200, won.text
        assert won.json()["status"] == "won"


async def test_above_thirty_percent_the_admins_approve_too(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with team(live_server) as t:
        made = await deal(t.rep, discount="40")
        assert (await submit(t.rep, made["id"])).status_code == 200
        await act(t.manager, "approve")
        await settle(live_server, owner_db, t.owner.tenant_id)
        assert (await current(t.rep, made["id"]))["approval"] == "pending"
        assert (await t.rep.post(f"{DEALS}/{made['id']}/won")).status_code == 409
        await act(t.admin, "approve")
        await settle(live_server, owner_db, t.owner.tenant_id)
        assert (await current(t.rep, made["id"]))["approval"] == "approved"
        assert (await t.rep.post(f"{DEALS}/{made['id']}/won")).status_code == 200


async def test_a_rejected_discount_keeps_the_deal_from_being_won(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with team(live_server) as t:
        made = await deal(t.rep, discount="25")
        assert (await submit(t.rep, made["id"])).status_code == 200
        await act(t.manager, "reject")
        await settle(live_server, owner_db, t.owner.tenant_id)
        assert (await current(t.rep, made["id"]))["approval"] == "rejected"
        refused = await t.rep.post(f"{DEALS}/{made['id']}/won")
        assert refused.status_code == 409 and "rejected" in refused.json()["detail"]
        listed = (await t.rep.get(DEALS, params={"approval": "rejected"})).json()["items"]
        assert [d["id"] for d in listed] == [made["id"]]
        # Asked again, the manager approves this time.
        assert (await submit(t.rep, made["id"])).json()["approval"] == "pending"
        await act(t.manager, "approve")
        await settle(live_server, owner_db, t.owner.tenant_id)
        assert (await t.rep.post(f"{DEALS}/{made['id']}/won")).status_code == 200


async def test_changing_the_price_of_an_approved_deal_voids_the_approval(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with team(live_server) as t:
        made = await deal(t.rep, discount="20")
        assert (await submit(t.rep, made["id"])).status_code == 200
        await act(t.manager, "approve")
        await settle(live_server, owner_db, t.owner.tenant_id)
        renamed = await patch(t.rep, f"{DEALS}/{made['id']}", {"name": "Same price"})
        assert renamed.json()["approval"] == "approved", "a change of name voids nothing"
        same = await patch(t.rep, f"{DEALS}/{made['id']}", {"amount": made["amount"]})
        assert same.json()["approval"] == "approved", "nor does the same amount again"
        changed = await patch(t.rep, f"{DEALS}/{made['id']}", {"amount": "99999.00"})
        assert changed.status_code == 200 and changed.json()["approval"] == "none"
        assert (await t.rep.post(f"{DEALS}/{made['id']}/won")).status_code == 409
        # The approval's events delivered again (at least once, in any order) change nothing.
        async with owner_db.transaction():
            await owner_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", t.owner.tenant_id
            )
            await owner_db.execute("DELETE FROM event_delivery WHERE handler LIKE 'crm:%'")
        await settle(live_server, owner_db, t.owner.tenant_id)
        assert (await current(t.rep, made["id"]))["approval"] == "none"


async def test_a_request_made_through_the_workflow_api_reaches_the_deal(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with team(live_server) as t:
        made = await deal(t.rep, discount="20")
        started = await t.rep.post(
            f"{WORKFLOW}/submissions", json={"record_type": "crm.deal", "record_id": made["id"]}
        )
        assert started.status_code == 201, started.text
        assert (await current(t.rep, made["id"]))["approval"] == "none"
        await settle(live_server, owner_db, t.owner.tenant_id)
        assert (await current(t.rep, made["id"]))["approval"] == "pending"
        await act(t.manager, "approve")
        await settle(live_server, owner_db, t.owner.tenant_id)
        assert (await t.rep.post(f"{DEALS}/{made['id']}/won")).status_code == 200


async def test_the_threshold_is_the_tenants_to_change(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    made = await deal(owner, discount="20")
    assert (await owner.post(f"{DEALS}/{made['id']}/won")).status_code == 409
    rules = {"lead_pool_days": 30, "default_currency": "USD"}
    async with make_client(live_server) as other:
        rep = await join(live_server, owner, other)
        forbidden = await rep.client.put(
            SETTINGS, json={**rules, "discount_threshold": "50"}, headers=rep.headers
        )
        assert forbidden.status_code == 403
    for bad in ("101", "-1", "lots", "1.234", "NaN"):
        refused = await owner.client.put(
            SETTINGS, json={**rules, "discount_threshold": bad}, headers=owner.headers
        )
        assert refused.status_code in (400, 422), refused.text
    raised = await owner.client.put(
        SETTINGS, json={**rules, "discount_threshold": "20"}, headers=owner.headers
    )
    assert raised.status_code == 200, raised.text
    assert (await owner.post(f"{DEALS}/{made['id']}/won")).status_code == 200
    stricter = await deal(owner, discount="20.01")
    assert (await owner.post(f"{DEALS}/{stricter['id']}/won")).status_code == 409


async def test_bad_discounts_and_requests_are_refused(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    base = {"name": "D", "amount": "10", "currency": "EUR"}
    for discount in ("-1", "100.01", "12.345", "NaN", "lots", None):
        response = await owner.post(DEALS, json={**base, "discount": discount})
        assert response.status_code in (400, 422), (discount, response.text)
        assert response.json()["errors"][0]["field"] == "discount", response.text
    assert (await owner.get(DEALS)).json()["items"] == []
    made = await deal(owner, discount="100")
    assert made["discount"] == "100.00"
    changed = await patch(owner, f"{DEALS}/{made['id']}", {"discount": "101"})
    assert changed.status_code == 422
    assert (await current(owner, made["id"]))["discount"] == "100.00"
    # The owner has no manager: the default workflow's first step finds no approver.
    no_manager = await submit(owner, made["id"])
    assert no_manager.status_code == 422, no_manager.text
    assert (await current(owner, made["id"]))["approval"] == "none", "nothing was written"
    assert (await submit(owner, str(uuid.uuid4()))).status_code == 404
    async with make_client(live_server) as other_client:
        other = await crm_tenant(other_client)
        assert (await submit(other, made["id"])).status_code == 404, "another tenant's deal"
    lost = await deal(owner, discount="50")
    assert (await owner.post(f"{DEALS}/{lost['id']}/lost", json={"reason": "Price"})).is_success
    assert (await submit(owner, lost["id"])).status_code == 409, "a closed deal"
