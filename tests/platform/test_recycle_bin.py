"""Deleting moves a record (and what is deleted with it) to the recycle bin; restore brings it
all back; the bin respects who may write what; every step is in the audit trail."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tests.support import LiveServer, SignedUp, join, make_client, sign_up


async def _note(owner: SignedUp, title: str, checklist: list[str] | None = None) -> dict[str, Any]:
    made = await owner.post(
        "/api/v1/notes/notes", json={"title": title, "checklist": checklist or []}
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def _bin(who: SignedUp, **params: Any) -> list[dict[str, Any]]:
    response = await who.get("/api/v1/recycle-bin", params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _titles(who: SignedUp) -> list[str]:
    return sorted(n["title"] for n in (await who.get("/api/v1/notes/notes")).json()["items"])


async def test_delete_and_restore_a_record_with_its_children(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    await owner.post("/api/v1/modules/notes/enable")
    note = await _note(owner, "Quarterly plan", ["draft", "review"])

    assert (await owner.delete(f"/api/v1/notes/notes/{note['id']}")).status_code == 200
    assert "Quarterly plan" not in await _titles(owner)
    assert (await owner.get(f"/api/v1/notes/notes/{note['id']}")).status_code == 404
    [item] = await _bin(owner, record_type="notes_note")
    assert item["record_id"] == note["id"]
    assert item["label"] == "Quarterly plan"
    assert item["records"] == 3, "the note and its two checklist items"
    assert item["deleted_by"] == owner.user_id

    # Uniqueness ignores what is in the bin: a new note may take the name …
    newcomer = await _note(owner, "Quarterly plan")
    # … and then restoring the old one conflicts, changing nothing.
    clash = await owner.post(f"/api/v1/recycle-bin/{item['id']}/restore")
    assert clash.status_code == 409
    assert len(await _bin(owner, record_type="notes_note")) == 1
    await owner.delete(f"/api/v1/notes/notes/{newcomer['id']}")

    restored = await owner.post(f"/api/v1/recycle-bin/{item['id']}/restore")
    assert restored.status_code == 200, restored.text
    back = (await owner.get(f"/api/v1/notes/notes/{note['id']}")).json()
    assert back["checklist"] == ["draft", "review"]
    assert [i["record_id"] for i in await _bin(owner, record_type="notes_note")] == [newcomer["id"]]

    history = (await owner.get(f"/api/v1/audit/records/notes_note/{note['id']}")).json()["items"]
    assert [e["action"] for e in history] == ["restore", "delete", "create"]
    assert history[1]["changes"]["title"] == ["Quarterly plan", None]


async def test_a_removed_member_comes_back_with_tokens_and_roles(live_server: LiveServer) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner = await sign_up(a)
        member = await join(live_server, owner, b)
        token = (await member.post("/api/v1/tokens", json={"name": "laptop"})).json()
        role = (await owner.post("/api/v1/roles", json={"name": "Helpers"})).json()
        members = (await owner.get("/api/v1/members")).json()["items"]
        membership = next(m["id"] for m in members if m["user_id"] == member.user_id)
        await owner.client.put(
            f"/api/v1/members/{membership}/roles",
            json={"role_ids": [role["id"]]},
            headers=owner.headers,
        )

        assert (await owner.delete(f"/api/v1/members/{membership}")).status_code == 200
        assert (await member.get("/api/v1/members")).status_code == 403
        bearer = {"Authorization": f"Bearer {token['secret']}"}
        assert (await b.get("/api/v1/me", headers=bearer)).status_code == 401

        [item] = await _bin(owner, record_type="identity_membership")
        assert item["records"] == 3, "membership, API token, role assignment"
        assert (await owner.post(f"/api/v1/recycle-bin/{item['id']}/restore")).status_code == 200
        me = (await b.get("/api/v1/me", headers=bearer)).json()
        assert me["tenant"]["slug"] == owner.slug
        roles = (await owner.get(f"/api/v1/roles/{role['id']}")).status_code
        assert roles == 200


async def test_the_bin_respects_who_may_write_what(live_server: LiveServer) -> None:
    async with (
        make_client(live_server) as a,
        make_client(live_server) as b,
        make_client(live_server) as c,
    ):
        owner = await sign_up(a)
        await owner.post("/api/v1/modules/notes/enable")
        writer, other = await join(live_server, owner, b), await join(live_server, owner, c)
        note = await _note(writer, "Mine")
        await writer.delete(f"/api/v1/notes/notes/{note['id']}")

        [item] = await _bin(writer)
        assert await _bin(other) == [], "another member does not even see it"
        assert (await other.post(f"/api/v1/recycle-bin/{item['id']}/restore")).status_code == 403
        assert (await writer.delete(f"/api/v1/recycle-bin/{item['id']}")).status_code == 403
        assert [i["id"] for i in await _bin(owner)] == [item["id"]], "owners see everything"
        assert (await writer.post(f"/api/v1/recycle-bin/{item['id']}/restore")).status_code == 200
        assert await _titles(writer) == ["Mine"]


async def test_purge_and_expiry(client: httpx.AsyncClient, owner_db: asyncpg.Connection) -> None:
    owner = await sign_up(client)
    await owner.post("/api/v1/modules/notes/enable")
    first, second = await _note(owner, "first"), await _note(owner, "second")
    for note in (first, second):
        await owner.delete(f"/api/v1/notes/notes/{note['id']}")
    items = {i["record_id"]: i["id"] for i in await _bin(owner, record_type="notes_note")}

    assert (await owner.delete(f"/api/v1/recycle-bin/{items[first['id']]}")).status_code == 200
    assert (
        await owner.post(f"/api/v1/recycle-bin/{items[first['id']]}/restore")
    ).status_code == 404
    purged = (await owner.get("/api/v1/audit", params={"action": "purge"})).json()["items"]
    assert purged[0]["record_id"] == first["id"]

    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        await owner_db.execute(
            "UPDATE recycle_item SET expires_at = now() - interval '1 minute' WHERE id = $1::uuid",
            items[second["id"]],
        )
    assert await _bin(owner, record_type="notes_note") == []
    expired = await owner.post(f"/api/v1/recycle-bin/{items[second['id']]}/restore")
    assert expired.status_code == 410


async def test_the_cli_purges_what_expired(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        await owner.post("/api/v1/modules/notes/enable")
        note = await _note(owner, "old news")
        await owner.delete(f"/api/v1/notes/notes/{note['id']}")
        async with owner_db.transaction():
            await owner_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id
            )
            await owner_db.execute("UPDATE recycle_item SET expires_at = now() - interval '1 day'")
        env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
        env |= {
            "TESSERA_ENV": "test",
            "TESSERA_DATABASE_URL": str(live_server.settings.database_url),
            "TESSERA_DATA_DIR": str(live_server.settings.data_dir),
        }
        result = await asyncio.to_thread(
            subprocess.run,
            [str(Path(sys.executable).parent / "tessera"), "recycle", "purge-expired"],
            env=env, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        assert result.stdout.startswith("Purged ")
        async with owner_db.transaction():
            await owner_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id
            )
            assert await owner_db.fetchval("SELECT count(*) FROM recycle_item") == 0
        purged = (await owner.get("/api/v1/audit", params={"action": "purge"})).json()["items"]
        assert purged[0]["record_id"] == note["id"]


def test_array_columns_come_back_with_their_element_types() -> None:
    """A binned row's uuid[] or date[] column is stored as JSON and restored as it was."""
    import json
    import uuid
    from datetime import date

    from sqlalchemy import ARRAY, Column, Date, MetaData, String, Table, Uuid

    from tessera.recycle.snapshot import decode_row, encode

    table = Table(
        "arrays",
        MetaData(),
        Column("ids", ARRAY(Uuid)),
        Column("days", ARRAY(Date)),
        Column("tags", ARRAY(String)),
    )
    row = {"ids": [uuid.uuid4(), uuid.uuid4()], "days": [date(2031, 3, 3)], "tags": ["a", "b"]}
    stored = json.loads(json.dumps({name: encode(value) for name, value in row.items()}))
    assert decode_row(table, stored) == row
