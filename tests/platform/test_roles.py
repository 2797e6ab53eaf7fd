"""Custom roles, scoped record rules, the reporting line, and owners who cannot lock themselves out."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support import LiveServer, SignedUp, join, make_client, sign_up


async def _membership(owner: SignedUp, who: SignedUp) -> str:
    items = (await owner.get("/api/v1/members", params={"limit": 200})).json()["items"]
    return str(next(m["id"] for m in items if m["user_id"] == who.user_id))


async def _put(owner: SignedUp, path: str, body: dict[str, Any]) -> httpx.Response:
    return await owner.client.put(path, json=body, headers=owner.headers)


async def _patch(owner: SignedUp, path: str, body: dict[str, Any]) -> httpx.Response:
    return await owner.client.patch(path, json=body, headers=owner.headers)


async def test_a_disabled_modules_permissions_cannot_be_granted(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    role = {"name": "Note keeper", "grants": [{"permission": "notes.note.write", "scope": "all"}]}
    refused = await owner.post("/api/v1/roles", json=role)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "grants[0].permission"
    names = {p["name"] for p in (await owner.get("/api/v1/permissions")).json()}
    assert "notes.note.write" not in names
    await owner.post("/api/v1/modules/notes/enable")
    assert (await owner.post("/api/v1/roles", json=role)).status_code == 201


async def test_role_rules(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    cases = [
        ({"name": "x", "grants": [{"permission": "audit.entry.read", "scope": "own"}]}, 422, "grants[0].scope"),
        ({"name": "x", "grants": [{"permission": "nope.thing.read"}]}, 422, "grants[0].permission"),
        ({"name": "x", "grants": [{"permission": "modules.module.purge"}]}, 422, "grants[0].permission"),
        ({"name": "Admin"}, 422, "name"),
        ({"name": "x", "grants": [{"permission": "audit.entry.read"}] * 2}, 422, "grants[1].permission"),
    ]  # fmt: skip
    for body, status, field in cases:
        response = await owner.post("/api/v1/roles", json=body)
        assert response.status_code == status, (body, response.text)
        assert response.json()["errors"][0]["field"] == field
    assert (await owner.post("/api/v1/roles", json={"name": "Auditors"})).status_code == 201
    assert (await owner.post("/api/v1/roles", json={"name": "auditors"})).status_code == 409


async def test_a_custom_role_grants_and_removing_it_takes_away(live_server: LiveServer) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner = await sign_up(a)
        member = await join(live_server, owner, b)
        assert (await member.get("/api/v1/audit")).status_code == 403
        role = await owner.post(
            "/api/v1/roles",
            json={"name": "Auditor", "grants": [{"permission": "audit.entry.read"}]},
        )
        membership = await _membership(owner, member)
        path = f"/api/v1/members/{membership}/roles"
        assert (await _put(owner, path, {"role_ids": [role.json()["id"]]})).status_code == 200
        assert (await member.get("/api/v1/audit")).status_code == 200
        assert (await _put(owner, path, {"role_ids": []})).status_code == 200
        assert (await member.get("/api/v1/audit")).status_code == 403
        changes = (
            await owner.get("/api/v1/audit", params={"record_type": "access_member_role"})
        ).json()
        assert [e["action"] for e in changes["items"]] == ["delete", "create"]


async def test_disabling_a_module_withdraws_its_permissions(live_server: LiveServer) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner = await sign_up(a)
        member = await join(live_server, owner, b)
        await owner.post("/api/v1/modules/notes/enable")
        role = await owner.post(
            "/api/v1/roles",
            json={"name": "Readers", "grants": [{"permission": "notes.note.read", "scope": "all"}]},
        )
        await _put(
            owner,
            f"/api/v1/members/{await _membership(owner, member)}/roles",
            {"role_ids": [role.json()["id"]]},
        )
        assert (await member.get("/api/v1/me")).json()["permissions"]["notes.note.read"] == "all"
        await owner.post("/api/v1/modules/notes/disable")
        assert "notes.note.read" not in (await member.get("/api/v1/me")).json()["permissions"]
        await owner.post("/api/v1/modules/notes/enable")
        assert (await member.get("/api/v1/me")).json()["permissions"]["notes.note.read"] == "all"


async def _titles(who: SignedUp) -> set[str]:
    items = (await who.get("/api/v1/notes/notes", params={"limit": 200})).json()["items"]
    return {n["title"] for n in items}


async def test_record_rules_own_team_and_all(live_server: LiveServer) -> None:
    async with (
        make_client(live_server) as c0,
        make_client(live_server) as c1,
        make_client(live_server) as c2,
        make_client(live_server) as c3,
    ):
        owner = await sign_up(c0)
        await owner.post("/api/v1/modules/notes/enable")
        lead = await join(live_server, owner, c1)
        report = await join(live_server, owner, c2)
        outsider = await join(live_server, owner, c3)
        for who, title in ((lead, "lead's"), (report, "report's"), (outsider, "outsider's")):
            assert (await who.post("/api/v1/notes/notes", json={"title": title})).status_code == 201

        # Members see their own notes only; a note of another member is not found at all.
        assert await _titles(report) == {"report's"}
        outsider_note = next(
            n
            for n in (await owner.get("/api/v1/notes/notes")).json()["items"]
            if n["title"] == "outsider's"
        )
        assert (await report.get(f"/api/v1/notes/notes/{outsider_note['id']}")).status_code == 404

        # A team lead role (team scope) plus the reporting line: the lead sees the report's too.
        role = await owner.post(
            "/api/v1/roles",
            json={
                "name": "Team lead",
                "grants": [{"permission": "notes.note.read", "scope": "team"}],
            },
        )
        lead_membership = await _membership(owner, lead)
        await _put(
            owner, f"/api/v1/members/{lead_membership}/roles", {"role_ids": [role.json()["id"]]}
        )
        assert await _titles(lead) == {"lead's"}, "no reports yet"
        report_membership = await _membership(owner, report)
        moved = await _patch(
            owner, f"/api/v1/members/{report_membership}", {"manager_id": lead_membership}
        )
        assert moved.status_code == 200
        assert await _titles(lead) == {"lead's", "report's"}
        # Writing is still limited to their own notes (the team grant was for reading).
        report_note = next(
            n
            for n in (await lead.get("/api/v1/notes/notes")).json()["items"]
            if n["title"] == "report's"
        )
        assert (
            await _patch(lead, f"/api/v1/notes/notes/{report_note['id']}", {"body": "x"})
        ).status_code == 404

        # The owner and admins see everything.
        assert await _titles(owner) >= {"lead's", "report's", "outsider's", "Welcome to notes"}


async def test_the_reporting_line_cannot_loop(live_server: LiveServer) -> None:
    async with (
        make_client(live_server) as a,
        make_client(live_server) as b,
        make_client(live_server) as c,
    ):
        owner = await sign_up(a)
        one, two = await join(live_server, owner, b), await join(live_server, owner, c)
        m1, m2 = await _membership(owner, one), await _membership(owner, two)
        assert (await _patch(owner, f"/api/v1/members/{m2}", {"manager_id": m1})).status_code == 200
        looped = await _patch(owner, f"/api/v1/members/{m1}", {"manager_id": m2})
        assert looped.status_code == 422
        assert looped.json()["errors"][0]["field"] == "manager_id"
        itself = await _patch(owner, f"/api/v1/members/{m1}", {"manager_id": m1})
        assert itself.status_code == 422


async def test_owners_cannot_lock_themselves_out(live_server: LiveServer) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner = await sign_up(a)
        admin = await join(live_server, owner, b, role="admin")
        me = await _membership(owner, owner)
        admin_membership = await _membership(owner, admin)

        demote = await _patch(owner, f"/api/v1/members/{me}", {"role": "admin"})
        assert demote.status_code == 409
        assert (await owner.delete(f"/api/v1/members/{me}")).status_code == 409
        # An admin can neither make owners nor remove one.
        assert (
            await _patch(admin, f"/api/v1/members/{admin_membership}", {"role": "owner"})
        ).status_code == 403
        assert (await admin.delete(f"/api/v1/members/{me}")).status_code == 403

        # With a second owner, the first may step down.
        assert (
            await _patch(owner, f"/api/v1/members/{admin_membership}", {"role": "owner"})
        ).status_code == 200
        assert (await _patch(owner, f"/api/v1/members/{me}", {"role": "member"})).status_code == 200
        history = (await admin.get(f"/api/v1/audit/records/identity_membership/{me}")).json()[
            "items"
        ]
        assert history[0]["changes"] == {"role": ["owner", "member"]}


async def test_reading_the_custom_roles_a_member_holds(live_server: LiveServer) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner = await sign_up(a)
        member = await join(live_server, owner, b)
        made = await owner.post(
            "/api/v1/roles",
            json={"name": "Auditor", "grants": [{"permission": "audit.entry.read"}]},
        )
        other = await owner.post("/api/v1/roles", json={"name": "Bystander"})
        path = f"/api/v1/members/{await _membership(owner, member)}/roles"
        assert (await owner.get(path)).json() == []
        assert (await _put(owner, path, {"role_ids": [made.json()["id"]]})).status_code == 200

        held = (await owner.get(path)).json()
        assert [r["name"] for r in held] == ["Auditor"]
        assert held[0]["grants"] == [{"permission": "audit.entry.read", "scope": "all"}]
        assert other.json()["id"] not in {r["id"] for r in held}
        # Members may see roles (access.role.read is everyone's), not change them.
        assert (await member.get(path)).status_code == 200
        assert (await _put(member, path, {"role_ids": []})).status_code == 403
        missing = "/api/v1/members/01900000-0000-7000-8000-000000000000/roles"
        assert (await owner.get(missing)).status_code == 404
