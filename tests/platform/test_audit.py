"""The audit trail: every change with before/after, security events, append-only, tamper-evident."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.support import LiveServer, SignedUp, make_client, sign_up

TESSERA = Path(sys.executable).parent / "tessera"


async def _entries(owner: SignedUp, **params: Any) -> list[dict[str, Any]]:
    response = await owner.get("/api/v1/audit", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_record_changes_are_audited_with_before_and_after(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    created = await owner.post("/api/v1/tokens", json={"name": "deploy bot"})
    token_id = created.json()["token"]["id"]
    await owner.delete(f"/api/v1/tokens/{token_id}")

    history = (await owner.get(f"/api/v1/audit/records/identity_api_token/{token_id}")).json()
    update, create = history["items"]
    assert create["action"] == "create"
    assert create["changes"]["name"] == [None, "deploy bot"]
    assert create["changes"]["secret_hash"] == [None, "***"], "secrets are masked"
    assert create["actor_user_id"] == owner.user_id
    assert create["actor_kind"] == "user"
    assert update["action"] == "update"
    before, after = update["changes"]["revoked_at"]
    assert before is None
    assert after is not None
    assert update["request_id"]
    assert update["seq"] > create["seq"]


async def test_sign_up_is_audited_as_the_new_owner(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    entries = await _entries(owner, record_type="identity_membership")
    assert len(entries) == 1
    assert entries[0]["action"] == "create"
    assert entries[0]["changes"]["role"] == [None, "owner"]
    assert entries[0]["actor_user_id"] == owner.user_id
    assert entries[0]["ip"], "the client address is kept"
    assert entries[0]["user_agent"].startswith("python-httpx")


async def test_security_events_are_audited(live_server: LiveServer) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        await owner.post("/api/v1/auth/logout")
        bad = await client.post(
            "/api/v1/auth/login", json={"email": owner.email, "password": "wrong password!!"}
        )
        assert bad.status_code == 401
        good = await client.post(
            "/api/v1/auth/login", json={"email": owner.email, "password": owner.password}
        )
        owner.csrf = good.json()["csrf_token"]
        actions = [e["action"] for e in await _entries(owner, record_type="identity_user")]
    assert actions == ["login", "login_failed", "logout"]


async def test_a_bearer_token_is_named_as_the_actor(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    secret = (await owner.post("/api/v1/tokens", json={"name": "ci"})).json()["secret"]
    invite = await client.post(
        "/api/v1/invitations",
        json={"email": f"{uuid.uuid4().hex[:8]}@example.com", "role": "member"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert invite.status_code == 201
    entry = (await _entries(owner, record_type="identity_invitation"))[0]
    assert entry["actor_kind"] == "token"
    assert entry["actor_token_id"] is not None


async def test_members_cannot_read_the_audit_trail(live_server: LiveServer) -> None:
    async with make_client(live_server) as owner_client, make_client(live_server) as member_client:
        owner = await sign_up(owner_client)
        email = f"{uuid.uuid4().hex[:8]}@example.com"
        await owner.post("/api/v1/invitations", json={"email": email, "role": "member"})
        accepted = await member_client.post(
            "/api/v1/invitations/accept",
            json={
                "token": live_server.last_link_token(email),
                "name": "Mem Ber",
                "password": "member password 1",
            },
        )
        assert accepted.status_code == 200
        assert (await member_client.get("/api/v1/audit")).status_code == 403


async def test_filters_and_cursor_pages(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    for n in range(5):
        await owner.post("/api/v1/tokens", json={"name": f"token {n}"})
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"record_type": "identity_api_token", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await owner.get("/api/v1/audit", params=params)).json()
        seen += [e["seq"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5
    assert seen == sorted(seen, reverse=True)
    mine = await _entries(owner, actor=owner.user_id, action="create")
    assert {e["record_type"] for e in mine} == {"identity_membership", "identity_api_token"}
    empty = await _entries(owner, since="2999-01-01T00:00:00Z")
    assert empty == []


async def test_export_streams_csv_and_json_lines(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    for n in range(3):
        await owner.post("/api/v1/tokens", json={"name": f"token {n}"})
    jsonl = await owner.get("/api/v1/audit/export", params={"format": "jsonl"})
    assert jsonl.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in jsonl.text.splitlines()]
    assert [e["seq"] for e in lines] == list(range(1, len(lines) + 1))
    exported = await owner.get("/api/v1/audit/export", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [int(r["seq"]) for r in rows] == [e["seq"] for e in lines]
    assert json.loads(rows[-1]["changes"])["name"] == [None, "token 2"]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entry SET action = 'nothing'",
        "DELETE FROM audit_entry",
        "TRUNCATE audit_entry",
    ],
)
async def test_the_app_role_cannot_change_audit_entries(
    client: httpx.AsyncClient, app_db: asyncpg.Connection, statement: str
) -> None:
    owner = await sign_up(client)
    async with app_db.transaction():
        await app_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id)
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await app_db.execute(statement)


def _verify(live_server: LiveServer, slug: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env |= {
        "TESSERA_ENV": "test",
        "TESSERA_DATABASE_URL": str(live_server.settings.database_url),
        "TESSERA_DATA_DIR": str(live_server.settings.data_dir),
    }
    return subprocess.run(
        [str(TESSERA), "audit", "verify", "--tenant", slug],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def _tamper(owner_db: asyncpg.Connection, tenant_id: str, sql: str, seq: int) -> None:
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        await owner_db.execute(sql, seq)


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        (
            'UPDATE audit_entry SET changes = \'{"name": [null, "forged"]}\' WHERE seq = $1',
            "its content was changed after it was written",
        ),
        ("DELETE FROM audit_entry WHERE seq = $1", "sequence jumps"),
    ],
)
async def test_tampering_as_the_owner_is_caught_by_audit_verify(
    live_server: LiveServer, owner_db: asyncpg.Connection, sql: str, reason: str
) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        for n in range(3):
            await owner.post("/api/v1/tokens", json={"name": f"token {n}"})
    intact = _verify(live_server, owner.slug)
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.strip() == f"{owner.slug}: 4 entries, chain intact"

    await _tamper(owner_db, owner.tenant_id, sql, 3)
    broken = _verify(live_server, owner.slug)
    assert broken.returncode == 1
    assert f"{owner.slug}: BROKEN at entry #3" in broken.stderr or (
        "sequence jumps" in reason and f"{owner.slug}: BROKEN at entry #4" in broken.stderr
    )
    assert reason in broken.stderr
