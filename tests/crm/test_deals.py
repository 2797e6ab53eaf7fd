"""CRM pipelines and deals over real HTTP, each test in tenants of its own."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import httpx

from tests.crm.test_accounts_contacts import account, crm_tenant, patch
from tests.support import LiveServer, join, make_client

DEALS, PIPELINES = "/api/v1/crm/deals", "/api/v1/crm/pipelines"


async def deal(who: Any, **fields: Any) -> dict[str, Any]:
    made = await who.post(
        DEALS, json={"name": "Big one", "amount": "1200.50", "currency": "EUR", **fields}
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def test_a_default_pipeline_is_seeded_and_deals_move_through_it(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    [sales] = (await owner.get(PIPELINES)).json()
    assert sales["is_default"] and sales["name"] == "Sales"
    assert [(s["name"], s["probability"]) for s in sales["stages"]] == [
        ("Qualification", 10),
        ("Needs analysis", 25),
        ("Proposal", 50),
        ("Negotiation", 75),
    ]
    acme = await account(owner, "Acme")
    made = await deal(owner, account_id=acme["id"], expected_close="2027-03-31")
    assert made["pipeline_id"] == sales["id"]
    assert made["stage_id"] == sales["stages"][0]["id"], "new deals start at the first stage"
    assert made["amount"] == "1200.50" and made["status"] == "open"
    moved = await patch(owner, f"{DEALS}/{made['id']}", {"stage_id": sales["stages"][2]["id"]})
    assert moved.status_code == 200, moved.text
    won = await owner.post(f"{DEALS}/{made['id']}/won")
    assert won.status_code == 200 and won.json()["status"] == "won" and won.json()["closed_at"]
    again = await owner.post(f"{DEALS}/{made['id']}/lost", json={"reason": "changed my mind"})
    assert again.status_code == 409, "a closed deal stays closed"
    assert (await patch(owner, f"{DEALS}/{made['id']}", {"amount": "1"})).status_code == 409
    other = await deal(owner)
    lost = await owner.post(f"{DEALS}/{other['id']}/lost", json={"reason": "Price"})
    assert lost.json()["lost_reason"] == "Price"
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        rows = await owner_db.fetch(
            "SELECT type, payload FROM event_outbox WHERE type LIKE 'crm.deal.%' ORDER BY id"
        )
    events = [(r["type"], json.loads(r["payload"])) for r in rows]
    assert [t for t, _ in events] == ["crm.deal.won", "crm.deal.lost"]
    assert events[0][1]["account_id"] == acme["id"] and events[0][1]["amount"] == "1200.50"
    assert events[1][1]["reason"] == "Price"
    listed = (await owner.get(DEALS, params={"status": "won"})).json()["items"]
    assert [d["id"] for d in listed] == [made["id"]]


async def test_bad_deals_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    second = await owner.post(
        PIPELINES,
        json={"name": "Renewals", "stages": [{"name": "Due", "probability": 60}]},
    )
    assert second.status_code == 201, second.text
    foreign_stage = second.json()["stages"][0]["id"]
    async with make_client(live_server) as other_client:
        other = await crm_tenant(other_client)
        their_account = await account(other, "Theirs")
    base = {"name": "D", "amount": "10", "currency": "EUR"}
    cases: list[tuple[dict[str, Any], str]] = [
        ({**base, "amount": "-1"}, "amount"),
        ({**base, "amount": "1.005"}, "amount"),
        ({**base, "amount": "NaN"}, "amount"),
        ({**base, "amount": "1e30"}, "amount"),
        ({**base, "currency": "euro"}, "currency"),
        ({**base, "stage_id": foreign_stage}, "stage_id"),
        ({**base, "stage_id": "01a21466-0000-7000-8000-000000000000"}, "stage_id"),
        ({**base, "pipeline_id": "01a21466-0000-7000-8000-000000000000"}, "pipeline_id"),
        ({**base, "account_id": their_account["id"]}, "account_id"),
        ({**base, "expected_close": "someday"}, "expected_close"),
        ({"amount": "10", "currency": "EUR"}, "name"),
    ]
    for body, field in cases:
        response = await owner.post(DEALS, json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert any(e["field"] == field for e in response.json()["errors"]), (body, response.text)
    assert (await owner.get(DEALS)).json()["items"] == []
    lost_without_reason = await owner.post(f"{DEALS}/{(await deal(owner))['id']}/lost", json={})
    assert lost_without_reason.status_code == 400
    bad_pipeline = await owner.post(
        PIPELINES, json={"name": "Dup", "stages": [{"name": "A", "probability": 101}]}
    )
    assert bad_pipeline.status_code in (400, 422)
    twice = await owner.post(
        PIPELINES,
        json={
            "name": "Twice",
            "stages": [{"name": "A", "probability": 1}, {"name": "a", "probability": 2}],
        },
    )
    assert twice.status_code == 422


async def test_reps_see_only_their_deals_and_cannot_make_pipelines(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as a, make_client(live_server) as b:
        rep = await join(live_server, owner, a)
        other_rep = await join(live_server, owner, b)
        mine, theirs = await deal(rep), await deal(other_rep)
        assert [d["id"] for d in (await rep.get(DEALS)).json()["items"]] == [mine["id"]]
        assert (await rep.get(f"{DEALS}/{theirs['id']}")).status_code == 404
        assert (await rep.post(f"{DEALS}/{theirs['id']}/won")).status_code == 404
        refused = await rep.post(
            PIPELINES, json={"name": "Mine", "stages": [{"name": "A", "probability": 5}]}
        )
        assert refused.status_code == 403
        assert len((await owner.get(DEALS)).json()["items"]) == 2


async def test_deals_filter_by_a_range_of_expected_close_days(client: httpx.AsyncClient) -> None:
    """What the calendar asks for a month: both ends included; a reversed range is refused."""
    owner = await crm_tenant(client)
    made = {
        day: (await deal(owner, name=f"Closes {day}", expected_close=day))["id"]
        for day in ("2027-02-28", "2027-03-01", "2027-03-31", "2027-04-01")
    }
    await deal(owner, name="No date")
    march = await owner.get(
        DEALS, params={"expected_close_from": "2027-03-01", "expected_close_to": "2027-03-31"}
    )
    assert march.status_code == 200, march.text
    assert {d["id"] for d in march.json()["items"]} == {made["2027-03-01"], made["2027-03-31"]}
    later = await owner.get(DEALS, params={"expected_close_from": "2027-03-31"})
    assert {d["id"] for d in later.json()["items"]} == {made["2027-03-31"], made["2027-04-01"]}
    reversed_range = await owner.get(
        DEALS, params={"expected_close_from": "2027-03-31", "expected_close_to": "2027-03-01"}
    )
    assert reversed_range.status_code == 422, reversed_range.text
    assert "expected_close_to" in reversed_range.text
    not_a_day = await owner.get(DEALS, params={"expected_close_from": "March"})
    assert not_a_day.status_code == 400
