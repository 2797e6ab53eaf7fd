"""CRM accounts and contacts over real HTTP, each test in tenants of its own."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support import LiveServer, SignedUp, join, make_client, sign_up

ACCOUNTS, CONTACTS = "/api/v1/crm/accounts", "/api/v1/crm/contacts"


async def crm_tenant(client: httpx.AsyncClient) -> SignedUp:
    owner = await sign_up(client)
    enabled = await owner.post("/api/v1/modules/crm/enable")
    assert enabled.status_code == 200, enabled.text
    return owner


async def account(who: SignedUp, name: str, **fields: Any) -> dict[str, Any]:
    made = await who.post(ACCOUNTS, json={"name": name, **fields})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def patch(who: SignedUp, path: str, body: dict[str, Any]) -> httpx.Response:
    return await who.client.patch(path, json=body, headers=who.headers)


async def test_accounts_and_contacts_round_trip(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    acme = await account(
        owner,
        "Acme Corp",
        website="https://acme.example",
        email="Sales@Acme.example",
        phone="+1 (555) 010-0000",
        industry="Manufacturing",
        address={"city": "Springfield", "country": "US"},
        tags=["key", "Key", "emea"],
    )
    assert acme["owner_id"] == owner.user_id
    assert acme["tags"] == ["key", "emea"], "repeats dropped, first spelling kept"
    assert acme["address"]["city"] == "Springfield"
    person = await owner.post(
        CONTACTS,
        json={
            "first_name": "Ada",
            "last_name": "Lovelace",
            "account_id": acme["id"],
            "email": "ada@acme.example",
        },
    )
    assert person.status_code == 201, person.text
    contact_id = person.json()["id"]
    changed = await patch(
        owner, f"{ACCOUNTS}/{acme['id']}", {"industry": "Robotics", "tags": ["vip"]}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["industry"] == "Robotics" and changed.json()["tags"] == ["vip"]
    of_account = (await owner.get(CONTACTS, params={"account_id": acme["id"]})).json()["items"]
    assert [c["id"] for c in of_account] == [contact_id]
    found = (await owner.get(ACCOUNTS, params={"q": "acme"})).json()["items"]
    assert [a["id"] for a in found] == [acme["id"]]
    assert (await owner.get(ACCOUNTS, params={"q": "nothing like it"})).json()["items"] == []
    assert [
        a["id"] for a in (await owner.get(ACCOUNTS, params={"tag": "vip"})).json()["items"]
    ] == [acme["id"]]


async def test_deleting_an_account_takes_its_contacts_and_restore_brings_them_back(
    client: httpx.AsyncClient,
) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    made = await owner.post(CONTACTS, json={"last_name": "Hopper", "account_id": acme["id"]})
    assert made.status_code == 201
    assert (await owner.delete(f"{ACCOUNTS}/{acme['id']}")).status_code == 200
    assert (await owner.get(f"{CONTACTS}/{made.json()['id']}")).status_code == 404
    binned = (await owner.get("/api/v1/recycle-bin", params={"record_type": "crm_account"})).json()
    [item] = binned["items"]
    assert item["records"] == 2, "the account and its contact"
    assert (await owner.post(f"/api/v1/recycle-bin/{item['id']}/restore")).status_code == 200
    assert (await owner.get(f"{CONTACTS}/{made.json()['id']}")).json()["account_id"] == acme["id"]


async def test_possible_duplicates_are_named_before_anything_is_created(
    client: httpx.AsyncClient,
) -> None:
    owner = await crm_tenant(client)
    first = await account(owner, "ACME, Inc.", email="hello@acme.example")
    again = await owner.post(ACCOUNTS, json={"name": "Acme"})
    assert again.status_code == 409, again.text
    problem = again.json()
    assert problem["duplicates"] == [
        {"id": first["id"], "label": "ACME, Inc.", "matched": ["name"]}
    ]
    by_email = await owner.post(ACCOUNTS, json={"name": "Other", "email": "HELLO@acme.example"})
    assert by_email.json()["duplicates"][0]["matched"] == ["email"]
    assert len((await owner.get(ACCOUNTS)).json()["items"]) == 1, "nothing was written"
    anyway = await owner.post(ACCOUNTS, json={"name": "Acme", "allow_duplicate": True})
    assert anyway.status_code == 201
    person = await owner.post(CONTACTS, json={"last_name": "Byron", "phone": "+44 20 7946 0000"})
    assert person.status_code == 201
    twin = await owner.post(CONTACTS, json={"last_name": "B.", "phone": "0044 (20) 7946-0000"})
    assert twin.status_code == 409
    assert twin.json()["duplicates"][0]["matched"] == ["phone"]


async def test_bad_input_is_refused_and_writes_nothing(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as other_client:
        other = await crm_tenant(other_client)
        foreign = await account(other, "Their account")
    # 400 when the body does not parse into its shape, 422 when a value breaks a rule.
    cases: list[tuple[str, dict[str, Any], str]] = [
        (ACCOUNTS, {"name": ""}, "name"),
        (ACCOUNTS, {}, "name"),
        (ACCOUNTS, {"name": 42}, "name"),
        (ACCOUNTS, {"name": "X", "email": "not-an-email"}, "email"),
        (ACCOUNTS, {"name": "X", "phone": "call me"}, "phone"),
        (ACCOUNTS, {"name": "X", "website": "javascript:alert(1)"}, "website"),
        (ACCOUNTS, {"name": "X", "tags": ["t"] * 21}, "tags"),
        (ACCOUNTS, {"name": "X", "owner_id": other.user_id}, "owner_id"),
        (ACCOUNTS, {"name": "X", "address": {"planet": "Mars"}}, "address"),
        (ACCOUNTS, {"name": "X" * 201}, "name"),
        (CONTACTS, {"last_name": "Y", "account_id": foreign["id"]}, "account_id"),
        (CONTACTS, {"first_name": "only"}, "last_name"),
    ]
    for path, body, field in cases:
        response = await owner.post(path, json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert any(e["field"] == field for e in response.json()["errors"]), (body, response.text)
    assert (await owner.get(ACCOUNTS)).json()["items"] == []
    assert (await owner.get(CONTACTS)).json()["items"] == []
    assert (await owner.get(f"{ACCOUNTS}/{foreign['id']}")).status_code == 404
    bad_owner = await owner.get(ACCOUNTS, params={"owner": "somebody"})
    assert bad_owner.status_code == 422


async def test_reps_reach_their_own_records_admins_everyones(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with (
        make_client(live_server) as a,
        make_client(live_server) as b,
        make_client(live_server) as c,
    ):
        rep = await join(live_server, owner, a)
        other_rep = await join(live_server, owner, b)
        admin = await join(live_server, owner, c, role="admin")
        mine = await account(rep, "Mine")
        theirs = await account(other_rep, "Theirs")
        assert [x["id"] for x in (await rep.get(ACCOUNTS)).json()["items"]] == [mine["id"]]
        assert (await rep.get(f"{ACCOUNTS}/{theirs['id']}")).status_code == 404
        assert (await patch(rep, f"{ACCOUNTS}/{theirs['id']}", {"notes": "x"})).status_code == 404
        assert (await rep.delete(f"{ACCOUNTS}/{theirs['id']}")).status_code == 404
        linked = await rep.post(CONTACTS, json={"last_name": "Z", "account_id": theirs["id"]})
        assert linked.status_code == 422, "another rep's account is not there to link to"
        seen = {x["id"] for x in (await admin.get(ACCOUNTS)).json()["items"]}
        assert seen == {mine["id"], theirs["id"]}
        mine_only = (await admin.get(ACCOUNTS, params={"owner": "me"})).json()["items"]
        assert mine_only == []
        handed = await patch(admin, f"{ACCOUNTS}/{theirs['id']}", {"owner_id": rep.user_id})
        assert handed.status_code == 200
        assert {x["id"] for x in (await rep.get(ACCOUNTS)).json()["items"]} == seen


async def test_crm_routes_are_not_there_without_the_module(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    for path in (ACCOUNTS, CONTACTS, f"{ACCOUNTS}/0192f0c4-0000-7000-8000-000000000000"):
        assert (await owner.get(path)).status_code == 404
    assert (await owner.post(ACCOUNTS, json={"name": "X"})).status_code == 404


async def test_lists_page_with_a_cursor(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    made = [(await account(owner, f"Company {i}"))["id"] for i in range(5)]
    first = (await owner.get(ACCOUNTS, params={"limit": 2})).json()
    second = (await owner.get(ACCOUNTS, params={"limit": 2, "cursor": first["next_cursor"]})).json()
    third = (await owner.get(ACCOUNTS, params={"limit": 2, "cursor": second["next_cursor"]})).json()
    seen = [a["id"] for page in (first, second, third) for a in page["items"]]
    assert seen == made
    assert third["next_cursor"] is None
