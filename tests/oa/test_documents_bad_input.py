"""Refusals of the document store: another tenant's folder, user, role and department ids,
loops, moves into folders one may not write, bad names and shares — each a clear 4xx, with
nothing written."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from tests.oa.documents_support import (
    DOCUMENTS,
    FOLDERS,
    SHARES,
    VERSIONS,
    folder,
    rename,
    rows,
    send,
    share,
    shared,
    stored_keys,
    upload,
)
from tests.oa.support import colleague, department, field_of, oa_tenant
from tests.support import LiveServer, SignedUp, make_client


async def other_tenant(live_server: LiveServer) -> dict[str, Any]:
    """Another company with a folder, a document, a custom role and a department of its own."""
    theirs = await oa_tenant(make_client(live_server))
    box = await folder(theirs, "Theirs")
    doc = await upload(theirs, box["id"], b"theirs", "theirs.txt")
    role = await theirs.post("/api/v1/roles", json={"name": "Theirs", "grants": []})
    assert role.status_code == 201, role.text
    return {
        "owner": theirs,
        "folder_id": box["id"],
        "document_id": doc["id"],
        "user_id": theirs.user_id,
        "role_id": role.json()["id"],
        "department_id": (await department(theirs, "Their department"))["id"],
    }


async def unchanged(
    owner_db: asyncpg.Connection, server: LiveServer, *tenants: SignedUp
) -> list[Any]:
    return [(await rows(owner_db, t.tenant_id), stored_keys(server, t.tenant_id)) for t in tenants]


async def test_another_tenants_ids_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    mine = await folder(owner, "Mine")
    doc = await upload(owner, mine["id"], b"mine", "mine.txt")
    other = await other_tenant(live_server)
    before = await unchanged(owner_db, live_server, owner, other["owner"])

    # Ids in the path or the query name what is asked for: not found.
    for path, params in (
        (f"{FOLDERS}/{other['folder_id']}", {}),
        (f"{DOCUMENTS}/{other['document_id']}", {}),
        (f"{DOCUMENTS}/{other['document_id']}/content", {}),
        (FOLDERS, {"parent_id": other["folder_id"]}),
        (DOCUMENTS, {"folder_id": other["folder_id"]}),
        (VERSIONS, {"document_id": other["document_id"]}),
        (SHARES, {"folder_id": other["folder_id"]}),
    ):
        got = await owner.get(path, params=params)
        assert got.status_code == 404, (path, got.text)
    assert (await send(owner, other["folder_id"], b"in", "in.txt")).status_code == 404
    new_version = await owner.client.post(
        VERSIONS,
        params={"document_id": other["document_id"], "filename": "v.txt"},
        content=b"v2",
        headers=owner.headers,
    )
    assert new_version.status_code == 404
    for path in (f"{DOCUMENTS}/{other['document_id']}", f"{FOLDERS}/{other['folder_id']}"):
        assert (await owner.delete(path)).status_code == 404
        assert (await rename(owner, path, name="taken.txt")).status_code == 404

    # Ids in a body name where something goes, or with whom it is shared: 422 on that field.
    refusals: list[tuple[httpx.Response, str]] = [
        (await owner.post(FOLDERS, json={"name": "X", "parent_id": other["folder_id"]}), "parent_id"),
        (await rename(owner, f"{FOLDERS}/{mine['id']}", parent_id=other["folder_id"]), "parent_id"),
        (await rename(owner, f"{DOCUMENTS}/{doc['id']}", folder_id=other["folder_id"]), "folder_id"),
        (await share(owner, other["folder_id"], "read", role="member"), "folder_id"),
        (await share(owner, mine["id"], "read", user_id=other["user_id"]), "user_id"),
        (await share(owner, mine["id"], "write", role_id=other["role_id"]), "role_id"),
        (await share(owner, mine["id"], "read", department_id=other["department_id"]), "department_id"),
    ]  # fmt: skip
    for response, field in refusals:
        assert response.status_code == 422, (field, response.text)
        assert field_of(response) == [field], response.text
    assert await unchanged(owner_db, live_server, owner, other["owner"]) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "user_id"),
        ({"user_id": "{bob}", "role": "member"}, "role"),
        ({"role": "member", "department_id": "{department}"}, "department_id"),
        ({"user_id": "0190d1e4-0000-7000-8000-000000000000"}, "user_id"),
        ({"role_id": "0190d1e4-0000-7000-8000-000000000000"}, "role_id"),
        ({"department_id": "0190d1e4-0000-7000-8000-000000000000"}, "department_id"),
    ],
)
async def test_a_share_names_exactly_one_grantee_of_this_tenant(
    client: httpx.AsyncClient,
    live_server: LiveServer,
    owner_db: asyncpg.Connection,
    body: dict[str, str],
    field: str,
) -> None:
    owner = await oa_tenant(client)
    bob = await colleague(live_server, owner)
    sales = await department(owner, "Sales")
    box = await folder(owner, "Box")
    before = await rows(owner_db, owner.tenant_id)
    filled = {k: v.format(bob=bob.user_id, department=sales["id"]) for k, v in body.items()}
    refused = await share(owner, box["id"], "read", **filled)
    assert refused.status_code == 422, refused.text
    assert field_of(refused) == [field]
    assert await rows(owner_db, owner.tenant_id) == before


async def test_malformed_shares_are_refused(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    box = await folder(owner, "Box")
    before = await rows(owner_db, owner.tenant_id)
    for body, field in (
        ({"folder_id": box["id"], "access": "admin", "role": "member"}, "access"),
        ({"folder_id": box["id"], "access": "read", "role": "boss"}, "role"),
        ({"folder_id": box["id"], "role": "member"}, "access"),
        ({"folder_id": "not-an-id", "access": "read", "role": "member"}, "folder_id"),
        ({"folder_id": box["id"], "access": "read", "role": "member", "all": True}, "all"),
    ):
        refused = await owner.post(SHARES, json=body)
        assert refused.status_code == 400 and field_of(refused) == [field], refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert await rows(owner_db, owner.tenant_id) == before


async def test_loops_depth_and_moves_into_folders_one_may_not_write(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    bob = await colleague(live_server, owner)
    top = await folder(owner, "Top")
    middle = await folder(owner, "Middle", top["id"])
    bottom = await folder(owner, "Bottom", middle["id"])
    reading = await folder(owner, "Reading room")
    await shared(owner, top["id"], "write", user_id=bob.user_id)
    await shared(owner, reading["id"], "read", user_id=bob.user_id)
    mine = await bob.post(FOLDERS, json={"name": "Bob's", "parent_id": top["id"]})
    doc = await upload(bob, mine.json()["id"], b"bob", "bob.txt")
    before = await rows(owner_db, owner.tenant_id)

    for target in (top["id"], middle["id"], bottom["id"]):
        loop = await rename(owner, f"{FOLDERS}/{top['id']}", parent_id=target)
        assert loop.status_code == 422 and field_of(loop) == ["parent_id"], loop.text
    into_read_only = [
        await rename(bob, f"{DOCUMENTS}/{doc['id']}", folder_id=reading["id"]),
        await rename(bob, f"{FOLDERS}/{mine.json()['id']}", parent_id=reading["id"]),
        await bob.post(FOLDERS, json={"name": "New", "parent_id": reading["id"]}),
        await rename(bob, f"{FOLDERS}/{mine.json()['id']}", parent_id=None),
    ]
    assert [r.status_code for r in into_read_only] == [403] * 4, [r.text for r in into_read_only]
    assert await rows(owner_db, owner.tenant_id) == before

    deep = bottom["id"]
    for level in range(29):  # Top, Middle, Bottom and 29 more: 32 deep
        deep = (await folder(owner, f"Level {level}", deep))["id"]
    too_deep = await owner.post(FOLDERS, json={"name": "One more", "parent_id": deep})
    assert too_deep.status_code == 422 and field_of(too_deep) == ["parent_id"]
    under = await rename(owner, f"{FOLDERS}/{reading['id']}", parent_id=deep)
    assert under.status_code == 422 and field_of(under) == ["parent_id"]


async def test_bad_names_and_taken_names(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    top = await folder(owner, "Top")
    await folder(owner, "Reports", top["id"])
    await upload(owner, top["id"], b"a", "a.txt")
    before = await rows(owner_db, owner.tenant_id)
    for name in ("", "   ", "a/b", "..\\up", "..", "x" * 256, "bell\x07"):
        made = await owner.post(FOLDERS, json={"name": name, "parent_id": top["id"]})
        assert made.status_code == 422 and field_of(made) == ["name"], (name, made.text)
    taken = await owner.post(FOLDERS, json={"name": "REPORTS", "parent_id": top["id"]})
    assert taken.status_code == 409, taken.text
    top_taken = await owner.post(FOLDERS, json={"name": "top"})
    assert top_taken.status_code == 409
    not_text = await owner.post(FOLDERS, json={"name": 5})
    assert not_text.status_code == 400
    assert await rows(owner_db, owner.tenant_id) == before
    missing = await owner.client.post(
        DOCUMENTS, params={"filename": "x.txt"}, content=b"x", headers=owner.headers
    )
    assert missing.status_code == 400, "the folder is required"
