"""Importing accounts and contacts from CSV and XLSX files over real HTTP, each test in its own
tenant: every bad row reported by line and column, all rows written or none."""

from __future__ import annotations

import base64
import io
import time
from typing import Any

import asyncpg
import httpx
import openpyxl
import pytest

from tests.crm.test_accounts_contacts import ACCOUNTS, CONTACTS, account, crm_tenant
from tests.support import LiveServer, SignedUp, join, make_client

IMPORTS = "/api/v1/crm/imports"


async def count(db: asyncpg.Connection, who: SignedUp, table: str) -> int:
    """Rows of ``table`` in the tenant, counted as the table owner (not through the API)."""
    async with db.transaction():
        await db.execute("SELECT set_config('tessera.tenant_id', $1, true)", who.tenant_id)
        found: int = await db.fetchval(f"SELECT count(*) FROM {table}")
    return found


async def send(who: SignedUp, kind: str, content: str, **fields: Any) -> httpx.Response:
    return await who.post(f"{IMPORTS}/{kind}", json={"format": "csv", "content": content, **fields})


def where(problems: list[dict[str, Any]]) -> list[tuple[int, str | None, str | None]]:
    return [(p["line"], p["column"], p["field"]) for p in problems]


def xlsx(rows: list[list[Any]]) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


async def test_every_bad_row_is_reported_by_line_and_column_and_nothing_is_written(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    too_long = "x" * 101
    content = (
        "Name,E-mail,Phone,Website,Owner,Industry\r\n"
        f"Acme,sales@acme.example,+1 555 0100,acme.example,{owner.email.upper()},Tools\r\n"
        ",nobody@nowhere.example,,,,\r\n"
        "Beta,not-an-email,,,,\r\n"
        "Gamma,,call me,,,\r\n"
        "Delta,,,javascript:alert(1),,\r\n"
        "Epsilon,,,,stranger@example.com,\r\n"
        f'"Zeta\nInc",,,,,{too_long}\r\n'
        "\r\n"
        "Eta,,,,,\r\n"
    )
    expected = [
        (3, "Name", "name"),
        (4, "E-mail", "email"),
        (5, "Phone", "phone"),
        (6, "Website", "website"),
        (7, "Owner", "owner"),
        (8, "Industry", "industry"),
    ]
    dry = await send(owner, "accounts", content, dry_run=True)
    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert where(report["errors"]) == expected
    assert report["error_count"] == 6 and report["rows"] == 8
    messages = {p["field"]: p["message"] for p in report["errors"]}
    assert messages["name"] == "is required"
    assert messages["email"] == "is not an email address"
    assert messages["industry"] == "is longer than 100 characters"
    assert "member" in messages["owner"]
    assert [c["field"] for c in report["columns"]] == [
        "name", "email", "phone", "website", "owner", "industry",
    ]  # fmt: skip
    assert await count(owner_db, owner, "crm_account") == 0

    committed = await send(owner, "accounts", content)
    assert committed.status_code == 422, committed.text
    assert committed.headers["content-type"].startswith("application/problem+json")
    assert where(committed.json()["errors"]) == expected
    assert await count(owner_db, owner, "crm_account") == 0, "all or nothing"

    good = "\n".join([*content.splitlines()[:2], "Eta,,,,,"])
    done = await send(owner, "accounts", good)
    assert done.status_code == 201, done.text
    assert done.json()["created"] == 2 and done.json()["errors"] == []
    made = {a["name"]: a for a in (await owner.get(ACCOUNTS)).json()["items"]}
    assert made["Acme"]["website"] == "https://acme.example", "a bare domain gets https://"
    assert made["Acme"]["owner_id"] == owner.user_id and made["Acme"]["industry"] == "Tools"
    assert made["Eta"]["owner_id"] == owner.user_id, "whoever imports owns rows without owner"
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        audited = await owner_db.fetchval(
            "SELECT count(*) FROM audit_entry WHERE record_type = 'crm_account' "
            "AND action = 'create'"
        )
        event = await owner_db.fetchval(
            "SELECT payload FROM event_outbox WHERE type = 'crm.account.imported'"
        )
    assert audited == 2, "the trigger audits every row of a bulk insert"
    assert '"created": 2' in event


async def test_unknown_and_missing_columns_and_contacts_accounts_by_name(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    unknown = await send(owner, "accounts", "Name,Colour\nAcme,red\n", dry_run=True)
    assert where(unknown.json()["errors"]) == [(1, "Colour", None)]
    assert "unknown column" in unknown.json()["errors"][0]["message"]
    missing = await send(owner, "accounts", "Email\na@b.example\n", dry_run=True)
    assert where(missing.json()["errors"]) == [(1, None, "name")]

    acme = await account(owner, "ACME, Inc.")
    await account(owner, "Twin Ltd")
    await account(owner, "Twin", allow_duplicate=True)
    async with make_client(live_server) as rep_client:
        rep = await join(live_server, owner, rep_client)
        await account(rep, "Rep Only Co")
    contacts = (
        "First name,Last name,Company,Job title\n"
        "Ada,Lovelace,Acme,Countess\n"
        "Grace,Hopper,Nowhere Corp,\n"
        "Alan,Turing,Twin,\n"
        ",,Acme,\n"
        "Kurt,Gödel,,Logician\n"
    )
    checked = await send(owner, "contacts", contacts, dry_run=True)
    assert where(checked.json()["errors"]) == [
        (3, "Company", "account"),
        (4, "Company", "account"),
        (5, "Last name", "last_name"),
    ]
    assert "names 2 records" in checked.json()["errors"][1]["message"]
    fine = "\n".join(line for i, line in enumerate(contacts.splitlines()) if i in (0, 1, 5))
    done = await send(owner, "contacts", fine)
    assert done.status_code == 201, done.text
    people = {c["last_name"]: c for c in (await owner.get(CONTACTS)).json()["items"]}
    assert people["Lovelace"]["account_id"] == acme["id"]
    assert people["Lovelace"]["title"] == "Countess" and people["Gödel"]["account_id"] is None
    assert await count(owner_db, owner, "crm_contact") == 2


async def test_a_mapping_names_the_columns(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    content = 'Firma,Mail,Junk,Stichworte\nAcme,hello@acme.example,zzz,"vip, emea"\nBeta,,,\n'
    mapping = {"Firma": "name", "Mail": "email", "Junk": None, "Stichworte": "tags"}
    done = await send(owner, "accounts", content, mapping=mapping)
    assert done.status_code == 201, done.text
    assert [c["field"] for c in done.json()["columns"]] == ["name", "email", None, "tags"]
    acme = (await owner.get(ACCOUNTS, params={"q": "acme"})).json()["items"][0]
    assert acme["email"] == "hello@acme.example" and acme["tags"] == ["vip", "emea"]
    bad_mappings: list[dict[str, Any]] = [
        {"Nope": "name"},
        {"Mail": "colour"},
        {"Mail": 42},
    ]
    for mapping in bad_mappings:
        refused = await send(owner, "accounts", content, mapping=mapping)
        assert refused.status_code in (400, 422), (mapping, refused.text)
        assert refused.json()["errors"][0]["field"].startswith("mapping"), refused.text
    twice = await send(
        owner, "accounts", "Name,Mail\nA,B\n", mapping={"Mail": "name"}, dry_run=True
    )
    assert where(twice.json()["errors"]) == [(1, "Mail", "name")]
    alias = await send(owner, "accounts", "Name,Company\nA,B\n", dry_run=True)
    assert where(alias.json()["errors"]) == [(1, "Company", "name")], "both mean name"
    assert len((await owner.get(ACCOUNTS)).json()["items"]) == 2


async def test_semicolons_a_byte_order_mark_and_bytes_that_are_not_utf8(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    content = '\ufeffName;E-mail;Tags\r\nMüller GmbH;info@mueller.example;"a, b"\r\n'
    done = await send(owner, "accounts", content)
    assert done.status_code == 201, done.text
    [muller] = (await owner.get(ACCOUNTS)).json()["items"]
    assert muller["name"] == "Müller GmbH" and muller["tags"] == ["a", "b"]
    as_bytes = base64.b64encode(("\ufeffName;Phone\nStraße AG;+49 30 1234\n").encode()).decode()
    encoded = await send(owner, "accounts", as_bytes, encoding="base64")
    assert encoded.status_code == 201, encoded.text
    latin1 = base64.b64encode("Name\nStraße AG\n".encode("latin-1")).decode()
    broken: list[tuple[dict[str, Any], str]] = [
        ({"content": latin1, "encoding": "base64"}, "UTF-8"),
        ({"content": "Name\nStra\ufffde AG\n"}, "UTF-8"),
        ({"content": "Name,Email\nA,a@b.example,extra\nB,b@b.example\n"}, "lines 2"),
        ({"content": 'Name\n"never closed\n'}, "line"),
        ({"content": ""}, "empty"),
        ({"content": "Name,name\nA,B\n"}, "twice"),
        ({"content": "bm90IGJhc2U2NA=!", "encoding": "base64"}, "base64"),
        ({"content": base64.b64encode(b"Name\nA\x00\n").decode(), "encoding": "base64"}, "NUL"),
        ({"format": "xlsx", "content": base64.b64encode(b"not a zip").decode()}, "XLSX"),
        ({"format": "xlsx", "content": "%%%"}, "base64"),
    ]
    for fields, words in broken:
        response = await owner.post(f"{IMPORTS}/accounts", json={"format": "csv", **fields})
        assert response.status_code == 400, (fields, response.text)
        assert words in response.json()["detail"], (fields, response.text)
    assert await count(owner_db, owner, "crm_account") == 2


async def test_xlsx_imports_from_the_first_sheet(client: httpx.AsyncClient) -> None:
    owner = await crm_tenant(client)
    content = xlsx(
        [
            ["Name", "Phone", "Email", "Tags"],
            ["Acme", 15550100000, "hello@acme.example", "a, b"],
            [None, None, None, None],
            ["Beta", None, "bad", None],
        ]
    )
    dry = await owner.post(
        f"{IMPORTS}/accounts", json={"format": "xlsx", "content": content, "dry_run": True}
    )
    assert dry.status_code == 200, dry.text
    assert where(dry.json()["errors"]) == [(4, "Email", "email")], "rows as the sheet numbers them"
    fixed = xlsx([["Name", "Phone"], ["Acme", 15550100000]])
    done = await owner.post(f"{IMPORTS}/accounts", json={"format": "xlsx", "content": fixed})
    assert done.status_code == 201, done.text
    assert (await owner.get(ACCOUNTS)).json()["items"][0]["phone"] == "15550100000"


async def test_duplicates_within_the_file_and_against_the_database(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "ACME, Inc.", email="hello@acme.example")
    content = (
        "Name,Email\n"
        "Acme,\n"  # line 2: the name of an existing account
        "Other,HELLO@acme.example\n"  # line 3: its email
        "New Co,\n"  # line 4
        "new co.,\n"  # line 5: like line 4
    )
    dry = await send(owner, "accounts", content, dry_run=True)
    report = dry.json()
    assert report["errors"] == [] and report["created"] == 1 and report["skipped"] == 3
    by_line = {w["line"]: w for w in report["warnings"]}
    assert sorted(by_line) == [2, 3, 5]
    assert by_line[2]["duplicates"] == [
        {"id": acme["id"], "label": "ACME, Inc.", "matched": ["name"]}
    ]
    assert by_line[3]["duplicates"][0]["matched"] == ["email"]
    assert by_line[5]["same_as_line"] == 4 and "duplicates" not in by_line[5]
    failing = await send(owner, "accounts", content, on_duplicate="fail")
    assert failing.status_code == 422
    assert [e["line"] for e in failing.json()["errors"]] == [2, 3, 5]
    assert await count(owner_db, owner, "crm_account") == 1
    skipped = await send(owner, "accounts", content)
    assert (skipped.json()["created"], skipped.json()["skipped"]) == (1, 3)
    assert await count(owner_db, owner, "crm_account") == 2
    anyway = await send(owner, "accounts", content, on_duplicate="create")
    assert anyway.json()["created"] == 4
    assert await count(owner_db, owner, "crm_account") == 6
    people = "Last name,Phone\nByron,+44 20 7946 0000\nB.,0044 (20) 7946-0000\n"
    twins = await send(owner, "contacts", people, dry_run=True)
    assert twins.json()["warnings"][0]["same_as_line"] == 2


async def test_limits_and_bad_requests(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    oversize = "Name\n" + "A" * (5 * 1024 * 1024)
    too_big = await send(owner, "accounts", oversize)
    assert too_big.status_code == 413, too_big.text
    assert too_big.headers["content-type"].startswith("application/problem+json")
    rows = "Name\n" + "".join(f"Company {i}\n" for i in range(20_001))
    too_many = await send(owner, "accounts", rows, dry_run=True)
    assert too_many.status_code == 413 and "20000 rows" in too_many.json()["detail"]
    huge_body = await send(owner, "accounts", "x" * (17 * 1024 * 1024))
    assert huge_body.status_code == 413
    cases: list[tuple[str, dict[str, Any], int]] = [
        ("widgets", {"format": "csv", "content": "Name\nA\n"}, 404),
        ("accounts", {"format": "ods", "content": "Name\nA\n"}, 400),
        ("accounts", {"format": "csv"}, 400),
        ("accounts", {"format": "csv", "content": "Name\nA\n", "on_duplicate": "merge"}, 400),
        ("accounts", {"format": "csv", "content": "Name\nA\n", "dry_run": "yes"}, 400),
        ("accounts", {"format": "csv", "content": "Name\nA\n", "sheet": 2}, 400),
        ("accounts", {"format": "csv", "content": 42}, 400),
    ]
    for kind, body, status in cases:
        response = await owner.post(f"{IMPORTS}/{kind}", json=body)
        assert response.status_code == status, (kind, body, response.text)
    form = await owner.client.post(
        f"{IMPORTS}/accounts",
        content=b"Name\nA\n",
        headers={**owner.headers, "content-type": "text/csv"},
    )
    assert form.status_code == 415
    assert await count(owner_db, owner, "crm_account") == 0


@pytest.mark.timeout(600)
async def test_twenty_thousand_rows_import_in_one_go(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    rows = "".join(
        f"Company {i},info{i}@company{i}.example,+1 555 {i:07d},vip\n" for i in range(20_000)
    )
    started = time.monotonic()
    done = await owner.post(
        f"{IMPORTS}/accounts",
        json={"format": "csv", "content": "Name,Email,Phone,Tags\n" + rows},
        timeout=300,
    )
    took = time.monotonic() - started
    assert done.status_code == 201, done.text[:500]
    assert done.json()["created"] == 20_000
    assert await count(owner_db, owner, "crm_account") == 20_000
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        head = await owner_db.fetchrow("SELECT seq, hash FROM audit_chain")
        last = await owner_db.fetchrow(
            "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"
        )
    assert head is not None and last is not None
    assert (head["seq"], head["hash"]) == (last["seq"], last["hash"]), "the chain head moved"
    # A few seconds on a quiet machine (the audit chain's head moves once per transaction, not
    # once per row: that was quadratic, 47 s for 20,000 rows); room left for a busy one.
    assert took < 120, took


async def test_who_may_import(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    await account(owner, "Owner's Co")
    async with make_client(live_server) as rep_client, make_client(live_server) as admin_client:
        rep = await join(live_server, owner, rep_client)
        admin = await join(live_server, owner, admin_client, role="admin")
        refused = await send(rep, "accounts", "Name\nRep Co\n")
        assert refused.status_code == 403 and "crm.data.import" in refused.json()["detail"]
        assert (await send(admin, "accounts", "Name\nAdmin Co\n")).status_code == 201
        role = await owner.post(
            "/api/v1/roles",
            json={"name": "Importers", "grants": [{"permission": "crm.data.import"}]},
        )
        assert role.status_code == 201, role.text
        members = (await owner.get("/api/v1/members")).json()["items"]
        membership = next(m["id"] for m in members if m["user_id"] == rep.user_id)
        assigned = await owner.client.put(
            f"/api/v1/members/{membership}/roles",
            json={"role_ids": [role.json()["id"]]},
            headers=owner.headers,
        )
        assert assigned.status_code == 200, assigned.text
        hidden = await send(rep, "contacts", "Last name,Account\nLovelace,Owner's Co\n")
        assert hidden.status_code == 422, "a rep links contacts only to accounts they can see"
        done = await send(rep, "accounts", "Name\nRep Co\n")
        assert done.status_code == 201, done.text
        [mine] = (await rep.get(ACCOUNTS)).json()["items"]
        assert mine["name"] == "Rep Co" and mine["owner_id"] == rep.user_id
    assert await count(owner_db, owner, "crm_account") == 3
    assert await count(owner_db, owner, "crm_contact") == 0


async def test_leads_import_with_their_source_and_status(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    content = (
        "First name,Last name,Company,Email,Lead source,Status\n"
        "Ada,Lovelace,Analytical,ada@analytical.example,Cold call,new\n"
        "Alan,Turing,Bletchley,alan@bletchley.example,carrier pigeon,contacted\n"
        "Grace,Hopper,Navy,grace@navy.example,web,converted\n"
        ",,Nobody,,,\n"
    )
    dry = await send(owner, "leads", content, dry_run=True)
    assert dry.status_code == 200, dry.text
    assert where(dry.json()["errors"]) == [
        (3, "Lead source", "source"),
        (4, "Status", "status"),
        (5, "Last name", "last_name"),
    ]
    assert (await send(owner, "leads", content)).status_code == 422
    assert await count(owner_db, owner, "crm_lead") == 0, "all or nothing"

    good = "\n".join(content.splitlines()[:2])
    done = await send(owner, "leads", good)
    assert done.status_code == 201, done.text
    [lead] = (await owner.get("/api/v1/crm/leads")).json()["items"]
    assert (lead["last_name"], lead["source"], lead["status"]) == ("Lovelace", "cold_call", "new")
    assert lead["owner_id"] == owner.user_id and lead["company"] == "Analytical"
    again = await send(owner, "leads", good, dry_run=True)
    assert [w["line"] for w in again.json()["warnings"]] == [2], "a duplicate of the lead just made"
