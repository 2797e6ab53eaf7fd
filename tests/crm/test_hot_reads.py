"""The CRM's hot reads (plain SQL, JSON built by PostgreSQL): the same answers as the ORM gives,
the same record rules, sorted keyset pages and counts."""

from __future__ import annotations

import uuid

import httpx
import pytest
from tessera_crm import reads
from tessera_crm.reads import CONTACT_FIELDS
from tessera_crm.schemas import ContactOut

from tests.crm.test_accounts_contacts import account, crm_tenant
from tests.support import LiveServer, SignedUp, join, make_client

CONTACTS = "/api/v1/crm/contacts"


async def contact(who: SignedUp, last_name: str, **fields: object) -> dict[str, object]:
    made = await who.post(
        CONTACTS, json={"last_name": last_name, "allow_duplicate": True, **fields}
    )
    assert made.status_code == 201, made.text
    body: dict[str, object] = made.json()
    return body


def test_contact_json_has_the_fields_of_the_response_type() -> None:
    assert ContactOut.__struct_fields__ == CONTACT_FIELDS


async def test_get_one_answers_as_create_did(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    made = await contact(
        owner, "Lovelace", first_name="Ada", account_id=acme["id"], email="ada@acme.example",
        phone="+44 20 7946 0000", tags=["vip"], notes="Met at the fair", title="CTO",
    )  # fmt: skip
    got = await owner.get(f"{CONTACTS}/{made['id']}")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/json")
    body = got.json()
    for field in ("created_at", "updated_at"):
        assert _instant(body.pop(field)) == _instant(made.pop(field))
    assert body == made
    missing = await owner.get(f"{CONTACTS}/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def _instant(text: object) -> float:
    from datetime import datetime

    assert isinstance(text, str)
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


async def test_hot_reads_keep_tenants_and_reps_apart(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    async with (
        make_client(live_server) as a,
        make_client(live_server) as b,
        make_client(live_server) as c,
    ):
        owner = await crm_tenant(client)
        rep = await join(live_server, owner, a)
        other_rep = await join(live_server, owner, b)
        stranger = await crm_tenant(c)
        await _apart(owner, rep, other_rep, stranger)


async def _apart(owner: SignedUp, rep: SignedUp, other_rep: SignedUp, stranger: SignedUp) -> None:
    mine = await contact(rep, "Mine")
    theirs = await contact(other_rep, "Theirs")
    foreign = await contact(stranger, "Foreign")
    assert (await rep.get(f"{CONTACTS}/{mine['id']}")).status_code == 200
    assert (await rep.get(f"{CONTACTS}/{theirs['id']}")).status_code == 404
    assert (await owner.get(f"{CONTACTS}/{theirs['id']}")).status_code == 200
    assert (await owner.get(f"{CONTACTS}/{foreign['id']}")).status_code == 404
    listed = (await rep.get(CONTACTS, params={"total": "true"})).json()
    assert [c["id"] for c in listed["items"]] == [mine["id"]]
    assert listed["total"] == 1 and listed["total_is_estimate"] is False
    everyone = (await owner.get(CONTACTS)).json()
    assert {c["id"] for c in everyone["items"]} == {mine["id"], theirs["id"]}


async def test_sorted_pages_walk_every_row_once(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    names = ["Zed", "Adams", "Moss", "adams", "Baker", "Moss", "Young", "Clark"]
    for name in names:
        await contact(owner, name, tags=["vip"] if name != "Young" else [])
    for sort in ("last_name", "-last_name", "-created_at"):
        seen: list[dict[str, object]] = []
        cursor = None
        while True:
            params = {"sort": sort, "limit": "3", "tag": "vip"}
            if cursor:
                params["cursor"] = cursor
            page = (await owner.get(CONTACTS, params=params)).json()
            seen.extend(page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == 7 and len({c["id"] for c in seen}) == 7, sort
        values = [str(c[sort.lstrip("-")]) for c in seen]
        if sort != "-created_at":  # text order of timestamps is not their order
            assert values == sorted(values, reverse=sort.startswith("-")), values
    bad = await owner.get(CONTACTS, params={"sort": "email"})
    assert bad.status_code == 422 and "sort" in bad.text
    forged = await owner.get(CONTACTS, params={"sort": "last_name", "cursor": "bm9wZQ"})
    assert forged.status_code == 422 and "cursor" in forged.text


async def test_search_finds_by_word_prefixes(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    ada = await contact(owner, "Lovelace", first_name="Ada", email="ada@analytical.example")
    await contact(owner, "Hopper", first_name="Grace", email="grace@navy.example")
    for query in ("ada", "LOVE", "ada love", "analytical"):
        found = (await owner.get(CONTACTS, params={"q": query})).json()["items"]
        assert [c["id"] for c in found] == [ada["id"]], query
    assert (await owner.get(CONTACTS, params={"q": "nobody"})).json()["items"] == []
    assert (await owner.get(CONTACTS, params={"q": "!!"})).status_code == 422


async def test_account_detail_in_one_call(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner = await crm_tenant(client)
        rep = await join(live_server, owner, a)
        stranger = await crm_tenant(b)
        await _detail(owner, rep, stranger)


async def _detail(owner: SignedUp, rep: SignedUp, stranger: SignedUp) -> None:
    acme = await account(rep, "Acme", tags=["key"])
    await contact(rep, "Lovelace", account_id=acme["id"])
    await contact(owner, "Owner's", account_id=acme["id"])
    deal = await rep.post(
        "/api/v1/crm/deals",
        json={"name": "Big one", "amount": "1200.50", "currency": "EUR", "account_id": acme["id"]},
    )
    assert deal.status_code == 201, deal.text
    detail = (await rep.get(f"/api/v1/crm/accounts/{acme['id']}/detail")).json()
    assert detail["account"]["name"] == "Acme" and detail["account"]["tags"] == ["key"]
    assert detail["owner"]["id"] == rep.user_id
    assert [c["last_name"] for c in detail["contacts"]] == ["Lovelace"], (
        "the rule hides the owner's"
    )
    [open_deal] = detail["open_deals"]
    assert open_deal["amount"] == "1200.50" and open_deal["stage"] == "Qualification"
    ticket = await rep.post(
        "/api/v1/crm/tickets",
        json={"subject": "Broken rocket", "priority": "urgent", "account_id": acme["id"]},
    )
    assert ticket.status_code == 201, ticket.text
    detail = (await rep.get(f"/api/v1/crm/accounts/{acme['id']}/detail")).json()
    assert [t["subject"] for t in detail["open_tickets"]] == ["Broken rocket"]
    kinds = [e["kind"] for e in detail["timeline"]]
    assert kinds[0] == "crm.ticket.opened" and "crm.deal.created" in kinds
    assert "crm.contact.added" in kinds and len(kinds) == 3, "the owner's contact is not the rep's"
    timeline = (await rep.get(f"/api/v1/crm/accounts/{acme['id']}/timeline")).json()["items"]
    assert [e["kind"] for e in timeline] == kinds, "the detail shows the timeline's first entries"
    full = (await owner.get(f"/api/v1/crm/accounts/{acme['id']}/detail")).json()
    assert len(full["contacts"]) == 2 and len(full["timeline"]) == 4
    assert (await stranger.get(f"/api/v1/crm/accounts/{acme['id']}/detail")).status_code == 404


async def test_one_search_box_finds_every_kind(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme Rockets", email="hello@acme.example")
    ada = await contact(owner, "Lovelace", first_name="Ada", email="ada@acme.example")
    deal = await owner.post(
        "/api/v1/crm/deals", json={"name": "Acme renewal", "amount": "10", "currency": "EUR"}
    )
    lead = await owner.post(
        "/api/v1/crm/leads", json={"last_name": "Babbage", "company": "Acme Engines", "pool": True}
    )
    assert lead.status_code == 201, lead.text
    found = (await owner.get("/api/v1/crm/search", params={"q": "acme"})).json()["hits"]
    assert {(h["kind"], h["id"]) for h in found} == {
        ("account", acme["id"]),
        ("contact", ada["id"]),
        ("deal", deal.json()["id"]),
        ("lead", lead.json()["id"]),
    }
    assert (await owner.get("/api/v1/crm/search", params={"q": "acme rock"})).json()["hits"][0][
        "id"
    ] == acme["id"]
    assert (await owner.get("/api/v1/crm/search", params={"q": "%%"})).status_code == 422
    assert (await owner.get("/api/v1/crm/search")).status_code == 400
    async with make_client(live_server) as other:
        rep = await join(live_server, owner, other)
        hits = (await rep.get("/api/v1/crm/search", params={"q": "acme"})).json()["hits"]
        assert [(h["kind"], h["id"]) for h in hits] == [("lead", lead.json()["id"])], "the pool"


async def test_account_detail_timeline_takes_in_other_modules(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    assert (await owner.post("/api/v1/modules/notes/enable")).status_code == 200
    note = await owner.post(
        "/api/v1/notes/notes", json={"title": "Call them", "body": f"About {acme['id']}"}
    )
    assert note.status_code == 201, note.text
    detail = (await owner.get(f"/api/v1/crm/accounts/{acme['id']}/detail")).json()
    assert [e["module"] for e in detail["timeline"]] == ["notes"]
    assert detail["timeline"][0]["record_id"] == note.json()["id"]
    assert detail["account"]["id"] == acme["id"]


async def test_a_large_count_is_an_estimate_and_says_so(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = await crm_tenant(client)
    for name in ("A", "B", "C", "D", "E"):
        await contact(owner, name)
    exact = (await owner.get(CONTACTS, params={"total": "true"})).json()
    assert (exact["total"], exact["total_is_estimate"]) == (5, False)
    # The live server runs in this process: a lower limit stands for a million rows.
    monkeypatch.setattr(reads, "EXACT_COUNT_LIMIT", 3)
    estimated = (await owner.get(CONTACTS, params={"total": "true", "limit": "2"})).json()
    assert estimated["total_is_estimate"] is True and estimated["total"] >= 4
    assert len(estimated["items"]) == 2 and estimated["next_cursor"]


async def test_counts_answer_the_same_with_an_api_token(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    """A token's request takes the ORM's connection, where the driver decodes JSON itself."""
    owner = await crm_tenant(client)
    for name in ("A", "B", "C"):
        await contact(owner, name)
    secret = (await owner.post("/api/v1/tokens", json={"name": "counts"})).json()["secret"]
    async with make_client(live_server) as api:
        listed = await api.get(
            CONTACTS,
            params={"total": "true", "q": "a"},
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert listed.status_code == 200, listed.text
    assert (listed.json()["total"], listed.json()["total_is_estimate"]) == (1, False)
