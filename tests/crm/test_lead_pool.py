"""The lead pool: claiming (one winner), releasing, assigning, and the return-to-pool rule run
by the real scheduler and worker."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg
import httpx
import pytest

from tessera.db.engine import plain_url
from tessera.jobs.actors import declare_actors
from tessera.jobs.broker import make_broker
from tessera.jobs.catalog import build_catalog
from tessera.jobs.runner import Runner
from tessera.jobs.scheduler import Scheduler
from tessera.modules.registry import installed_plugins
from tessera.runtime import dispatch_database_url
from tessera.settings import Settings
from tests.crm.test_accounts_contacts import crm_tenant, patch
from tests.crm.test_leads import LEADS, NOWHERE, events, ids, lead
from tests.events.conftest import StackFactory, stacks  # noqa: F401  (the fixture)
from tests.events_support import Stack, wait_until
from tests.support import LiveServer, SignedUp, join, make_client

RULE = "crm.leads.return_to_pool"


async def membership_id(owner: SignedUp, who: SignedUp) -> str:
    members = (await owner.get("/api/v1/members", params={"limit": 200})).json()["items"]
    return str(next(m["id"] for m in members if m["user_id"] == who.user_id))


async def notifications(who: SignedUp, kind: str) -> list[dict[str, Any]]:
    response = await who.get("/api/v1/notifications")
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["type"] == kind]


async def test_of_concurrent_claims_exactly_one_wins(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as a, make_client(live_server) as b:
        reps = [await join(live_server, owner, a), await join(live_server, owner, b)]
        pooled = [(await lead(owner, f"Pooled {i}", pool=True))["id"] for i in range(6)]
        claims = [(rep, lead_id) for lead_id in pooled for rep in reps]
        answers = await asyncio.gather(
            *(rep.post(f"{LEADS}/{lead_id}/claim") for rep, lead_id in claims)
        )
        for lead_id in pooled:
            mine = [
                (rep, answer)
                for (rep, claimed), answer in zip(claims, answers, strict=True)
                if claimed == lead_id
            ]
            codes = sorted(answer.status_code for _, answer in mine)
            assert codes == [200, 409], [answer.text for _, answer in mine]
            [winner] = [rep for rep, answer in mine if answer.status_code == 200]
            now = (await owner.get(f"{LEADS}/{lead_id}")).json()
            assert now["owner_id"] == winner.user_id
        claimed = await events(owner_db, owner.tenant_id, "crm.lead.claimed")
        assert sorted(p["lead_id"] for _, p in claimed) == sorted(pooled), "one event per lead"
        assert await ids(owner, LEADS, pool="true") == []


async def test_claiming_needs_a_lead_in_the_pool(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as a, make_client(live_server) as b:
        rep, other = await join(live_server, owner, a), await join(live_server, owner, b)
        theirs = await lead(other, "Theirs")
        assert (await rep.post(f"{LEADS}/{theirs['id']}/claim")).status_code == 409
        assert (await other.post(f"{LEADS}/{theirs['id']}/claim")).status_code == 409
        assert (await owner.post(f"{LEADS}/{theirs['id']}/claim")).status_code == 409
        assert (await rep.post(f"{LEADS}/{NOWHERE}/claim")).status_code == 404
        pooled = await lead(owner, "Pooled", pool=True)
        claimed = await rep.post(f"{LEADS}/{pooled['id']}/claim")
        assert claimed.status_code == 200 and claimed.json()["owner_id"] == rep.user_id
        assert claimed.json()["last_touched_at"] > pooled["last_touched_at"]
        assert (await patch(rep, f"{LEADS}/{pooled['id']}", {"notes": "on it"})).status_code == 200
        assert (await other.get(f"{LEADS}/{pooled['id']}")).status_code == 404, "owned now"
        assert (await owner.get(f"{LEADS}/{theirs['id']}")).json()["owner_id"] == other.user_id


async def test_owners_managers_and_admins_release_leads(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    async with (
        make_client(live_server) as a,
        make_client(live_server) as b,
        make_client(live_server) as c,
    ):
        rep, other = await join(live_server, owner, a), await join(live_server, owner, b)
        manager = await join(live_server, owner, c)
        team_lead = await owner.post(
            "/api/v1/roles",
            json={
                "name": "Team lead",
                "grants": [
                    {"permission": "crm.lead.read", "scope": "team"},
                    {"permission": "crm.lead.write", "scope": "team"},
                ],
            },
        )
        assert team_lead.status_code == 201, team_lead.text
        roles = await owner.client.put(
            f"/api/v1/members/{await membership_id(owner, manager)}/roles",
            json={"role_ids": [team_lead.json()["id"]]},
            headers=owner.headers,
        )
        assert roles.status_code == 200, roles.text
        reports = await patch(
            owner,
            f"/api/v1/members/{await membership_id(owner, rep)}",
            {"manager_id": await membership_id(owner, manager)},
        )
        assert reports.status_code == 200, reports.text
        first, second, third = [await lead(rep, f"Lead {i}") for i in range(3)]
        outsider = await lead(other, "Outside the team")

        assert (await other.post(f"{LEADS}/{first['id']}/release")).status_code == 404
        assert (await manager.post(f"{LEADS}/{outsider['id']}/release")).status_code == 404
        released = await rep.post(f"{LEADS}/{first['id']}/release")
        assert released.status_code == 200, released.text
        assert released.json()["owner_id"] is None and released.json()["returned_to_pool_at"]
        assert (await rep.post(f"{LEADS}/{first['id']}/release")).status_code == 409
        assert (await manager.post(f"{LEADS}/{second['id']}/release")).status_code == 200
        assert (await owner.post(f"{LEADS}/{third['id']}/release")).status_code == 200
        assert set(await ids(other, LEADS, pool="true")) == {first["id"], second["id"], third["id"]}
        released_events = await events(owner_db, owner.tenant_id, "crm.lead.released")
        assert [p["previous_owner_id"] for _, p in released_events] == [rep.user_id] * 3


async def test_admins_assign_leads_and_the_new_owner_hears_of_it(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with (
        make_client(live_server) as a,
        make_client(live_server) as b,
        make_client(live_server) as c,
    ):
        rep, other = await join(live_server, owner, a), await join(live_server, owner, b)
        admin = await join(live_server, owner, c, role="admin")
        pooled = await lead(owner, "Pooled", first_name="Paula", pool=True)
        path = f"{LEADS}/{pooled['id']}/assign"
        refused = await rep.post(path, json={"owner_id": rep.user_id})
        assert refused.status_code == 403, "reps claim; they do not assign"
        for body, status in (
            ({"owner_id": NOWHERE}, 422),
            ({"owner_id": "me"}, 400),
            ({}, 400),
        ):
            response = await admin.post(path, json=body)
            assert response.status_code == status, (body, response.text)
        assert (await owner.get(f"{LEADS}/{pooled['id']}")).json()["owner_id"] is None
        given = await admin.post(path, json={"owner_id": rep.user_id})
        assert given.status_code == 200 and given.json()["owner_id"] == rep.user_id
        [told] = await notifications(rep, "crm.lead_assigned")
        assert "Paula Pooled" in told["title"] and told["link"] == f"/crm/leads/{pooled['id']}"
        moved = await admin.post(path, json={"owner_id": other.user_id})
        assert moved.status_code == 200
        assert (await rep.get(f"{LEADS}/{pooled['id']}")).status_code == 404
        nowhere = await admin.post(f"{LEADS}/{NOWHERE}/assign", json={"owner_id": rep.user_id})
        assert nowhere.status_code == 404


# --- the return-to-pool rule, through the real scheduler and worker -----------------------


async def backdate(stack: Stack, tenant_id: str, lead_ids: list[str], days: int) -> None:
    conn = await stack.connect(tenant_id)
    try:
        await conn.execute(
            "UPDATE crm_lead SET last_touched_at = now() - make_interval(days => $2) "
            "WHERE id = ANY($1::uuid[])",
            lead_ids,
            days,
        )
    finally:
        await conn.close()


async def set_pool_days(who: SignedUp, days: int) -> None:
    rules = {"lead_pool_days": days, "discount_threshold": "15", "default_currency": "USD"}
    response = await who.client.put("/api/v1/crm/settings", json=rules, headers=who.headers)
    assert response.status_code == 200, response.text


async def rule_runs(stack: Stack, tenant_id: str) -> int:
    rows = await stack.fetch(tenant_id, "SELECT 1 FROM job_run WHERE schedule = $1", RULE)
    return len(rows)


async def dispatch_next_period(stack: Stack) -> None:
    """What the scheduler does an hour later: the rule's next run, for every tenant."""
    settings = Settings(
        env="test", database_url=stack.owner_url, queue_prefix=stack.prefix, secret_key="x" * 40
    )
    broker = make_broker(settings)

    async def no_runner() -> Runner:
        raise AssertionError("the scheduler only sends")

    try:
        actors = declare_actors(broker, settings, no_runner)
        url = plain_url(dispatch_database_url(settings))
        later = time.time() + 3600

        async def connect() -> asyncpg.Connection:
            return await asyncpg.connect(url)

        scheduler = Scheduler(
            connect, actors, build_catalog(installed_plugins()), clock=lambda: later
        )
        conn = await connect()
        try:
            await scheduler.tick(conn)
        finally:
            await conn.close()
    finally:
        broker.close()


@pytest.mark.timeout(240)
async def test_untouched_leads_go_back_to_the_pool_on_schedule(
    stacks: StackFactory,  # noqa: F811
) -> None:
    stack = stacks.new(None, start=False)
    web = stack.start_web()
    async with make_client(web) as a, make_client(web) as b, make_client(web) as c:
        owner = await crm_tenant(a)
        rep = await join(web, owner, b)
        await set_pool_days(owner, 3)
        stale = await lead(rep, "Stale", first_name="Sam")
        fresh = await lead(rep, "Fresh")
        done = await lead(rep, "Done", company="Done Co")
        assert (await rep.post(f"{LEADS}/{done['id']}/convert", json={})).status_code == 200
        await backdate(stack, owner.tenant_id, [stale["id"], done["id"]], days=4)
        await backdate(stack, owner.tenant_id, [fresh["id"]], days=2)
        # Another tenant switched the rule off: its forgotten lead stays with its owner.
        off = await crm_tenant(c)
        await set_pool_days(off, 0)
        kept = await lead(off, "Kept")
        await backdate(stack, off.tenant_id, [kept["id"]], days=400)

        stack.start_dispatcher()
        stack.start_worker()

        async def returned() -> bool:
            now = (await rep.get(f"{LEADS}/{stale['id']}")).json()
            return now["owner_id"] is None and now["returned_to_pool_at"] is not None

        await wait_until(returned, within=90)
        [told] = await notifications(rep, "crm.lead_returned")
        assert "Sam Stale" in told["title"] and told["link"] == f"/crm/leads/{stale['id']}"
        assert await ids(rep, LEADS, pool="true") == [stale["id"]]
        assert (await rep.get(f"{LEADS}/{fresh['id']}")).json()["owner_id"] == rep.user_id
        converted = (await rep.get(f"{LEADS}/{done['id']}")).json()
        assert converted["owner_id"] == rep.user_id and converted["status"] == "converted"
        await wait_until(lambda: rule_runs(stack, off.tenant_id), within=60)
        assert (await off.get(f"{LEADS}/{kept['id']}")).json()["owner_id"] == off.user_id

        # The next hour's run finds nothing more to return: one event, one notification.
        await dispatch_next_period(stack)

        async def ran_twice() -> bool:
            return await rule_runs(stack, owner.tenant_id) >= 2

        await wait_until(ran_twice, within=60)
        rows = await stack.fetch(
            owner.tenant_id, "SELECT payload FROM event_outbox WHERE type = 'crm.lead.returned'"
        )
        assert len(rows) == 1 and stale["id"] in rows[0]["payload"]
        assert len(await notifications(rep, "crm.lead_returned")) == 1
