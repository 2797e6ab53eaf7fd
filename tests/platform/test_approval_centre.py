"""The approval centre over real HTTP: each member's lists, one approval in full, copies,
approvers up the reporting line or named by a record's field, files on decisions, and the one
rule for withdrawing a request.

Each test builds its own company (see ``tests.platform.test_workflow.company``): an owner, an
admin, a requester who writes expense claims, and the requester's manager.
"""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx

from tessera.workflow.types import Step
from tests.platform.test_workflow import (
    API,
    Company,
    _patch,
    _put,
    act,
    company,
    events,
    inbox,
    membership,
    new_claim,
    only_task,
    replace_default,
    submit,
)
from tests.support import LiveServer, SignedUp, join, make_client, sign_up

STORAGE_SETTINGS = "/api/v1/storage/settings"


async def report_to(owner: SignedUp, who: SignedUp, boss: SignedUp) -> None:
    response = await _patch(
        owner,
        f"/api/v1/members/{await membership(owner, who)}",
        {"manager_id": await membership(owner, boss)},
    )
    assert response.status_code == 200, response.text


async def items(who: SignedUp, path: str, **params: Any) -> list[dict[str, Any]]:
    response = await who.get(f"{API}/{path}", params=params)
    assert response.status_code == 200, (path, response.text)
    found: list[dict[str, Any]] = response.json()["items"]
    return found


async def every_page(who: SignedUp, path: str, limit: int) -> list[list[dict[str, Any]]]:
    """Every page of a list, following the cursors."""
    pages: list[list[dict[str, Any]]] = []
    params: dict[str, Any] = {"limit": limit}
    while True:
        response = await who.get(f"{API}/{path}", params=params)
        assert response.status_code == 200, response.text
        pages.append(response.json()["items"])
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return pages
        params["cursor"] = cursor


async def detail(who: SignedUp, instance_id: str) -> httpx.Response:
    return await who.get(f"{API}/instances/{instance_id}")


async def owner_count(owner_db: asyncpg.Connection, tenant_id: str, sql: str) -> int:
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        found: int = await owner_db.fetchval(sql)
        return found


# --- Lists --------------------------------------------------------------------------------


async def test_each_list_shows_exactly_its_members_rows(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with (
        company(live_server) as co,
        make_client(live_server) as w,
        make_client(live_server) as o,
    ):
        watcher = await join(live_server, co.owner, w)
        outsider = await join(live_server, co.owner, o)
        step = {"name": "Manager", "approvers": "manager", "cc": [watcher.user_id]}
        await replace_default(co.owner, [step])
        started = []
        for title in ("Oslo", "Bergen", "Tromsø"):
            started.append(await submit(co.requester, await new_claim(co.requester, "120", title)))

        # To approve: the manager's, oldest first, with the record's title and the step.
        to_approve = await inbox(co.manager)
        assert [i["title"] for i in to_approve] == ["Oslo", "Bergen", "Tromsø"]
        assert {i["record_label"] for i in to_approve} == {"Expense claim"}
        assert {i["step_name"] for i in to_approve} == {"Manager"}
        assert [i["instance_id"] for i in to_approve] == [s["id"] for s in started]
        assert [i["submitted_at"] for i in to_approve] == [s["created_at"] for s in started]
        pages = await every_page(co.manager, "inbox", 2)
        assert [[i["title"] for i in p] for p in pages] == [["Oslo", "Bergen"], ["Tromsø"]]

        oslo, bergen = to_approve[0]["task"]["id"], to_approve[1]["task"]["id"]
        assert (await act(co.manager, oslo, "approve")).status_code == 200
        assert (await act(co.manager, bergen, "reject", comment="no")).status_code == 200

        # Done: the manager's decisions, latest first; paged by decision time.
        done = await items(co.manager, "done")
        assert [(d["approval"]["title"], d["task"]["status"]) for d in done] == [
            ("Bergen", "rejected"),
            ("Oslo", "approved"),
        ]
        assert [d["approval"]["status"] for d in done] == ["rejected", "approved"]
        pages = await every_page(co.manager, "done", 1)
        assert [[d["approval"]["title"] for d in p] for p in pages] == [["Bergen"], ["Oslo"]]

        # My requests: the requester's, newest first, filtered by status.
        mine = await items(co.requester, "submissions")
        assert [m["title"] for m in mine] == ["Tromsø", "Bergen", "Oslo"]
        assert [m["status"] for m in mine] == ["pending", "rejected", "approved"]
        pending = await items(co.requester, "submissions", status="pending")
        assert [m["title"] for m in pending] == ["Tromsø"]
        pages = await every_page(co.requester, "submissions", 2)
        assert [len(p) for p in pages] == [2, 1]

        # Copied: the watcher, on every one, newest first.
        copied = await items(watcher, "copied")
        assert [c["approval"]["title"] for c in copied] == ["Tromsø", "Bergen", "Oslo"]
        assert {c["step_index"] for c in copied} == {0}
        copied_events = [
            p for t, p in await events(owner_db, co.owner.tenant_id) if t.endswith(".copied")
        ]
        assert [p["user_ids"] for p in copied_events] == [[watcher.user_id]] * 3

        # Nobody sees anyone else's rows.
        for who, path in (
            (co.requester, "inbox"),
            (co.requester, "done"),
            (co.requester, "copied"),
            (co.manager, "submissions"),
            (co.manager, "copied"),
            (watcher, "inbox"),
            (watcher, "submissions"),
            (co.admin, "done"),
        ):
            assert await items(who, path) == [], (who.email, path)
        for path in ("inbox", "done", "submissions", "copied"):
            assert await items(outsider, path) == [], path


async def test_one_approval_is_readable_by_its_participants_only(live_server: LiveServer) -> None:
    async with (
        company(live_server) as co,
        make_client(live_server) as w,
        make_client(live_server) as o,
        make_client(live_server) as x,
    ):
        watcher = await join(live_server, co.owner, w)
        outsider = await join(live_server, co.owner, o)
        await replace_default(
            co.owner, [{"name": "Manager", "approvers": "manager", "cc": [watcher.user_id]}]
        )
        started = await submit(co.requester, await new_claim(co.requester, "250.50", "Hotel"))
        await act(co.manager, await only_task(co.manager), "approve", comment="ok")

        for reader in (co.requester, co.manager, watcher, co.owner, co.admin):
            response = await detail(reader, started["id"])
            assert response.status_code == 200, (reader.email, response.text)
        body = (await detail(co.requester, started["id"])).json()
        assert body["title"] == "Hotel" and body["record_label"] == "Expense claim"
        assert body["summary"] == [
            {"name": "amount", "value": "250.50"},
            {"name": "department", "value": "sales"},
        ]
        assert body["instance"]["status"] == "approved"
        assert [t["status"] for t in body["instance"]["tasks"]] == ["approved"]
        assert [a["action"] for a in body["actions"]] == [
            "submitted",
            "task_approved",
            "step_completed",
            "approved",
        ]
        assert body["actions"][1]["comment"] == "ok"

        # A member with no part in it, another tenant, and an id that never was: all 404.
        stranger = await sign_up(x)
        await stranger.post("/api/v1/modules/expenses/enable")
        for who, instance_id in (
            (outsider, started["id"]),
            (stranger, started["id"]),
            (co.requester, str(uuid.uuid4())),
        ):
            response = await detail(who, instance_id)
            assert response.status_code == 404, (who.email, response.text)
        assert (await co.requester.get(f"{API}/instances/not-an-id")).status_code in (400, 404)


# --- Approvers up the reporting line, and named by a field -------------------------------


async def _definition_id(owner: SignedUp, step: dict[str, Any]) -> str:
    return await replace_default(owner, [step])


async def _use(owner: SignedUp, definition_id: str, step: dict[str, Any]) -> None:
    response = await _put(
        owner, f"{API}/definitions/{definition_id}", {"name": "Chain", "steps": [step]}
    )
    assert response.status_code == 200, response.text


async def _assignees(co: Company) -> set[str]:
    people = (co.owner, co.admin, co.manager, co.requester)
    return {p.email for p in people if await inbox(p)}


async def test_manager_chain_levels_and_modes(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        # requester -> manager -> admin -> owner
        await report_to(co.owner, co.manager, co.admin)
        await report_to(co.owner, co.admin, co.owner)
        chain = [co.manager, co.admin, co.owner]
        step: dict[str, Any] = {"name": "Line", "approvers": "manager_chain", "levels": 1}
        definition_id = await _definition_id(co.owner, step)

        for levels in (1, 2, 3):
            for mode in ("all", "any"):
                await _use(co.owner, definition_id, step | {"levels": levels, "mode": mode})
                started = await submit(co.requester, await new_claim(co.requester, "10"))
                assert await _assignees(co) == {p.email for p in chain[:levels]}, (levels, mode)
                # The furthest manager decides first; "any" ends there, "all" waits for the rest.
                outcome = ""
                for approver in reversed(chain[:levels]):
                    response = await act(approver, await only_task(approver), "approve")
                    outcome = response.json()["status"]
                    if mode == "any":
                        break
                assert outcome == "approved", (levels, mode)
                assert await _assignees(co) == set(), "no task is left open"
                body = (await detail(co.requester, started["id"])).json()
                statuses = sorted(t["status"] for t in body["instance"]["tasks"])
                expected = ["approved"] if mode == "any" else ["approved"] * levels
                expected += ["withdrawn"] * (levels - 1) if mode == "any" else []
                assert statuses == sorted(expected), (levels, mode)

        # A line shorter than the levels asked for uses who is there.
        await _use(co.owner, definition_id, step | {"levels": 5, "mode": "all"})
        await submit(co.requester, await new_claim(co.requester, "10"))
        assert await _assignees(co) == {p.email for p in chain}
        # Nobody above: refused as a step without approvers is, and nothing is written.
        claim = await new_claim(co.owner, "10")
        response = await co.owner.post(
            f"{API}/submissions", json={"record_type": "expenses.claim", "record_id": claim["id"]}
        )
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "record_id"
        assert await items(co.owner, "submissions") == []


async def test_a_field_names_the_approver(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        await replace_default(
            co.owner, [{"name": "Owner", "approvers": "field", "field": "owner_id"}]
        )
        # The owner submits the requester's claim: the claim's owner_id (the requester) decides.
        claim = await new_claim(co.requester, "35")
        response = await co.owner.post(
            f"{API}/submissions", json={"record_type": "expenses.claim", "record_id": claim["id"]}
        )
        assert response.status_code == 201, response.text
        [item] = await inbox(co.requester)
        assert item["title"] == "Trip" and item["step_name"] == "Owner"
        assert await inbox(co.manager) == []
        approved = await act(co.requester, item["task"]["id"], "approve")
        assert approved.json()["status"] == "approved"
        # The field names the requester: nobody else approves their own, so it is refused.
        refused = await co.requester.post(
            f"{API}/submissions",
            json={
                "record_type": "expenses.claim",
                "record_id": (await new_claim(co.requester, "5"))["id"],
            },
        )
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "record_id"


# --- Attachments --------------------------------------------------------------------------


async def upload(who: SignedUp, content: bytes, name: str = "quote.pdf") -> httpx.Response:
    return await who.post(f"{API}/attachments", files={"file": (name, content, "application/pdf")})


async def uploaded(who: SignedUp, content: bytes, name: str = "quote.pdf") -> str:
    response = await upload(who, content, name)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_files_on_decisions(live_server: LiveServer, owner_db: asyncpg.Connection) -> None:
    async with (
        company(live_server) as co,
        make_client(live_server) as w,
        make_client(live_server) as o,
        make_client(live_server) as x,
    ):
        watcher = await join(live_server, co.owner, w)
        outsider = await join(live_server, co.owner, o)
        await replace_default(
            co.owner, [{"name": "Manager", "approvers": "manager", "cc": [watcher.user_id]}]
        )
        started = await submit(co.requester, await new_claim(co.requester, "80"))
        task = await only_task(co.manager)

        sent = await upload(co.manager, b"%PDF-1.4 quote", name="../../etc/passwd.pdf")
        assert sent.status_code == 201, sent.text
        assert sent.json()["filename"] == "passwd.pdf", "the client's path is never kept"
        quote = sent.json()["id"]
        theirs = await uploaded(co.requester, b"the requester's")

        def attached_rows() -> Any:
            return owner_count(
                owner_db, co.owner.tenant_id, "SELECT count(*) FROM workflow_action_file"
            )

        # Someone else's upload, an unknown id, the same file twice: refused, nothing written.
        for files, field in (
            ([theirs], "attachments[0]"),
            ([quote, str(uuid.uuid4())], "attachments[1]"),
            ([quote, quote], "attachments[1]"),
        ):
            response = await act(co.manager, task, "approve", attachments=files)
            assert response.status_code == 422, response.text
            assert response.json()["errors"][0]["field"] == field
        too_many = await act(co.manager, task, "approve", attachments=[quote] * 11)
        assert too_many.status_code == 400, too_many.text
        assert await attached_rows() == 0
        assert [i["task"]["id"] for i in await inbox(co.manager)] == [task], "still open"

        # The requester comments with their file; the manager approves with the quote.
        commented = await act(
            co.requester, task, "comment", comment="receipt", attachments=[theirs]
        )
        assert commented.status_code == 200, commented.text
        approved = await act(co.manager, task, "approve", comment="fine", attachments=[quote])
        assert approved.status_code == 200, approved.text
        assert await attached_rows() == 2

        body = (await detail(watcher, started["id"])).json()
        on_actions = {a["action"]: [f["id"] for f in a["attachments"]] for a in body["actions"]}
        assert on_actions["commented"] == [theirs] and on_actions["task_approved"] == [quote]

        path = f"{API}/instances/{started['id']}/attachments/{quote}"
        for reader in (co.requester, co.manager, watcher, co.owner):
            response = await reader.get(path)
            assert response.status_code == 200, (reader.email, response.text)
            assert response.content == b"%PDF-1.4 quote"
            assert "attachment" in response.headers["content-disposition"]
        stranger = await sign_up(x)
        await stranger.post("/api/v1/modules/expenses/enable")
        for who in (outsider, stranger):
            assert (await who.get(path)).status_code == 404, who.email
        # A file of this tenant that is not on this approval is not reachable through it.
        loose = await uploaded(co.requester, b"loose")
        unrelated = f"{API}/instances/{started['id']}/attachments/{loose}"
        assert (await co.requester.get(unrelated)).status_code == 404

        # An attached file cannot be attached again, even by its uploader.
        again = await submit(co.requester, await new_claim(co.requester, "81", "Taxi"))
        task = await only_task(co.manager)
        reused = await act(co.manager, task, "approve", attachments=[quote])
        assert reused.status_code == 422
        assert reused.json()["errors"][0]["field"] == "attachments[0]"
        assert again["status"] == "pending"

        # Past the tenant's size limit: 413, and no file.
        limit = await co.owner.client.put(
            STORAGE_SETTINGS, json={"max_file_bytes": 16}, headers=co.owner.headers
        )
        assert limit.status_code == 200, limit.text
        before = await owner_count(owner_db, co.owner.tenant_id, "SELECT count(*) FROM stored_file")
        assert (await upload(co.manager, b"x" * 100)).status_code == 413
        after = await owner_count(owner_db, co.owner.tenant_id, "SELECT count(*) FROM stored_file")
        assert after == before


# --- Withdrawing --------------------------------------------------------------------------


async def test_a_request_is_withdrawn_only_before_the_first_decision(
    live_server: LiveServer,
) -> None:
    async with company(live_server) as co:
        step = {
            "name": "Both",
            "approvers": "users",
            "users": [co.manager.user_id, co.admin.user_id],
            "mode": "all",
        }
        await replace_default(co.owner, [step])

        untouched = await submit(co.requester, await new_claim(co.requester, "1"))
        withdrawn = await co.requester.post(f"{API}/instances/{untouched['id']}/cancel")
        assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "cancelled"
        assert await inbox(co.manager) == [] and await inbox(co.admin) == []

        # A delegation hands a task on; it decides nothing.
        handed = await submit(co.requester, await new_claim(co.requester, "2"))
        delegated = await act(
            co.manager, await only_task(co.manager), "delegate", user_id=co.owner.user_id
        )
        assert delegated.status_code == 200, delegated.text
        assert (
            await co.requester.post(f"{API}/instances/{handed['id']}/cancel")
        ).status_code == 200

        # One approval of two (the request is still pending): too late.
        decided = await submit(co.requester, await new_claim(co.requester, "3"))
        assert (await act(co.manager, await only_task(co.manager), "approve")).json()[
            "status"
        ] == "pending"
        late = await co.requester.post(f"{API}/instances/{decided['id']}/cancel")
        assert late.status_code == 409, late.text
        assert "already decided" in late.json()["detail"]
        assert len(await inbox(co.admin)) == 1, "the request goes on"
        body = (await detail(co.requester, decided["id"])).json()
        assert body["instance"]["status"] == "pending"


# --- Bad input ----------------------------------------------------------------------------


async def test_bad_input_is_refused_by_field_and_writes_nothing(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with company(live_server) as co, make_client(live_server) as x:
        stranger = await sign_up(x)
        base: dict[str, Any] = {"key": "centre", "record_type": "expenses.claim", "name": "C"}
        chain = {"name": "Line", "approvers": "manager_chain"}
        cases: list[tuple[dict[str, Any], int, str | None]] = [
            (chain | {"levels": 0}, 422, "steps[0].levels"),
            (chain | {"levels": 6}, 422, "steps[0].levels"),
            (chain, 422, "steps[0].levels"),
            ({"name": "M", "approvers": "manager", "levels": 2}, 422, "steps[0].levels"),
            ({"name": "F", "approvers": "field", "field": "amount"}, 422, "steps[0].field"),
            ({"name": "F", "approvers": "field"}, 422, "steps[0].field"),
            ({"name": "M", "approvers": "manager", "field": "owner_id"}, 422, "steps[0].field"),
            (
                {"name": "M", "approvers": "manager", "cc": [stranger.user_id]},
                422,
                "steps[0].cc[0]",
            ),
            (
                {"name": "M", "approvers": "manager", "cc": [co.admin.user_id, str(uuid.uuid4())]},
                422,
                "steps[0].cc[1]",
            ),
            (
                {"name": "U", "approvers": "users", "users": [stranger.user_id]},
                422,
                "steps[0].users[0]",
            ),
            ({"name": "M", "approvers": "manager", "cc": [co.admin.user_id] * 51}, 400, None),
        ]
        count = "SELECT (SELECT count(*) FROM workflow_definition) + (SELECT count(*) FROM workflow_definition_version)"
        before = await owner_count(owner_db, co.owner.tenant_id, count)
        for step, status, field in cases:
            response = await co.owner.post(f"{API}/definitions", json=base | {"steps": [step]})
            assert response.status_code == status, (step, response.text)
            if field is not None:
                assert response.json()["errors"][0]["field"] == field, (step, response.text)
        assert await owner_count(owner_db, co.owner.tenant_id, count) == before

        for params, status in (
            ({"status": "lost"}, 400),
            ({"cursor": "nonsense"}, 422),
            ({"limit": 0}, 422),
        ):
            response = await co.requester.get(f"{API}/submissions", params=params)
            assert response.status_code == status, (params, response.text)
            assert response.json()["errors"][0]["field"] == next(iter(params))
        assert (await co.manager.get(f"{API}/done", params={"cursor": "x"})).status_code == 422


def test_steps_saved_before_the_approval_centre_still_load() -> None:
    """Versions stored before ``levels``, ``field`` and ``cc`` existed lack those keys."""
    old: dict[str, Any] = {
        "name": "Boss",
        "approvers": "manager",
        "users": [],
        "role": None,
        "mode": "any",
        "condition": None,
        "time_limit_hours": None,
        "time_limit_minutes": None,
        "escalate_to": None,
    }
    step = Step.from_json(old)
    assert (step.levels, step.field, step.cc) == (None, None, ())
    assert Step.from_json(step.as_json()) == step
    chain = Step("Line", approvers="manager_chain", levels=3, cc=(uuid.uuid4(),))
    assert Step.from_json(chain.as_json()) == chain
