"""The approval engine over real HTTP, on the expenses test plugin's claims.

Each test builds its own company: an owner, an admin, a requester (who may write claims through
a custom role) and the requester's manager. Enabling the expenses module installs its default
workflow: the manager approves; finance (admins) too when the amount is over 10 000.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from tessera.db.engine import Database
from tessera.db.tenant_context import set_tenant
from tessera.recycle.capture import PlatformSession
from tessera.runtime import runtime_database_url
from tessera.workflow.service import escalate_overdue
from tests.support import LiveServer, SignedUp, join, make_client, sign_up

API = "/api/v1/workflow"
CLAIMS = "/api/v1/expenses/claims"
RECORD_TYPE = "expenses.claim"


@dataclass
class Company:
    owner: SignedUp
    admin: SignedUp
    requester: SignedUp
    manager: SignedUp
    claimants_role: str

    def by_user(self, user_id: str) -> SignedUp:
        people = (self.owner, self.admin, self.requester, self.manager)
        return next(p for p in people if p.user_id == user_id)


async def _patch(who: SignedUp, path: str, body: dict[str, Any]) -> httpx.Response:
    return await who.client.patch(path, json=body, headers=who.headers)


async def _put(who: SignedUp, path: str, body: dict[str, Any]) -> httpx.Response:
    return await who.client.put(path, json=body, headers=who.headers)


async def membership(owner: SignedUp, who: SignedUp) -> str:
    items = (await owner.get("/api/v1/members", params={"limit": 200})).json()["items"]
    return str(next(m["id"] for m in items if m["user_id"] == who.user_id))


async def grant_claims(company_owner: SignedUp, role_id: str, who: SignedUp) -> None:
    member = await membership(company_owner, who)
    response = await _put(company_owner, f"/api/v1/members/{member}/roles", {"role_ids": [role_id]})
    assert response.status_code == 200, response.text


@contextlib.asynccontextmanager
async def company(live_server: LiveServer) -> AsyncIterator[Company]:
    async with (
        make_client(live_server) as a,
        make_client(live_server) as b,
        make_client(live_server) as c,
        make_client(live_server) as d,
    ):
        owner = await sign_up(a)
        assert (await owner.post("/api/v1/modules/expenses/enable")).status_code == 200
        admin = await join(live_server, owner, b, role="admin")
        requester = await join(live_server, owner, c)
        manager = await join(live_server, owner, d)
        role = await owner.post(
            "/api/v1/roles",
            json={
                "name": "Claimants",
                "grants": [{"permission": "expenses.claim.write", "scope": "own"}],
            },
        )
        assert role.status_code == 201, role.text
        await grant_claims(owner, role.json()["id"], requester)
        changed = await _patch(
            owner,
            f"/api/v1/members/{await membership(owner, requester)}",
            {"manager_id": await membership(owner, manager)},
        )
        assert changed.status_code == 200, changed.text
        yield Company(owner, admin, requester, manager, role.json()["id"])


async def new_claim(who: SignedUp, amount: str, title: str = "Trip") -> dict[str, Any]:
    made = await who.post(CLAIMS, json={"title": title, "amount": amount, "department": "sales"})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def submit(who: SignedUp, claim: dict[str, Any]) -> dict[str, Any]:
    response = await who.post(
        f"{API}/submissions", json={"record_type": RECORD_TYPE, "record_id": claim["id"]}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def inbox(who: SignedUp) -> list[dict[str, Any]]:
    response = await who.get(f"{API}/inbox")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def only_task(who: SignedUp) -> str:
    [item] = await inbox(who)
    return str(item["task"]["id"])


async def act(who: SignedUp, task_id: str, action: str, **body: Any) -> httpx.Response:
    return await who.post(f"{API}/tasks/{task_id}/{action}", json=body or None)


async def history(who: SignedUp, claim: dict[str, Any]) -> list[dict[str, Any]]:
    response = await who.get(f"{API}/records/{RECORD_TYPE}/{claim['id']}/history")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def events(owner_db: asyncpg.Connection, tenant_id: str) -> list[tuple[str, dict[str, Any]]]:
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        rows = await owner_db.fetch(
            "SELECT type, payload::text AS payload FROM event_outbox "
            "WHERE type LIKE 'tessera.approval.%' ORDER BY id"
        )
    import json

    return [(r["type"], json.loads(r["payload"])) for r in rows]


async def definition(owner: SignedUp) -> dict[str, Any]:
    [item] = (await owner.get(f"{API}/definitions")).json()["items"]
    found: dict[str, Any] = item
    return found


async def replace_default(owner: SignedUp, steps: list[dict[str, Any]], **extra: Any) -> str:
    """Switch the template off and make ``steps`` the active workflow; its id."""
    default = await definition(owner)
    assert (await owner.post(f"{API}/definitions/{default['id']}/deactivate")).status_code == 200
    made = await owner.post(
        f"{API}/definitions",
        json={
            "key": "custom",
            "record_type": RECORD_TYPE,
            "name": "Custom",
            "steps": steps,
            **extra,
        },
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


# --- Flows --------------------------------------------------------------------------------


async def test_two_steps_with_a_condition_on_the_amount(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with company(live_server) as co:
        default = await definition(co.owner)
        assert default["key"] == "expenses.claim_approval"
        assert [s["name"] for s in default["steps"]] == ["Manager", "Finance"]

        big = await new_claim(co.requester, "20000.00")
        started = await submit(co.requester, big)
        assert started["status"] == "pending" and started["version"] == 1
        assert await inbox(co.admin) == [], "finance waits for the manager"
        [item] = await inbox(co.manager)
        assert item["record_id"] == big["id"] and item["task"]["step_name"] == "Manager"

        approved = await act(co.manager, item["task"]["id"], "approve", comment="fine")
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "pending" and approved.json()["current_step"] == 1
        finance = await only_task(co.admin)
        done = await act(co.admin, finance, "approve")
        assert done.json()["status"] == "approved"

        small = await new_claim(co.requester, "500.00", title="Lunch")
        await submit(co.requester, small)
        finished = await act(co.manager, await only_task(co.manager), "approve")
        assert finished.json()["status"] == "approved", "finance is skipped under 10 000"
        assert await inbox(co.admin) == []

        [record] = await history(co.requester, small)
        assert [a["action"] for a in record["actions"]] == [
            "submitted",
            "task_approved",
            "step_completed",
            "step_skipped",
            "approved",
        ]
        [first] = await history(co.requester, big)
        assert first["actions"][1]["comment"] == "fine"

        types = [t for t, _ in await events(owner_db, co.owner.tenant_id)]
        assert types[:6] == [
            "tessera.approval.submitted",
            "tessera.approval.requested",
            "tessera.approval.step_completed",
            "tessera.approval.requested",
            "tessera.approval.step_completed",
            "tessera.approval.approved",
        ]
        requested = [
            p for t, p in await events(owner_db, co.owner.tenant_id) if t.endswith("requested")
        ]
        assert requested[0]["assignee_user_id"] == co.manager.user_id
        assert requested[0]["record_id"] == big["id"]
        assert set(requested[0]) >= {"instance_id", "task_id", "record_type", "record_id"}


async def test_any_needs_one_approval_all_needs_every_one(live_server: LiveServer) -> None:
    async with company(live_server) as co, make_client(live_server) as e:
        second_admin = await join(live_server, co.owner, e, role="admin")
        steps = [{"name": "Admins", "approvers": "role", "role": "admin", "mode": "any"}]
        custom = await replace_default(co.owner, steps)

        claim = await new_claim(co.requester, "10")
        await submit(co.requester, claim)
        first = await only_task(co.admin)
        other = await only_task(second_admin)
        assert (await act(co.admin, first, "approve")).json()["status"] == "approved"
        assert await inbox(second_admin) == []
        assert (await act(second_admin, other, "approve")).status_code == 409

        steps[0]["mode"] = "all"
        updated = await _put(
            co.owner, f"{API}/definitions/{custom}", {"name": "All", "steps": steps}
        )
        assert updated.status_code == 200 and updated.json()["version"] == 2
        claim = await new_claim(co.requester, "20", title="Taxi")
        await submit(co.requester, claim)
        assert (await act(co.admin, await only_task(co.admin), "approve")).json()[
            "status"
        ] == "pending"
        last = await act(second_admin, await only_task(second_admin), "approve")
        assert last.json()["status"] == "approved"


async def test_custom_role_approvers(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        # The manager holds the Claimants role too; the requester (also a holder) never
        # approves their own claim.
        await grant_claims(co.owner, co.claimants_role, co.manager)
        await replace_default(
            co.owner, [{"name": "Peers", "approvers": "role", "role": co.claimants_role}]
        )
        await submit(co.requester, await new_claim(co.requester, "10"))
        assert await inbox(co.requester) == []
        assert (await act(co.manager, await only_task(co.manager), "approve")).status_code == 200


async def test_delegation(live_server: LiveServer, owner_db: asyncpg.Connection) -> None:
    async with company(live_server) as co:
        claim = await new_claim(co.requester, "50")
        await submit(co.requester, claim)
        task = await only_task(co.manager)

        to_self = await act(co.manager, task, "delegate", user_id=co.requester.user_id)
        assert to_self.status_code == 422 and to_self.json()["errors"][0]["field"] == "user_id"
        handed = await act(co.manager, task, "delegate", user_id=co.owner.user_id, comment="away")
        assert handed.status_code == 200, handed.text
        assert handed.json()["assignee_user_id"] == co.owner.user_id
        assert handed.json()["replaces_id"] == task
        assert await inbox(co.manager) == []
        assert (await act(co.manager, task, "approve")).status_code == 409
        assert (await act(co.owner, await only_task(co.owner), "approve")).json()[
            "status"
        ] == "approved"

        [record] = await history(co.requester, claim)
        assert [t["status"] for t in record["instance"]["tasks"]] == ["delegated", "approved"]
        assert "tessera.approval.delegated" in [
            t for t, _ in await events(owner_db, co.owner.tenant_id)
        ]


async def test_rejection_ends_the_approval(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        claim = await new_claim(co.requester, "30000")
        await submit(co.requester, claim)
        rejected = await act(co.manager, await only_task(co.manager), "reject", comment="no")
        assert rejected.json()["status"] == "rejected"
        assert await inbox(co.admin) == [] and await inbox(co.manager) == []
        [record] = await history(co.requester, claim)
        assert record["actions"][-1] == {
            **record["actions"][-1],
            "action": "rejected",
            "comment": "no",
        }


async def test_return_for_changes_then_resubmit(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        claim = await new_claim(co.requester, "800")
        await submit(co.requester, claim)
        returned = await act(co.manager, await only_task(co.manager), "return", comment="receipt?")
        assert returned.json()["status"] == "returned"

        edited = await _patch(co.requester, f"{CLAIMS}/{claim['id']}", {"amount": "750.00"})
        assert edited.status_code == 200, "a returned claim can be changed"
        again = await submit(co.requester, claim)
        assert again["status"] == "pending"
        assert (await act(co.manager, await only_task(co.manager), "approve")).json()[
            "status"
        ] == "approved"
        records = await history(co.requester, claim)
        assert [r["instance"]["status"] for r in records] == ["returned", "approved"]


async def test_comments_and_cancel(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        claim = await new_claim(co.requester, "70")
        started = await submit(co.requester, claim)
        task = await only_task(co.manager)
        assert (
            await act(co.requester, task, "comment", comment="receipt attached")
        ).status_code == 200
        assert (await act(co.manager, task, "comment", comment="thanks")).status_code == 200
        assert (await act(co.admin, task, "comment", comment="me too")).status_code == 403
        empty = await act(co.manager, task, "comment", comment="  ")
        assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "comment"

        assert (await co.manager.post(f"{API}/instances/{started['id']}/cancel")).status_code == 403
        cancelled = await co.requester.post(f"{API}/instances/{started['id']}/cancel")
        assert cancelled.json()["status"] == "cancelled"
        assert await inbox(co.manager) == []
        assert (
            await co.requester.post(f"{API}/instances/{started['id']}/cancel")
        ).status_code == 409
        [record] = await history(co.owner, claim)
        assert [a["action"] for a in record["actions"]] == [
            "submitted", "commented", "commented", "cancelled",
        ]  # fmt: skip
        assert [a["comment"] for a in record["actions"]][1:3] == ["receipt attached", "thanks"]


async def test_escalation_after_the_time_limit(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with company(live_server) as co:
        step = {
            "name": "Manager",
            "approvers": "manager",
            "time_limit_minutes": 1,
            "escalate_to": co.admin.user_id,
        }
        await replace_default(co.owner, [step])
        claim = await new_claim(co.requester, "90")
        await submit(co.requester, claim)
        task = await only_task(co.manager)

        run = f"{API}/escalations/run"
        assert (await co.owner.post(run)).json() == {"escalated": 0}, "not overdue yet"
        assert (await co.admin.post(run)).status_code == 200
        assert (await co.manager.post(run)).status_code == 403
        async with owner_db.transaction():
            await owner_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", co.owner.tenant_id
            )
            await owner_db.execute(
                "UPDATE workflow_task SET due_at = now() - interval '1 minute' WHERE id = $1::uuid",
                task,
            )
        assert (await co.owner.post(run)).json() == {"escalated": 1}
        assert (await co.owner.post(run)).json() == {"escalated": 0}, "escalated once"
        assert await inbox(co.manager) == []
        assert (await act(co.admin, await only_task(co.admin), "approve")).json()[
            "status"
        ] == "approved"
        [record] = await history(co.requester, claim)
        assert [t["status"] for t in record["instance"]["tasks"]] == ["escalated", "approved"]
        types = [t for t, _ in await events(owner_db, co.owner.tenant_id)]
        assert "tessera.approval.escalated" in types


async def test_the_scheduler_escalates_with_its_own_clock(live_server: LiveServer) -> None:
    """The service function the scheduler calls, on a runtime-role session, with ``now`` ahead."""
    async with company(live_server) as co:
        # The manager's own manager is the owner: "manager" escalation goes up the line.
        manager = await membership(co.owner, co.manager)
        await _patch(
            co.owner,
            f"/api/v1/members/{manager}",
            {"manager_id": await membership(co.owner, co.owner)},
        )
        step = {
            "name": "Manager",
            "approvers": "manager",
            "time_limit_hours": 4,
            "escalate_to": "manager",
        }
        await replace_default(co.owner, [step])
        await submit(co.requester, await new_claim(co.requester, "90"))
        overdue = await only_task(co.manager)

        database = Database(
            runtime_database_url(live_server.settings), pool_size=1, session_class=PlatformSession
        )
        tenant = uuid.UUID(co.owner.tenant_id)
        try:
            for hours, expected in ((3, 0), (5, 1), (6, 0)):
                async with database.transaction() as db:
                    await set_tenant(db, tenant)
                    later = datetime.now(UTC) + timedelta(hours=hours)
                    assert await escalate_overdue(db, tenant, later) == expected, hours
        finally:
            await database.dispose()
        [item] = await inbox(co.owner)
        assert item["task"]["replaces_id"] == overdue
        assert item["task"]["due_at"] is None


async def test_a_changed_definition_keeps_running_instances_on_their_version(
    live_server: LiveServer,
) -> None:
    async with company(live_server) as co:
        default = await definition(co.owner)
        first = await new_claim(co.requester, "100")
        await submit(co.requester, first)

        steps = [{"name": "Owner only", "approvers": "users", "users": [co.owner.user_id]}]
        changed = await _put(
            co.owner, f"{API}/definitions/{default['id']}", {"name": "Owner signs", "steps": steps}
        )
        assert changed.status_code == 200 and changed.json()["version"] == 2
        versions = (await co.owner.get(f"{API}/definitions/{default['id']}/versions")).json()
        assert [v["version"] for v in versions] == [2, 1]

        second = await new_claim(co.requester, "200", title="Hotel")
        started = await submit(co.requester, second)
        assert started["version"] == 2
        [owner_item] = await inbox(co.owner)
        assert owner_item["record_id"] == second["id"]
        [manager_item] = await inbox(co.manager)
        assert manager_item["record_id"] == first["id"], "the first claim still follows version 1"
        assert (await act(co.manager, manager_item["task"]["id"], "approve")).json()["version"] == 1


async def test_guarded_fields_are_locked_while_pending(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        claim = await new_claim(co.requester, "400")
        path = f"{CLAIMS}/{claim['id']}"
        await submit(co.requester, claim)

        locked = await _patch(co.requester, path, {"amount": "4000.00"})
        assert locked.status_code == 409, locked.text
        assert "amount" in locked.json()["detail"]
        assert (await _patch(co.requester, path, {"department": "ops"})).status_code == 409
        assert (await co.requester.delete(path)).status_code == 409
        assert (await co.requester.get(path)).json()["amount"] == "400.00", "nothing changed"
        free = await _patch(co.requester, path, {"title": "Trip to Oslo"})
        assert free.status_code == 200, "fields not guarded stay editable"
        twice = await co.requester.post(
            f"{API}/submissions", json={"record_type": RECORD_TYPE, "record_id": claim["id"]}
        )
        assert twice.status_code == 409

        await act(co.manager, await only_task(co.manager), "approve")
        assert (await _patch(co.requester, path, {"amount": "4000.00"})).status_code == 200


# --- Who may do what ----------------------------------------------------------------------


async def test_only_the_right_people_act(live_server: LiveServer) -> None:
    async with company(live_server) as co, make_client(live_server) as x:
        claim = await new_claim(co.requester, "60")
        body = {"record_type": RECORD_TYPE, "record_id": claim["id"]}

        # The manager cannot write claims: no submit permission.
        assert (await co.manager.post(f"{API}/submissions", json=body)).status_code == 403
        # Another claimant holds the permission for their own claims only: not this one.
        async with make_client(live_server) as f:
            peer = await join(live_server, co.owner, f)
            await grant_claims(co.owner, co.claimants_role, peer)
            assert (await peer.post(f"{API}/submissions", json=body)).status_code == 404

        started = await submit(co.requester, claim)
        task = await only_task(co.manager)
        for who in (co.requester, co.admin, co.owner):
            for action in ("approve", "reject", "return"):
                assert (await act(who, task, action)).status_code == 403, (who.email, action)
            denied = await act(who, task, "delegate", user_id=co.admin.user_id)
            assert denied.status_code == 403

        # Definitions are for admins.
        assert (await co.manager.get(f"{API}/definitions")).status_code == 403
        made = await co.requester.post(
            f"{API}/definitions",
            json={"key": "mine", "record_type": RECORD_TYPE, "name": "x", "steps": []},
        )
        assert made.status_code == 403

        # Another tenant sees none of it.
        stranger = await sign_up(x)
        await stranger.post("/api/v1/modules/expenses/enable")
        assert (await act(stranger, task, "approve")).status_code == 404
        assert (await act(stranger, task, "comment", comment="hi")).status_code == 404
        assert (await stranger.post(f"{API}/instances/{started['id']}/cancel")).status_code == 404
        assert (await stranger.post(f"{API}/submissions", json=body)).status_code == 404
        foreign = f"{API}/records/{RECORD_TYPE}/{claim['id']}/history"
        assert (await stranger.get(foreign)).status_code == 404
        definition_id = (await definition(co.owner))["id"]
        assert (await stranger.get(f"{API}/definitions/{definition_id}")).status_code == 404
        assert (
            await co.manager.get(f"{API}/records/{RECORD_TYPE}/{claim['id']}/history")
        ).status_code == 200


async def test_a_disabled_module_hides_its_record_types(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        claim = await new_claim(co.requester, "60")
        await submit(co.requester, claim)
        definition_id = (await definition(co.owner))["id"]
        assert (await co.owner.post("/api/v1/modules/expenses/disable")).status_code == 200

        body = {"record_type": RECORD_TYPE, "record_id": claim["id"]}
        assert (await co.requester.post(f"{API}/submissions", json=body)).status_code == 404
        history_path = f"{API}/records/{RECORD_TYPE}/{claim['id']}/history"
        assert (await co.owner.get(history_path)).status_code == 404
        assert (await co.owner.get(f"{API}/definitions/{definition_id}")).status_code == 404
        assert (await co.owner.get(f"{API}/definitions")).json()["items"] == []
        assert await inbox(co.manager) == []

        # Enabling again brings everything back, and does not install the template twice.
        assert (await co.owner.post("/api/v1/modules/expenses/enable")).status_code == 200
        assert (await definition(co.owner))["id"] == definition_id
        assert len(await inbox(co.manager)) == 1


async def test_a_template_is_not_reinstalled_over_the_tenants_own(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        default = await definition(co.owner)
        steps = [{"name": "Owner", "approvers": "users", "users": [co.owner.user_id]}]
        await _put(co.owner, f"{API}/definitions/{default['id']}", {"name": "Ours", "steps": steps})
        await co.owner.post("/api/v1/modules/expenses/disable")
        await co.owner.post("/api/v1/modules/expenses/enable")
        again = await definition(co.owner)
        assert (again["name"], again["version"]) == ("Ours", 2)


# --- Bad input ----------------------------------------------------------------------------


async def _definition_rows(owner_db: asyncpg.Connection, tenant_id: str) -> int:
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        count: int = await owner_db.fetchval(
            "SELECT (SELECT count(*) FROM workflow_definition) "
            "+ (SELECT count(*) FROM workflow_definition_version)"
        )
        return count


async def test_bad_definitions_are_refused_by_field_and_write_nothing(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with company(live_server) as co, make_client(live_server) as x:
        outsider = (await sign_up(x)).user_id
        ok_step: dict[str, Any] = {"name": "Boss", "approvers": "manager"}

        def body(**changes: Any) -> dict[str, Any]:
            return {
                "key": "other",
                "record_type": RECORD_TYPE,
                "name": "Other",
                "steps": [ok_step],
            } | changes

        def step(**changes: Any) -> dict[str, Any]:
            return body(steps=[ok_step | changes])

        cases: list[tuple[dict[str, Any], str]] = [
            (body(steps=[]), "steps"),
            (body(key="Bad Key!"), "key"),
            (body(record_type="notes.note"), "record_type"),
            (body(record_type="expenses.nothing"), "record_type"),
            (body(guarded_fields=["amount", "colour"]), "guarded_fields[1]"),
            (step(approvers="robots"), "steps[0].approvers"),
            (step(mode="most"), "steps[0].mode"),
            (step(name="   "), "steps[0].name"),
            (step(approvers="users"), "steps[0].users"),
            (step(approvers="users", users=[outsider]), "steps[0].users[0]"),
            (step(approvers="role"), "steps[0].role"),
            (step(approvers="role", role="boss"), "steps[0].role"),
            (step(approvers="role", role="01900000-0000-7000-8000-000000000000"), "steps[0].role"),
            (step(condition="amount > 'ten'"), "steps[0].condition"),
            (step(condition="colour = 'red'"), "steps[0].condition"),
            (step(condition="amount >"), "steps[0].condition"),
            (step(time_limit_hours=2), "steps[0].escalate_to"),
            (step(time_limit_hours=0, escalate_to="manager"), "steps[0].time_limit_hours"),
            (
                step(time_limit_minutes=5, time_limit_hours=1, escalate_to="manager"),
                "steps[0].time_limit_minutes",
            ),
            (step(escalate_to="manager"), "steps[0].escalate_to"),
            (step(time_limit_hours=1, escalate_to="nobody"), "steps[0].escalate_to"),
            (step(time_limit_hours=1, escalate_to=outsider), "steps[0].escalate_to"),
        ]
        before = await _definition_rows(owner_db, co.owner.tenant_id)
        for case, field in cases:
            response = await co.owner.post(f"{API}/definitions", json=case)
            assert response.status_code == 422, (case, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["errors"][0]["field"] == field, (case, response.text)
        default = await definition(co.owner)
        for case, field in cases[5:]:
            update = {"name": "x", "steps": case["steps"]}
            response = await _put(co.owner, f"{API}/definitions/{default['id']}", update)
            assert response.status_code == 422, (case, response.text)
            assert response.json()["errors"][0]["field"] == field
        assert await _definition_rows(owner_db, co.owner.tenant_id) == before

        taken = await co.owner.post(f"{API}/definitions", json=body(key="expenses.claim_approval"))
        assert taken.status_code == 409
        second_active = await co.owner.post(f"{API}/definitions", json=body())
        assert second_active.status_code == 409, "one active workflow per record type"

        bad_submissions = [
            ({"record_type": RECORD_TYPE, "record_id": "not-a-uuid"}, 422),
            ({"record_type": RECORD_TYPE}, 400),
            ({"record_type": "ghost.thing", "record_id": outsider}, 404),
        ]
        for submission, status in bad_submissions:
            response = await co.requester.post(f"{API}/submissions", json=submission)
            assert response.status_code == status, (submission, response.text)


async def test_a_step_without_approvers_refuses_the_submission(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with company(live_server) as co:
        # The first step is the requester's manager, and the admin has none.
        claim = await new_claim(co.admin, "20")
        response = await co.admin.post(
            f"{API}/submissions", json={"record_type": RECORD_TYPE, "record_id": claim["id"]}
        )
        assert response.status_code == 422, "the admin has no manager"
        assert response.json()["errors"][0]["field"] == "record_id"
        assert await history(co.owner, claim) == [], "nothing was written"


async def test_record_types_for_the_definition_editor(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        response = await co.owner.get(f"{API}/record-types")
        assert response.status_code == 200, response.text
        [claim] = [r for r in response.json() if r["record_type"] == RECORD_TYPE]
        assert claim["module"] == "expenses"
        assert claim["label"] == "Expense claim"
        types = {f["name"]: f["type"] for f in claim["fields"]}
        assert types["amount"] == "number"
        assert types["department"] == "string"
        assert list(types) == ["title", "amount", "department", "status"]

        # Only for those who manage workflows, and only of enabled modules.
        assert (await co.requester.get(f"{API}/record-types")).status_code == 403
        assert (await co.owner.post("/api/v1/modules/expenses/disable")).status_code == 200
        listed = (await co.owner.get(f"{API}/record-types")).json()
        assert RECORD_TYPE not in {r["record_type"] for r in listed}
