"""Merging duplicate accounts and contacts over real HTTP: values completed, every link moved,
the duplicate in the recycle bin (and restorable), one transaction."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import httpx
from tessera_crm.merging import links_to
from tessera_crm.models import Account, Contact

from tests.crm.test_accounts_contacts import ACCOUNTS, CONTACTS, account, crm_tenant
from tests.crm.test_deals import DEALS, deal
from tests.crm.test_import import count
from tests.support import LiveServer, SignedUp, join, make_client


async def contact(who: SignedUp, last_name: str, **fields: Any) -> dict[str, Any]:
    made = await who.post(CONTACTS, json={"last_name": last_name, **fields})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def test_links_are_read_from_the_metadata_of_every_loaded_model() -> None:
    to_accounts = {(t.name, c.name) for t, c in links_to(Account)}
    assert {("crm_contact", "account_id"), ("crm_deal", "account_id")} <= to_accounts
    assert ("crm_contact", "account_id") not in {(t.name, c.name) for t, c in links_to(Contact)}


async def test_merging_accounts_moves_every_link_and_bins_the_duplicate(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    keep = await account(
        owner, "Acme", tags=["key"], notes="Main record.", address={"city": "Springfield"}
    )
    twin = await account(
        owner,
        "ACME Inc.",
        allow_duplicate=True,
        website="https://acme.example",
        email="hello@acme.example",
        industry="Tools",
        tags=["Key", "emea"],
        notes="Met at the fair.",
        address={"city": "Shelbyville", "country": "US"},
    )
    async with make_client(live_server) as rep_client:
        rep = await join(live_server, owner, rep_client)
        # The rep's deal on the duplicate moves too, though the rep cannot see either account.
        handed = await deal(owner, name="Rep's deal", account_id=twin["id"], owner_id=rep.user_id)
    ada = await contact(owner, "Lovelace", account_id=twin["id"])
    grace = await contact(owner, "Hopper", account_id=twin["id"])
    own = await contact(owner, "Turing", account_id=keep["id"])
    big = await deal(owner, name="Big one", account_id=twin["id"])
    merged = await owner.post(f"{ACCOUNTS}/{keep['id']}/merge", json={"duplicate_id": twin["id"]})
    assert merged.status_code == 200, merged.text
    body = merged.json()
    survivor = body["record"]
    assert survivor["id"] == keep["id"] and survivor["name"] == "Acme", "the survivor's own name"
    assert survivor["website"] == "https://acme.example" and survivor["industry"] == "Tools"
    assert survivor["email"] == "hello@acme.example"
    assert survivor["tags"] == ["key", "emea"]
    assert survivor["notes"] == "Main record.\n\nMerged from ACME Inc.:\nMet at the fair."
    assert survivor["address"]["city"] == "Springfield" and survivor["address"]["country"] == "US"
    assert body["moved"] == {"crm_contact.account_id": 2, "crm_deal.account_id": 2}
    of_survivor = (await owner.get(CONTACTS, params={"account_id": keep["id"]})).json()["items"]
    assert {c["id"] for c in of_survivor} == {ada["id"], grace["id"], own["id"]}
    for moved_deal in (big, handed):
        assert (await owner.get(f"{DEALS}/{moved_deal['id']}")).json()["account_id"] == keep["id"]
    assert (await owner.get(f"{ACCOUNTS}/{twin['id']}")).status_code == 404
    twice = await owner.post(f"{ACCOUNTS}/{keep['id']}/merge", json={"duplicate_id": twin["id"]})
    assert twice.status_code == 404
    # Found again by its email: the survivor's duplicate keys were brought up to date.
    again = await owner.post(ACCOUNTS, json={"name": "Other", "email": "HELLO@acme.example"})
    assert again.status_code == 409 and again.json()["duplicates"][0]["id"] == keep["id"]

    binned = (await owner.get("/api/v1/recycle-bin", params={"record_type": "crm_account"})).json()
    [item] = binned["items"]
    assert item["records"] == 1, "nothing went to the bin with the duplicate: its links moved"
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        event = await owner_db.fetchval(
            "SELECT payload FROM event_outbox WHERE type = 'crm.account.merged'"
        )
        trail = await owner_db.fetch(
            "SELECT action, record_type, record_id, changes, request_id FROM audit_entry "
            "WHERE request_id = (SELECT request_id FROM audit_entry WHERE action = 'merge')"
            " ORDER BY seq"
        )
    facts = json.loads(event)
    assert facts["account_id"] == keep["id"] and facts["merged_id"] == twin["id"]
    assert facts["moved"] == body["moved"]
    actions = [(r["action"], r["record_type"]) for r in trail]
    assert ("update", "crm_account") in actions and ("delete", "crm_account") in actions
    assert (
        actions.count(("update", "crm_contact")) == 2 and actions.count(("update", "crm_deal")) == 2
    )
    assert actions[-1] == ("merge", "crm_account"), "one request, one trail, the merge last"

    restored = await owner.post(f"/api/v1/recycle-bin/{item['id']}/restore")
    assert restored.status_code == 200, restored.text
    back = (await owner.get(f"{ACCOUNTS}/{twin['id']}")).json()
    assert back["name"] == "ACME Inc."
    assert (await owner.get(CONTACTS, params={"account_id": twin["id"]})).json()["items"] == []
    assert await count(owner_db, owner, "crm_account") == 2


async def test_merging_contacts(client: httpx.AsyncClient, owner_db: asyncpg.Connection) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    keep = await contact(owner, "Lovelace", email="ada@example.com")
    twin = await contact(
        owner,
        "Lovelace",
        first_name="Ada",
        title="Countess",
        phone="+44 20 7946 0000",
        account_id=acme["id"],
        tags=["math"],
        allow_duplicate=True,
    )
    merged = await owner.post(f"{CONTACTS}/{keep['id']}/merge", json={"duplicate_id": twin["id"]})
    assert merged.status_code == 200, merged.text
    survivor = merged.json()["record"]
    assert (survivor["first_name"], survivor["title"], survivor["account_id"]) == (
        "Ada", "Countess", acme["id"],
    )  # fmt: skip
    assert survivor["email"] == "ada@example.com" and survivor["phone"] == "+44 20 7946 0000"
    assert survivor["tags"] == ["math"] and merged.json()["moved"] == {}
    assert await count(owner_db, owner, "crm_contact") == 1
    binned = await owner.get("/api/v1/recycle-bin", params={"record_type": "crm_contact"})
    assert [i["record_id"] for i in binned.json()["items"]] == [twin["id"]]


async def test_bad_merges_are_refused_and_change_nothing(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    first = await account(owner, "First")
    second = await account(owner, "Second")
    person = await contact(owner, "Lovelace")
    async with make_client(live_server) as other_client, make_client(live_server) as rep_client:
        other = await crm_tenant(other_client)
        foreign = await account(other, "Theirs")
        rep = await join(live_server, owner, rep_client)
        reps = await account(rep, "Rep's")
        cases: list[tuple[SignedUp, str, Any, int]] = [
            (owner, first["id"], {"duplicate_id": first["id"]}, 422),
            (owner, first["id"], {"duplicate_id": foreign["id"]}, 404),
            (owner, foreign["id"], {"duplicate_id": first["id"]}, 404),
            (owner, first["id"], {"duplicate_id": person["id"]}, 404),
            (owner, first["id"], {"duplicate_id": "0192f0c4-0000-7000-8000-000000000000"}, 404),
            (owner, first["id"], {"duplicate_id": "not-a-uuid"}, 400),
            (owner, first["id"], {}, 400),
            (owner, first["id"], {"duplicate_id": second["id"], "keep": "both"}, 400),
            (rep, reps["id"], {"duplicate_id": first["id"]}, 404),
            (rep, first["id"], {"duplicate_id": reps["id"]}, 404),
            (other, first["id"], {"duplicate_id": second["id"]}, 404),
        ]
        for who, survivor, body, status in cases:
            response = await who.post(f"{ACCOUNTS}/{survivor}/merge", json=body)
            assert response.status_code == status, (body, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
        contact_into_account = await owner.post(
            f"{CONTACTS}/{person['id']}/merge", json={"duplicate_id": first["id"]}
        )
        assert contact_into_account.status_code == 404
    assert await count(owner_db, owner, "crm_account") == 3
    assert await count(owner_db, owner, "crm_contact") == 1
    assert (await owner.get("/api/v1/recycle-bin")).json()["items"] == []
