"""Exporting CRM lists as CSV and XLSX over real HTTP: the list's filters, search, sort and record
rules hold; an exported file imports again."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

import httpx
import openpyxl

from tests.crm.test_accounts_contacts import ACCOUNTS, CONTACTS, account, crm_tenant
from tests.crm.test_deals import DEALS, deal
from tests.crm.test_import import IMPORTS, send
from tests.support import LiveServer, SignedUp, join, make_client


async def exported(who: SignedUp, path: str, **params: Any) -> list[dict[str, str]]:
    response = await who.get(f"{path}/export", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "a byte order mark, so spreadsheets read UTF-8"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


async def test_export_follows_the_lists_filters_search_and_sort(
    client: httpx.AsyncClient,
) -> None:
    owner = await crm_tenant(client)
    await account(owner, "Beta", tags=["vip"], email="beta@example.com")
    await account(owner, "Alpha", tags=["vip"], address={"city": "Zürich", "country": "CH"})
    await account(owner, "Gamma", tags=["other"])
    await account(owner, "=HYPERLINK(1)", tags=["vip"], phone="+41 44 000 00 00")
    response = await owner.get(f"{ACCOUNTS}/export", params={"tag": "vip", "sort": "-name"})
    assert response.status_code == 200, response.text
    assert 'attachment; filename="accounts-' in response.headers["content-disposition"]
    rows = await exported(owner, ACCOUNTS, tag="vip", sort="-name")
    listed = (await owner.get(ACCOUNTS, params={"tag": "vip", "sort": "-name"})).json()["items"]
    assert [r["id"] for r in rows] == [a["id"] for a in listed]
    assert [r["name"] for r in rows] == ["Beta", "Alpha", "'=HYPERLINK(1)"], (
        "a formula is defused with a quote"
    )
    alpha = rows[1]
    assert (alpha["city"], alpha["country"], alpha["tags"]) == ("Zürich", "CH", "vip")
    assert alpha["owner"] == owner.email
    assert rows[2]["phone"] == "+41 44 000 00 00", "a phone number is not a formula"
    assert list(rows[0]) == [
        "id", "name", "website", "email", "phone", "industry", "street", "city", "region",
        "postal_code", "country", "tags", "notes", "owner", "created_at", "updated_at",
    ]  # fmt: skip
    searched = await exported(owner, ACCOUNTS, q="beta")
    assert [r["name"] for r in searched] == ["Beta"]
    for params in ({"sort": "colour"}, {"owner": "nobody"}, {"format": "pdf"}, {"q": "!!"}):
        refused = await owner.get(f"{ACCOUNTS}/export", params=params)
        assert refused.status_code in (400, 422), (params, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")


async def test_a_long_export_is_read_page_by_page(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    names = [f"Company {i:04d}" for i in range(450)]
    made = await send(owner, "accounts", "Name\n" + "\n".join(names) + "\n")
    assert made.status_code == 201, made.text
    rows = await exported(owner, ACCOUNTS, sort="name")
    assert [r["name"] for r in rows] == names
    backwards = await exported(owner, ACCOUNTS, sort="-name")
    assert [r["name"] for r in backwards] == names[::-1]


async def test_reps_export_only_what_they_may_see(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as a, make_client(live_server) as b:
        rep = await join(live_server, owner, a)
        other = await join(live_server, owner, b)
        mine = await account(rep, "Mine")
        theirs = await account(other, "Theirs")
        await rep.post(CONTACTS, json={"last_name": "Lovelace", "account_id": mine["id"]})
        handed = await other.post(
            CONTACTS, json={"last_name": "Hopper", "account_id": theirs["id"]}
        )
        assert handed.status_code == 201
        # The other rep's contact is handed to the rep; its account stays the other rep's.
        changed = await owner.client.patch(
            f"{CONTACTS}/{handed.json()['id']}",
            json={"owner_id": rep.user_id},
            headers=owner.headers,
        )
        assert changed.status_code == 200
        assert [r["name"] for r in await exported(rep, ACCOUNTS)] == ["Mine"]
        people = {r["last_name"]: r for r in await exported(rep, CONTACTS)}
        assert people["Lovelace"]["account"] == "Mine"
        assert people["Hopper"]["account"] == "", "an account the rep may not see stays unnamed"
        await deal(rep, name="Rep deal", account_id=mine["id"])
        await deal(other, name="Other deal")
        [only] = await exported(rep, DEALS)
        assert (only["name"], only["account"], only["pipeline"], only["stage"]) == (
            "Rep deal", "Mine", "Sales", "Qualification",
        )  # fmt: skip
        assert only["amount"] == "1200.50" and only["status"] == "open"
        everything = await exported(owner, DEALS, status="open")
        assert {r["name"] for r in everything} == {"Rep deal", "Other deal"}
        assert await exported(owner, DEALS, status="won") == []


async def test_xlsx_round_trip(client: httpx.AsyncClient, live_server: LiveServer) -> None:
    owner = await crm_tenant(client)
    await account(
        owner,
        "Acme",
        email="hello@acme.example",
        phone="+1 555 0100",
        website="https://acme.example",
        tags=["vip", "emea"],
        address={"street": "1 Main St", "postal_code": "12345", "country": "US"},
        notes="=not a formula",
    )
    await account(owner, "Beta GmbH")
    response = await owner.get(f"{ACCOUNTS}/export", params={"format": "xlsx", "sort": "name"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet.title == "accounts"
    assert sheet["B2"].value == "Acme" and sheet["M2"].value == "=not a formula"
    assert sheet["M2"].data_type == "s", "text, never a formula"
    content = base64.b64encode(response.content).decode()
    again = await owner.post(
        f"{IMPORTS}/accounts", json={"format": "xlsx", "content": content, "dry_run": True}
    )
    report = again.json()
    assert report["errors"] == [] and report["skipped"] == 2, "both exist already"
    assert {w["duplicates"][0]["label"] for w in report["warnings"]} == {"Acme", "Beta GmbH"}
    async with make_client(live_server) as other_client:
        other = await crm_tenant(other_client)
        refused = await other.post(
            f"{IMPORTS}/accounts", json={"format": "xlsx", "content": content, "dry_run": True}
        )
        assert [(e["line"], e["field"]) for e in refused.json()["errors"]] == [
            (2, "owner"),
            (3, "owner"),
        ], "the owner is no member of the other tenant"
        imported = await other.post(
            f"{IMPORTS}/accounts",
            json={"format": "xlsx", "content": content, "mapping": {"owner": None}},
        )
        assert imported.status_code == 201, imported.text
        [acme, beta] = (await other.get(ACCOUNTS, params={"sort": "name"})).json()["items"]
    original = (await owner.get(ACCOUNTS, params={"sort": "name"})).json()["items"][0]
    for field in ("name", "email", "phone", "website", "tags", "address", "notes"):
        assert acme[field] == original[field], field
    assert beta["name"] == "Beta GmbH" and acme["owner_id"] == other.user_id


async def test_csv_exports_import_again(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    await owner.post(
        CONTACTS,
        json={"first_name": "Ada", "last_name": "Lovelace", "account_id": acme["id"],
              "email": "ada@acme.example", "tags": ["math"]},
    )  # fmt: skip
    response = await owner.get(f"{CONTACTS}/export")
    again = await send(owner, "contacts", response.content.decode(), dry_run=True)
    report = again.json()
    assert report["errors"] == [], report
    assert report["warnings"][0]["duplicates"][0]["matched"] == ["email"]
    assert [c["field"] for c in report["columns"]][:4] == [
        None,
        "first_name",
        "last_name",
        "account",
    ]
