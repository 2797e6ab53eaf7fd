"""CRM leads over real HTTP: the records, who sees them, and converting them."""

from __future__ import annotations

import json
import uuid
from typing import Any

import asyncpg
import httpx
from tessera_crm.leads import touch_lead

from tessera.db.engine import Database
from tessera.db.tenant_context import set_tenant
from tessera.runtime import runtime_database_url
from tests.crm.test_accounts_contacts import ACCOUNTS, CONTACTS, account, crm_tenant, patch
from tests.crm.test_deals import DEALS, PIPELINES
from tests.support import LiveServer, SignedUp, join, make_client, sign_up

LEADS = "/api/v1/crm/leads"
NOWHERE = "01a21466-0000-7000-8000-000000000000"


async def lead(who: SignedUp, last_name: str, **fields: Any) -> dict[str, Any]:
    made = await who.post(LEADS, json={"last_name": last_name, **fields})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def ids(who: SignedUp, path: str, **params: Any) -> list[str]:
    response = await who.get(path, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def events(db: asyncpg.Connection, tenant_id: str, like: str) -> list[tuple[str, Any]]:
    async with db.transaction():
        await db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        rows = await db.fetch(
            "SELECT type, payload FROM event_outbox WHERE type LIKE $1 ORDER BY id", like
        )
    return [(r["type"], json.loads(r["payload"])) for r in rows]


async def test_leads_round_trip(client: httpx.AsyncClient, owner_db: asyncpg.Connection) -> None:
    owner = await crm_tenant(client)
    ada = await lead(
        owner,
        "Lovelace",
        first_name="Ada",
        company="Analytical Engines Ltd",
        title="Countess",
        email="Ada@Engines.example",
        phone="+44 20 7946 0001",
        source="referral",
        tags=["hot", "HOT", "emea"],
    )
    assert ada["owner_id"] == owner.user_id and ada["status"] == "new"
    assert ada["tags"] == ["hot", "emea"]
    assert ada["last_touched_at"] and ada["converted_at"] is None
    assert (await owner.get(f"{LEADS}/{ada['id']}")).json() == ada
    changed = await patch(owner, f"{LEADS}/{ada['id']}", {"status": "contacted", "tags": ["vip"]})
    assert changed.status_code == 200, changed.text
    after = changed.json()
    assert after["status"] == "contacted" and after["tags"] == ["vip"]
    assert after["last_touched_at"] > ada["last_touched_at"], "its owner worked on it"
    [(kind, payload)] = await events(owner_db, owner.tenant_id, "crm.lead.%")
    assert kind == "crm.lead.created" and payload["source"] == "referral"
    assert (await owner.delete(f"{LEADS}/{ada['id']}")).status_code == 200
    assert (await owner.get(f"{LEADS}/{ada['id']}")).status_code == 404
    binned = (await owner.get("/api/v1/recycle-bin", params={"record_type": "crm_lead"})).json()
    [item] = binned["items"]
    assert (await owner.post(f"/api/v1/recycle-bin/{item['id']}/restore")).status_code == 200
    assert (await owner.get(f"{LEADS}/{ada['id']}")).json()["status"] == "contacted"


async def test_leads_are_searched_filtered_and_sorted(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    ada = await lead(owner, "Lovelace", first_name="Ada", company="Engines", source="web")
    grace = await lead(
        owner,
        "Hopper",
        first_name="Grace",
        company="Navy",
        email="grace@navy.example",
        tags=["cobol"],
    )
    alan = await lead(owner, "Turing", company="Bletchley", phone="+44 1908 640404", pool=True)
    await patch(owner, f"{LEADS}/{grace['id']}", {"status": "qualified"})
    assert await ids(owner, LEADS, q="lovel") == [ada["id"]]
    assert await ids(owner, LEADS, q="navy.example") == [grace["id"]]
    assert await ids(owner, LEADS, q="441908") == [alan["id"]]
    assert await ids(owner, LEADS, q="bletch") == [alan["id"]]
    assert await ids(owner, LEADS, status="qualified") == [grace["id"]]
    assert await ids(owner, LEADS, source="web") == [ada["id"]]
    assert await ids(owner, LEADS, tag="cobol") == [grace["id"]]
    assert await ids(owner, LEADS, pool="true") == [alan["id"]]
    assert await ids(owner, LEADS, pool="false") == [ada["id"], grace["id"]]
    assert await ids(owner, LEADS, owner="me") == [ada["id"], grace["id"]]
    assert await ids(owner, LEADS, sort="last_name") == [grace["id"], ada["id"], alan["id"]]
    assert await ids(owner, LEADS, sort="-company") == [grace["id"], ada["id"], alan["id"]]
    first = (await owner.get(LEADS, params={"sort": "last_name", "limit": 2})).json()
    rest = await ids(owner, LEADS, sort="last_name", limit=2, cursor=first["next_cursor"])
    assert [x["id"] for x in first["items"]] + rest == [grace["id"], ada["id"], alan["id"]]
    for params, status in (
        ({"status": "lost"}, 400),
        ({"source": "billboard"}, 400),
        ({"sort": "email"}, 422),
        ({"pool": "true", "owner": "me"}, 422),
        ({"owner": "someone"}, 422),
        ({"q": "!!!"}, 422),
    ):
        response = await owner.get(LEADS, params=params)
        assert response.status_code == status, (params, response.text)


async def test_possible_duplicates_among_leads_and_contacts(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    person = await owner.post(CONTACTS, json={"last_name": "Byron", "email": "lord@byron.example"})
    assert person.status_code == 201
    first = await lead(owner, "Shelley", phone="+44 20 7946 0000")
    again = await owner.post(
        LEADS,
        json={"last_name": "B.", "email": "LORD@byron.example", "phone": "0044 20 7946-0000"},
    )
    assert again.status_code == 409, again.text
    assert sorted(
        (d["kind"], d["id"], tuple(d["matched"])) for d in again.json()["duplicates"]
    ) == sorted([("contact", person.json()["id"], ("email",)), ("lead", first["id"], ("phone",))])
    assert len(await ids(owner, LEADS)) == 1, "nothing was written"
    anyway = await owner.post(
        LEADS, json={"last_name": "B.", "email": "lord@byron.example", "allow_duplicate": True}
    )
    assert anyway.status_code == 201


async def test_bad_leads_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as other_client:
        stranger = await crm_tenant(other_client)
        cases: list[tuple[dict[str, Any], str]] = [
            ({}, "last_name"),
            ({"last_name": ""}, "last_name"),
            ({"last_name": 7}, "last_name"),
            ({"last_name": "X", "source": "billboard"}, "source"),
            ({"last_name": "X", "status": "converted"}, "status"),
            ({"last_name": "X", "email": "nope"}, "email"),
            ({"last_name": "X", "phone": "call me"}, "phone"),
            ({"last_name": "X", "tags": ["t"] * 21}, "tags"),
            ({"last_name": "X", "owner_id": stranger.user_id}, "owner_id"),
            ({"last_name": "X", "owner_id": owner.user_id, "pool": True}, "owner_id"),
            ({"last_name": "X", "planet": "Mars"}, "planet"),
        ]
        for body, field in cases:
            response = await owner.post(LEADS, json=body)
            assert response.status_code in (400, 422), (body, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            errors = response.json()["errors"]
            assert any(e["field"] == field for e in errors), (body, response.text)
        assert await ids(owner, LEADS) == []
        made = await lead(owner, "Valid")
        for body, field in (({"status": "converted"}, "status"), ({"last_name": ""}, "last_name")):
            response = await patch(owner, f"{LEADS}/{made['id']}", body)
            assert response.status_code in (400, 422), (body, response.text)
            assert any(e["field"] == field for e in response.json()["errors"])
        assert (await owner.get(f"{LEADS}/{made['id']}")).json()["status"] == "new"
        assert (await stranger.get(f"{LEADS}/{made['id']}")).status_code == 404


async def test_reps_see_their_own_leads_and_the_pool(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as a, make_client(live_server) as b:
        rep = await join(live_server, owner, a)
        other = await join(live_server, owner, b)
        mine = await lead(rep, "Mine")
        theirs = await lead(other, "Theirs")
        pooled = await lead(other, "Pooled", pool=True)
        assert pooled["owner_id"] is None
        assert await ids(rep, LEADS) == [mine["id"], pooled["id"]]
        assert await ids(rep, LEADS, pool="true") == [pooled["id"]]
        path = f"{LEADS}/{theirs['id']}"
        assert (await rep.get(path)).status_code == 404
        assert (await patch(rep, path, {"notes": "x"})).status_code == 404
        assert (await rep.delete(path)).status_code == 404
        assert (await rep.post(f"{path}/convert", json={})).status_code == 404
        assert (await rep.get(f"{LEADS}/{pooled['id']}")).status_code == 200
        untouched = await patch(rep, f"{LEADS}/{pooled['id']}", {"notes": "mine now?"})
        assert untouched.status_code == 403, "a lead in the pool is claimed before it is changed"
        assert (await rep.delete(f"{LEADS}/{pooled['id']}")).status_code == 403
        handing = await rep.post(LEADS, json={"last_name": "Gift", "owner_id": other.user_id})
        assert handing.status_code == 403, "giving leads away needs crm.lead.assign"
        assert set(await ids(owner, LEADS)) == {mine["id"], theirs["id"], pooled["id"]}
        by_admin = await patch(owner, path, {"notes": "checked"})
        assert by_admin.status_code == 200
        assert by_admin.json()["last_touched_at"] == theirs["last_touched_at"], (
            "an admin's edit does not count as its owner's work"
        )
        given = await owner.post(LEADS, json={"last_name": "Gift", "owner_id": rep.user_id})
        assert given.status_code == 201 and given.json()["owner_id"] == rep.user_id


async def test_other_parts_of_the_crm_touch_a_lead(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    made = await lead(owner, "Touched")
    database = Database(runtime_database_url(live_server.settings), pool_size=1)
    try:
        async with database.transaction() as db:
            await set_tenant(db, uuid.UUID(owner.tenant_id))
            await touch_lead(db, uuid.UUID(made["id"]))
    finally:
        await database.dispose()
    after = (await owner.get(f"{LEADS}/{made['id']}")).json()
    assert after["last_touched_at"] > made["last_touched_at"]


async def test_lead_routes_are_not_there_without_the_module(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    assert (await owner.get(LEADS)).status_code == 404
    assert (await owner.get(f"{LEADS}/{NOWHERE}")).status_code == 404
    assert (await owner.post(LEADS, json={"last_name": "X"})).status_code == 404
    assert (await owner.post(f"{LEADS}/{NOWHERE}/convert", json={})).status_code == 404


# --- conversion ----------------------------------------------------------------------------


async def test_converting_makes_an_account_and_a_contact_named_after_the_lead(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    ada = await lead(
        owner,
        "Lovelace",
        first_name="Ada",
        company="Analytical Engines",
        title="Countess",
        email="ada@engines.example",
        tags=["hot"],
    )
    converted = await owner.post(f"{LEADS}/{ada['id']}/convert", json={})
    assert converted.status_code == 200, converted.text
    out = converted.json()
    assert out["account"]["name"] == "Analytical Engines"
    contact = out["contact"]
    assert (contact["first_name"], contact["last_name"], contact["title"]) == (
        "Ada",
        "Lovelace",
        "Countess",
    )
    assert contact["email"] == "ada@engines.example" and contact["tags"] == ["hot"]
    assert contact["account_id"] == out["account"]["id"] and out["deal"] is None
    done = out["lead"]
    assert done["status"] == "converted" and done["converted_at"]
    assert done["converted_account_id"] == out["account"]["id"]
    assert done["converted_contact_id"] == contact["id"] and done["converted_deal_id"] is None
    assert (await owner.get(f"{LEADS}/{ada['id']}")).json() == done
    for attempt in (
        patch(owner, f"{LEADS}/{ada['id']}", {"notes": "more"}),
        owner.post(f"{LEADS}/{ada['id']}/convert", json={}),
        owner.post(f"{LEADS}/{ada['id']}/release"),
        owner.post(f"{LEADS}/{ada['id']}/assign", json={"owner_id": owner.user_id}),
    ):
        assert (await attempt).status_code == 409, "a converted lead is read-only"
    kinds = [k for k, _ in await events(owner_db, owner.tenant_id, "crm.%")]
    assert kinds == ["crm.lead.created", "crm.account.created", "crm.lead.converted"]
    [(_, payload)] = await events(owner_db, owner.tenant_id, "crm.lead.converted")
    assert payload == {
        "lead_id": ada["id"],
        "account_id": out["account"]["id"],
        "contact_id": contact["id"],
        "deal_id": None,
        "owner_id": owner.user_id,
    }
    assert await ids(owner, LEADS, pool="true") == []
    # Deleting what the conversion made (the contact goes with its account) unlinks the lead.
    assert (await owner.delete(f"{ACCOUNTS}/{out['account']['id']}")).status_code == 200
    unlinked = (await owner.get(f"{LEADS}/{ada['id']}")).json()
    assert unlinked["status"] == "converted"
    assert unlinked["converted_account_id"] is None and unlinked["converted_contact_id"] is None


async def test_converting_into_an_existing_account_with_a_deal(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as a:
        rep = await join(live_server, owner, a)
        acme = await account(rep, "Acme")
        [sales] = (await rep.get(PIPELINES)).json()
        proposal = sales["stages"][2]["id"]
        grace = await lead(rep, "Hopper", first_name="Grace", phone="+1 555 0100")
        body = {
            "account": {"account_id": acme["id"]},
            "contact": {"title": "Rear Admiral"},
            "deal": {
                "name": "Compilers",
                "amount": "25000.00",
                "currency": "EUR",
                "stage_id": proposal,
                "expected_close": "2027-06-30",
            },
        }
        converted = await rep.post(f"{LEADS}/{grace['id']}/convert", json=body)
        assert converted.status_code == 200, converted.text
        out = converted.json()
        assert out["account"]["id"] == acme["id"]
        assert (
            out["contact"]["title"] == "Rear Admiral" and out["contact"]["phone"] == "+1 555 0100"
        )
        deal = out["deal"]
        assert (deal["name"], deal["amount"], deal["currency"]) == ("Compilers", "25000.00", "EUR")
        assert deal["stage_id"] == proposal and deal["account_id"] == acme["id"]
        assert deal["owner_id"] == rep.user_id and out["contact"]["owner_id"] == rep.user_id
        assert out["lead"]["converted_deal_id"] == deal["id"]
        assert await ids(rep, ACCOUNTS) == [acme["id"]], "no new account"
        [(_, payload)] = await events(owner_db, owner.tenant_id, "crm.lead.converted")
        assert payload["deal_id"] == deal["id"] and payload["owner_id"] == rep.user_id


async def test_a_converted_deal_takes_the_tenants_currency_and_the_first_stage(
    client: httpx.AsyncClient,
) -> None:
    owner = await crm_tenant(client)
    rules = {"lead_pool_days": 30, "discount_threshold": "15", "default_currency": "CHF"}
    assert (
        await owner.client.put("/api/v1/crm/settings", json=rules, headers=owner.headers)
    ).is_success
    made = await lead(owner, "Curie", company="Radium SA")
    body = {"account": {"name": "Institut du Radium", "industry": "Science"}, "deal": {}}
    converted = await owner.post(f"{LEADS}/{made['id']}/convert", json=body)
    assert converted.status_code == 200, converted.text
    out = converted.json()
    assert out["account"]["name"] == "Institut du Radium"
    assert out["account"]["industry"] == "Science"
    [sales] = (await owner.get(PIPELINES)).json()
    deal = out["deal"]
    assert (deal["name"], deal["amount"], deal["currency"]) == ("Institut du Radium", "0.00", "CHF")
    assert deal["stage_id"] == sales["stages"][0]["id"]


async def test_bad_conversions_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as other_client:
        stranger = await crm_tenant(other_client)
        theirs = await account(stranger, "Their account")
        [their_pipeline] = (await stranger.get(PIPELINES)).json()
    nameless = await lead(owner, "Nobody")
    named = await lead(owner, "Somebody", company="Some Co")
    cases: list[tuple[dict[str, Any], dict[str, Any], str]] = [
        (nameless, {}, "account.name"),
        (named, {"account": {"account_id": theirs["id"]}}, "account.account_id"),
        (named, {"account": {"account_id": NOWHERE}}, "account.account_id"),
        (named, {"account": {"account_id": theirs["id"], "name": "X"}}, "account.account_id"),
        (named, {"account": {"name": ""}}, "account.name"),
        (named, {"account": {"website": "ftp://x"}}, "account.website"),
        (named, {"contact": {"email": "nope"}}, "contact.email"),
        (named, {"contact": {"last_name": ""}}, "contact.last_name"),
        (named, {"deal": {"amount": "-5"}}, "deal.amount"),
        (named, {"deal": {"amount": "1.001"}}, "deal.amount"),
        (named, {"deal": {"amount": "lots"}}, "deal.amount"),
        (named, {"deal": {"currency": "euro"}}, "deal.currency"),
        (named, {"deal": {"stage_id": NOWHERE}}, "deal.stage_id"),
        (named, {"deal": {"stage_id": their_pipeline["stages"][0]["id"]}}, "deal.stage_id"),
        (named, {"deal": {"pipeline_id": their_pipeline["id"]}}, "deal.pipeline_id"),
        (named, {"deal": {"expected_close": "soon"}}, "deal.expected_close"),
        (named, {"deal": {"probability": 5}}, "deal"),
        (named, {"account": "Acme"}, "account"),
    ]
    for made, body, field in cases:
        response = await owner.post(f"{LEADS}/{made['id']}/convert", json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert any(e["field"] == field for e in response.json()["errors"]), (body, response.text)
    # An account of the same name exists: a warning, and still nothing written.
    await account(owner, "Some Co")
    twin = await owner.post(f"{LEADS}/{named['id']}/convert", json={"deal": {"amount": "5"}})
    assert twin.status_code == 409 and twin.json()["duplicates"], twin.text
    assert len(await ids(owner, ACCOUNTS)) == 1
    assert await ids(owner, CONTACTS) == [] and await ids(owner, DEALS) == []
    for made in (nameless, named):
        assert (await owner.get(f"{LEADS}/{made['id']}")).json()["status"] == "new"
    assert await events(owner_db, owner.tenant_id, "crm.lead.converted") == []
    anyway = await owner.post(
        f"{LEADS}/{named['id']}/convert", json={"account": {"allow_duplicate": True}}
    )
    assert anyway.status_code == 200, anyway.text
    assert len(await ids(owner, ACCOUNTS)) == 2
