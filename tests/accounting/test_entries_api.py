"""Journal entries over HTTP: drafts, posting, reversing, listing; bad input answered 4xx naming
the field, nothing written; 50 postings at once numbered without gaps."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx

from tests.accounting.support import (
    API,
    ENTRIES,
    account_id,
    accounting_tenant,
    api_entry,
    posted,
)
from tests.support import LiveServer, make_client

TODAY = date.today()
YEAR = TODAY.year


async def test_a_draft_is_replaced_posted_and_then_final(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    made = await owner.post(
        ENTRIES, json=api_entry(("expense", "10.00", "0"), ("cash", "0", "10.00"), post=False)
    )
    assert made.status_code == 201, made.text
    draft = made.json()
    assert (draft["status"], draft["number"], draft["total"]) == ("draft", None, "10.00")
    changed = await owner.client.put(
        f"{ENTRIES}/{draft['id']}",
        json=api_entry(("expense", "12.50", "0"), ("bank", "0", "12.50"), post=False, memo="taxi"),
        headers=owner.headers,
    )
    assert changed.status_code == 200, changed.text
    assert [(x["account_code"], x["debit"], x["credit"]) for x in changed.json()["lines"]] == [
        ("6200", "12.50", "0.00"),
        ("1010", "0.00", "12.50"),
    ]
    done = await owner.post(f"{ENTRIES}/{draft['id']}/post")
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["number"]) == ("posted", f"MISC/{YEAR}/00001")
    # Posted is final: no replacing, deleting or posting again.
    again = await owner.client.put(
        f"{ENTRIES}/{draft['id']}",
        json=api_entry(("expense", "1", "0"), ("cash", "0", "1")),
        headers=owner.headers,
    )
    assert again.status_code == 409
    assert (await owner.delete(f"{ENTRIES}/{draft['id']}")).status_code == 409
    assert (await owner.post(f"{ENTRIES}/{draft['id']}/post")).status_code == 409
    got = (await owner.get(f"{ENTRIES}/{draft['id']}")).json()
    assert (got["memo"], got["total"]) == ("taxi", "12.50")


async def test_a_draft_can_be_deleted(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    draft = (
        await owner.post(
            ENTRIES, json=api_entry(("expense", "1", "0"), ("cash", "0", "1"), post=False)
        )
    ).json()
    assert (await owner.delete(f"{ENTRIES}/{draft['id']}")).status_code == 200
    assert (await owner.get(f"{ENTRIES}/{draft['id']}")).status_code == 404


async def test_reversing_over_http(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    entry = await posted(owner, ("expense", "30", "0"), ("cash", "0", "30"))
    reversed_ = await owner.post(
        f"{ENTRIES}/{entry['id']}/reverse", json={"date": TODAY.isoformat()}
    )
    assert reversed_.status_code == 201, reversed_.text
    body = reversed_.json()
    assert (body["reversal_of"], body["number"], body["memo"]) == (
        entry["id"], f"MISC/{YEAR}/00002", f"Reversal of {entry['number']}",
    )  # fmt: skip
    assert [(x["account_code"], x["debit"], x["credit"]) for x in body["lines"]] == [
        ("6200", "0.00", "30.00"),
        ("1000", "30.00", "0.00"),
    ]
    assert (await owner.get(f"{ENTRIES}/{entry['id']}")).json()["status"] == "reversed"
    twice = await owner.post(f"{ENTRIES}/{entry['id']}/reverse", json={"date": TODAY.isoformat()})
    assert twice.status_code == 409


async def test_lists_filter_by_date_journal_account_and_status(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    old = (TODAY - timedelta(days=40)).isoformat()
    a = await posted(owner, ("expense", "1", "0"), ("cash", "0", "1"), date=old)
    b = await posted(owner, ("stock", "2", "0"), ("stock_received", "0", "2"), journal="STJ")
    c = (
        await owner.post(
            ENTRIES, json=api_entry(("expense", "3", "0"), ("bank", "0", "3"), post=False)
        )
    ).json()

    async def ids(**params: Any) -> list[str]:
        found = await owner.get(ENTRIES, params=params)
        assert found.status_code == 200, found.text
        return [e["id"] for e in found.json()["items"]]

    assert set(await ids()) == {a["id"], b["id"], c["id"]}
    assert await ids(date_to=old) == [a["id"]]
    assert set(await ids(date_from=TODAY.isoformat())) == {b["id"], c["id"]}
    assert await ids(journal="STJ") == [b["id"]]
    assert await ids(account_id=await account_id(owner, "1000")) == [a["id"]]
    assert await ids(status="draft") == [c["id"]]
    first = (await owner.get(ENTRIES, params={"limit": 2})).json()
    rest = (await owner.get(ENTRIES, params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert (await owner.get(ENTRIES, params={"status": "lost"})).status_code == 422


async def _refused(owner: Any, body: dict[str, Any], status: int, field: str | None) -> None:
    answer = await owner.post(ENTRIES, json=body)
    assert answer.status_code == status, answer.text
    if field is not None:
        assert answer.json()["errors"][0]["field"] == field


async def test_bad_entries_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await accounting_tenant(client)
    ok = (("expense", "10", "0"), ("cash", "0", "10"))
    await _refused(owner, api_entry(("expense", "10", "0"), ("cash", "0", "9")), 422, "lines")
    floating = api_entry(("expense", "10.5", "0"), ("cash", "0", "10.5"))
    floating["lines"][0]["debit"] = 10.5
    await _refused(owner, floating, 422, "lines[0].debit")
    await _refused(owner, api_entry(*ok, currency="ABC"), 422, "currency")
    await _refused(owner, api_entry(*ok, currency="EUR"), 422, "currency")
    await _refused(owner, api_entry(*ok, journal="NOPE"), 422, "journal")
    await _refused(
        owner, api_entry(("expense", "-1", "0"), ("cash", "0", "-1")), 422, "lines[0].debit"
    )
    async with make_client(live_server) as other_client:
        other = await accounting_tenant(other_client)
        foreign = await account_id(other, "6200")
        theirs = await posted(other, *ok)
    body = api_entry(*ok)
    body["lines"][0] = {"account_id": foreign, "debit": "10"}
    await _refused(owner, body, 422, "lines[0].account_id")
    # The other tenant's entry is not found here.
    assert (await owner.get(f"{ENTRIES}/{theirs['id']}")).status_code == 404
    assert (
        await owner.post(f"{ENTRIES}/{theirs['id']}/reverse", json={"date": TODAY.isoformat()})
    ).status_code == 404
    # A locked period.
    locked = await owner.client.patch(
        f"{API}/settings", json={"lock_date": TODAY.isoformat()}, headers=owner.headers
    )
    assert locked.status_code == 200, locked.text
    await _refused(owner, api_entry(*ok), 422, "date")
    await _refused(owner, api_entry(*ok, post=False), 422, "date")
    listed = (await owner.get(ENTRIES)).json()["items"]
    assert listed == []


async def test_fifty_postings_at_once_get_fifty_gapless_numbers(live_server: LiveServer) -> None:
    async with make_client(live_server) as client:
        owner = await accounting_tenant(client)
        answers = await asyncio.gather(
            *(
                owner.post(
                    ENTRIES, json=api_entry(("expense", f"{n}.00", "0"), ("cash", "0", f"{n}.00"))
                )
                for n in range(1, 51)
            )
        )
    assert [a.status_code for a in answers] == [201] * 50, [
        a.text for a in answers if a.status_code != 201
    ]
    numbers = sorted(a.json()["number"] for a in answers)
    assert numbers == [f"MISC/{YEAR}/{n:05d}" for n in range(1, 51)]
