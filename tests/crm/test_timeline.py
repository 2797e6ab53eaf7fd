"""The customer timeline: the account's story newest first, paged exactly, open to other modules
through the tessera_timeline hook (proven with the notes test plugin, on and off)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx

from tests.crm.test_accounts_contacts import ACCOUNTS, CONTACTS, account, crm_tenant, patch
from tests.crm.test_activities import activity
from tests.crm.test_deals import deal
from tests.crm.test_tickets import ticket
from tests.support import LiveServer, SignedUp, join, make_client


def timeline(account_id: str) -> str:
    return f"{ACCOUNTS}/{account_id}/timeline"


async def entries(who: SignedUp, account_id: str, **params: Any) -> list[dict[str, Any]]:
    response = await who.get(timeline(account_id), params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def all_pages(who: SignedUp, account_id: str, limit: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        response = await who.get(timeline(account_id), params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit
        found += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def kinds(items: list[dict[str, Any]]) -> list[str]:
    return [item["kind"] for item in items]


async def test_the_timeline_tells_the_accounts_story_newest_first(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    elsewhere = await account(owner, "Elsewhere")
    person = await owner.post(
        CONTACTS, json={"first_name": "Grace", "last_name": "Hopper", "account_id": acme["id"]}
    )
    won = await deal(owner, name="Renewal", account_id=acme["id"])
    await owner.post(f"/api/v1/crm/deals/{won['id']}/won")
    call = await activity(owner, "contact", person.json()["id"], body="Happy with us")
    opened = await ticket(owner, "Invoice wrong", account_id=acme["id"])
    await patch(owner, f"/api/v1/crm/tickets/{opened['id']}", {"status": "resolved"})
    lost = await deal(owner, name="Upsell", account_id=acme["id"])
    await owner.post(f"/api/v1/crm/deals/{lost['id']}/lost", json={"reason": "Budget"})
    await activity(owner, "account", elsewhere["id"], subject="Not about Acme")

    items = await entries(owner, acme["id"])
    assert kinds(items) == [
        "crm.deal.lost",
        "crm.deal.created",
        "crm.ticket.resolved",
        "crm.ticket.opened",
        "crm.activity.call",
        "crm.deal.won",
        "crm.deal.created",
        "crm.contact.added",
    ]
    assert [item["at"] for item in items] == sorted((item["at"] for item in items), reverse=True)
    assert {item["module"] for item in items} == {"crm"}
    by_kind = {item["kind"]: item for item in items}
    assert by_kind["crm.deal.lost"]["title"] == "Deal lost: Upsell"
    assert by_kind["crm.deal.lost"]["detail"] == "Budget"
    assert by_kind["crm.deal.won"]["detail"] == "1200.50 EUR"
    assert by_kind["crm.contact.added"]["title"] == "Contact added: Grace Hopper"
    assert by_kind["crm.activity.call"]["record_id"] == call["id"]
    assert by_kind["crm.activity.call"]["record_type"] == "crm.activity"
    assert by_kind["crm.activity.call"]["detail"] == "Happy with us"
    assert by_kind["crm.ticket.opened"]["detail"] == "normal priority"

    for limit in (1, 3, 7):
        assert await all_pages(owner, acme["id"], limit) == items, limit
    async with make_client(live_server) as other_client:
        other = await crm_tenant(other_client)
        assert (await other.get(timeline(acme["id"]))).status_code == 404
    assert (await owner.get(timeline(str(uuid.uuid4())))).status_code == 404
    for params in ({"cursor": "bogus"}, {"limit": 0}, {"limit": 1000}):
        response = await owner.get(timeline(acme["id"]), params=params)
        assert response.status_code in (400, 422), (params, response.text)


async def test_pages_end_exactly_between_entries_of_the_same_instant(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    for n in range(5):
        made = await owner.post(CONTACTS, json={"last_name": f"Twin {n}", "account_id": acme["id"]})
        assert made.status_code == 201, made.text
        await activity(owner, "account", acme["id"], subject=f"Call {n}")
    # Rows written in one transaction share now(): an import makes such ties.
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        for table in ("crm_contact", "crm_activity"):
            await owner_db.execute(f"UPDATE {table} SET created_at = '2027-01-01T00:00:00Z'")
    items = await entries(owner, acme["id"])
    assert len(items) == 10
    for limit in (1, 2, 3, 4):
        paged = await all_pages(owner, acme["id"], limit)
        assert paged == items, limit


async def test_other_modules_add_entries_only_while_the_tenant_has_them_on(
    client: httpx.AsyncClient,
) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    other = await account(owner, "Other")
    assert (await owner.post("/api/v1/modules/notes/enable")).status_code == 200
    mention = await owner.post(
        "/api/v1/notes/notes",
        json={"title": "Met Acme at the fair", "body": f"See account {acme['id']} for details"},
    )
    assert mention.status_code == 201, mention.text
    await owner.post("/api/v1/notes/notes", json={"title": "Unrelated", "body": other["id"]})
    await activity(owner, "account", acme["id"], subject="Called after the fair")

    items = await entries(owner, acme["id"])
    assert kinds(items) == ["crm.activity.call", "notes.note.mentioned"]
    [from_notes] = [item for item in items if item["module"] == "notes"]
    assert from_notes == {
        "at": from_notes["at"],
        "kind": "notes.note.mentioned",
        "title": "Met Acme at the fair",
        "detail": f"See account {acme['id']} for details",
        "record_type": "notes.note",
        "record_id": mention.json()["id"],
        "module": "notes",
    }
    assert await all_pages(owner, acme["id"], 1) == items

    assert (await owner.post("/api/v1/modules/notes/disable")).status_code == 200
    assert [item["module"] for item in await entries(owner, acme["id"])] == ["crm"]
    assert (await owner.post("/api/v1/modules/notes/enable")).status_code == 200
    assert len(await entries(owner, acme["id"])) == 2, "enabling again brings them back"


async def test_each_entry_follows_its_own_record_rule(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as rep_client:
        rep = await join(live_server, owner, rep_client)
        shared = await account(owner, "Shared", owner_id=rep.user_id)
        await activity(owner, "account", shared["id"], subject="The owner's call")
        await ticket(owner, "The owner's ticket", account_id=shared["id"])
        await activity(rep, "account", shared["id"], subject="The rep's call")
        seen_by_rep = await entries(rep, shared["id"])
        assert [item["title"] for item in seen_by_rep] == ["The rep's call"]
        seen_by_owner = await entries(owner, shared["id"])
        assert {item["title"] for item in seen_by_owner} == {
            "The rep's call",
            "Ticket opened: The owner's ticket",
            "The owner's call",
        }


async def test_other_modules_tell_what_they_know_of_an_account_while_switched_on(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    facts = f"{ACCOUNTS}/{acme['id']}/facts"
    assert (await owner.get(facts)).json() == [], "no module knows anything yet"
    assert (await owner.post("/api/v1/modules/notes/enable")).status_code == 200
    for title in ("Met Acme", "Acme again"):
        made = await owner.post("/api/v1/notes/notes", json={"title": title, "body": acme["id"]})
        assert made.status_code == 201, made.text
    [fact] = (await owner.get(facts)).json()
    assert fact == {
        "label": "Notes about it",
        "value": "2",
        "tone": "normal",
        "record_type": None,
        "record_id": None,
        "module": "notes",
    }
    assert (await owner.post("/api/v1/modules/notes/disable")).status_code == 200
    assert (await owner.get(facts)).json() == []
    async with make_client(live_server) as other_client:
        stranger = await crm_tenant(other_client)
        assert (await stranger.get(facts)).status_code == 404
