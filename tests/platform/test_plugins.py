"""Plugins over real HTTP: installed through entry points, switched on per tenant, invisible
to tenants that did not switch them on, and failing plugins reported without harm."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tessera.plugin import API_VERSION
from tests.support import LiveServer, SignedUp, join, make_client, sign_up

TESSERA = Path(sys.executable).parent / "tessera"


async def _enable(owner: SignedUp, name: str, **body: Any) -> httpx.Response:
    return await owner.post(f"/api/v1/modules/{name}/enable", json=body or None)


async def _notes(owner: SignedUp) -> list[dict[str, Any]]:
    response = await owner.get("/api/v1/notes/notes")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_plugins_are_listed_with_the_ones_that_failed(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    body = (await owner.get("/api/v1/plugins")).json()
    loaded = {p["name"]: p for p in body["loaded"]}
    assert loaded["notes"]["version"] == "1.0.0"
    assert loaded["pins"]["depends"] == ["notes"]
    failed = {f["name"]: (f["stage"], f["reason"]) for f in body["failed"]}
    assert failed["broken"] == ("import", "RuntimeError: this plugin is broken on purpose")
    assert failed["incompatible"] == (
        "compatibility",
        f"supports plugin API >=99, this Tessera provides {API_VERSION}",
    )
    assert failed["orphan"][0] == "dependencies"
    assert "'ghost'" in failed["orphan"][1]
    assert failed["mismatched"][0] == "start"
    # And the platform goes on serving everything else.
    assert (await client.get("/health/ready")).status_code == 200
    assert (await owner.get("/api/v1/me")).status_code == 200


async def test_a_module_is_reachable_only_for_tenants_that_enabled_it(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        tenant_a, tenant_b = await sign_up(a), await sign_up(b)
        assert (await tenant_a.get("/api/v1/notes/notes")).status_code == 404

        enabled = await _enable(tenant_a, "notes")
        assert enabled.status_code == 200, enabled.text
        assert enabled.json() == {"enabled": ["notes"]}
        notes = await _notes(tenant_a)
        assert [n["title"] for n in notes] == ["Welcome to notes"], "the enable hook seeded it"
        created = await tenant_a.post(
            "/api/v1/notes/notes", json={"title": "Plan", "checklist": ["one", "two"]}
        )
        assert created.status_code == 201
        note_id = created.json()["id"]

        # Tenant B did not enable notes: every route of the module answers 404.
        for method, path in [
            ("GET", "/api/v1/notes/notes"),
            ("GET", f"/api/v1/notes/notes/{note_id}"),
            ("POST", "/api/v1/notes/notes"),
            ("DELETE", f"/api/v1/notes/notes/{note_id}"),
        ]:
            response = await b.request(
                method,
                path,
                headers=tenant_b.headers,
                json={"title": "x"} if method == "POST" else None,
            )
            assert response.status_code == 404, (method, path, response.text)
            assert response.headers["content-type"] == "application/problem+json"

        # Once B enables it, B sees its own notes only.
        await _enable(tenant_b, "notes")
        assert [n["title"] for n in await _notes(tenant_b)] == ["Welcome to notes"]
        assert (await tenant_b.get(f"/api/v1/notes/notes/{note_id}")).status_code == 404


async def test_disabling_keeps_the_data_and_enabling_brings_it_back(
    client: httpx.AsyncClient,
) -> None:
    owner = await sign_up(client)
    await _enable(owner, "notes")
    await owner.post("/api/v1/notes/notes", json={"title": "Keep me"})
    assert (await owner.post("/api/v1/modules/notes/disable")).status_code == 200
    assert (await owner.get("/api/v1/notes/notes")).status_code == 404
    modules = {m["name"]: m for m in (await owner.get("/api/v1/modules")).json()}
    assert modules["notes"]["enabled"] is False
    await _enable(owner, "notes")
    titles = sorted(n["title"] for n in await _notes(owner))
    assert titles == ["Keep me", "Welcome to notes"], "no second welcome note: not the first time"


async def test_dependencies_are_checked_when_enabling_and_disabling(
    client: httpx.AsyncClient,
) -> None:
    owner = await sign_up(client)
    refused = await _enable(owner, "pins")
    assert refused.status_code == 409
    assert "'notes'" in refused.json()["detail"]
    assert (await owner.get("/api/v1/pins")).status_code == 404

    both = await _enable(owner, "pins", with_dependencies=True)
    assert both.json() == {"enabled": ["notes", "pins"]}
    assert (await owner.get("/api/v1/pins")).json()["pins"] == "ready"

    blocked = await owner.post("/api/v1/modules/notes/disable")
    assert blocked.status_code == 409
    assert "'pins'" in blocked.json()["detail"]
    assert (await owner.post("/api/v1/modules/pins/disable")).status_code == 200
    assert (await owner.post("/api/v1/modules/notes/disable")).status_code == 200


async def test_unknown_and_failed_plugins_cannot_be_enabled(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    for name in ("nothing", "broken", "incompatible", "orphan", "mismatched"):
        response = await _enable(owner, name)
        assert response.status_code == 404, name


async def test_menus_show_only_enabled_modules(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    assert (await owner.get("/api/v1/ui/menus")).json() == []
    await _enable(owner, "notes")
    menus = (await owner.get("/api/v1/ui/menus")).json()
    assert menus == [
        {
            "module": "notes",
            "label": "Notes",
            "path": "/notes",
            "icon": "file-text",
            "order": 100,
            "resource": None,
            "dashboard": None,
        }
    ]


async def test_only_admins_switch_modules(live_server: LiveServer) -> None:
    async with make_client(live_server) as owner_client, make_client(live_server) as member_client:
        owner = await sign_up(owner_client)
        member = await join(live_server, owner, member_client, role="member")
        assert (await member.post("/api/v1/modules/notes/enable")).status_code == 403
        assert (await member.get("/api/v1/plugins")).status_code == 403
        await _enable(owner, "notes")
        assert (await member.get("/api/v1/notes/notes")).status_code == 200
        assert (await member.post("/api/v1/modules/notes/disable")).status_code == 403


async def test_plugin_records_are_audited_without_the_plugin_doing_anything(
    client: httpx.AsyncClient,
) -> None:
    owner = await sign_up(client)
    await _enable(owner, "notes")
    note = (await owner.post("/api/v1/notes/notes", json={"title": "Draft"})).json()
    await client.patch(
        f"/api/v1/notes/notes/{note['id']}", json={"title": "Final"}, headers=owner.headers
    )
    history = (await owner.get(f"/api/v1/audit/records/notes_note/{note['id']}")).json()["items"]
    assert [e["action"] for e in history] == ["update", "create"]
    assert history[0]["changes"] == {"title": ["Draft", "Final"]}
    switches = (await owner.get("/api/v1/audit", params={"record_type": "module"})).json()
    assert [e["action"] for e in switches["items"]] == ["module_enabled"]


async def test_purging_a_module_deletes_this_tenants_data_only(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        tenant_a, tenant_b = await sign_up(a), await sign_up(b)
        for owner in (tenant_a, tenant_b):
            await _enable(owner, "notes")
            await owner.post("/api/v1/notes/notes", json={"title": "Mine", "checklist": ["x"]})

        still_on = await tenant_a.post(
            "/api/v1/modules/notes/purge", json={"confirm": tenant_a.slug}
        )
        assert still_on.status_code == 409
        await tenant_a.post("/api/v1/modules/notes/disable")
        wrong = await tenant_a.post("/api/v1/modules/notes/purge", json={"confirm": "not-it"})
        assert wrong.status_code == 422
        assert wrong.json()["errors"][0]["field"] == "confirm"

        purged = await tenant_a.post("/api/v1/modules/notes/purge", json={"confirm": tenant_a.slug})
        assert purged.status_code == 200, purged.text
        assert purged.json() == {
            "deleted": {"notes_checklist_item": 1, "notes_note": 2, "notes_effect": 0}
        }
        entry = (await tenant_a.get("/api/v1/audit", params={"action": "module_purged"})).json()
        assert entry["items"][0]["record_id"] == "notes"

        # Enabling again is a first time: the welcome note is seeded anew.
        await _enable(tenant_a, "notes")
        assert [n["title"] for n in await _notes(tenant_a)] == ["Welcome to notes"]
        # Tenant B's notes are untouched.
        assert sorted(n["title"] for n in await _notes(tenant_b)) == ["Mine", "Welcome to notes"]


def test_the_cli_lists_plugins_and_runs_plugin_commands(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env["TESSERA_DATA_DIR"] = str(tmp_path)
    listed = subprocess.run(
        [str(TESSERA), "plugins", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = listed.stdout.splitlines()
    assert any(line.startswith("notes") and "loaded" in line for line in lines)
    assert any(line.startswith("broken") and "FAILED   (import)" in line for line in lines)
    hello = subprocess.run(
        [str(TESSERA), "notes", "hello"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert hello.stdout.strip() == "hello from notes"


@pytest.mark.parametrize("path", ["/api/v1/notes/notes", "/api/v1/pins"])
async def test_plugin_routes_need_a_signed_in_member(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(path)).status_code == 401


async def test_statement_writes_by_an_api_token_are_audited_as_the_token(
    client: httpx.AsyncClient,
) -> None:
    """A purge deletes by statement, with no ORM flush: the actor must reach the trigger anyway."""
    owner = await sign_up(client)
    secret = (await owner.post("/api/v1/tokens", json={"name": "ops"})).json()["secret"]
    await _enable(owner, "notes")
    await owner.post("/api/v1/modules/notes/disable")
    bearer = {"Authorization": f"Bearer {secret}"}
    purged = await client.post(
        "/api/v1/modules/notes/purge", json={"confirm": owner.slug}, headers=bearer
    )
    assert purged.status_code == 200, purged.text
    deleted = (
        await owner.get("/api/v1/audit", params={"record_type": "notes_note", "action": "delete"})
    ).json()["items"]
    assert [e["actor_kind"] for e in deleted] == ["token"]
    assert deleted[0]["actor_user_id"] == owner.user_id


async def test_resources_of_enabled_modules_describe_their_screens(
    client: httpx.AsyncClient,
) -> None:
    owner = await sign_up(client)
    assert (await owner.get("/api/v1/ui/resources")).json() == []
    await _enable(owner, "notes")
    [note] = (await owner.get("/api/v1/ui/resources")).json()
    assert note["name"] == "notes.note"
    assert note["endpoint"] == "/api/v1/notes/notes"
    assert [f["name"] for f in note["fields"]] == ["title", "body", "author_id"]
    assert note["form"] == [["title"], ["body"]]
    assert note["can_write"] is True
    # What the plugin does not declare, the app does not offer.
    assert (note["search"], note["sort_fields"], note["filter_params"]) == (False, [], {})
    assert (note["can_delete"], note["export_endpoint"], note["approvable"]) == (False, None, False)
    # The endpoint it names is real: the generic list screen can call it as is.
    assert (await owner.get(note["endpoint"])).status_code == 200


async def test_a_failing_enable_hook_is_named_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    owner = await sign_up(client)
    failed = await _enable(owner, "sulky")
    assert failed.status_code == 500
    assert failed.headers["content-type"] == "application/problem+json"
    assert failed.json()["detail"] == (
        "The 'Sulky' module failed in tessera_on_enable (RuntimeError); nothing was changed."
    )
    modules = {m["name"]: m for m in (await owner.get("/api/v1/modules")).json()}
    assert modules["sulky"]["enabled"] is False
    assert modules["sulky"]["first_enabled_at"] is None
    switches = (await owner.get("/api/v1/audit", params={"record_type": "module"})).json()
    assert switches["items"] == []
