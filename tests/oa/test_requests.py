"""Requests from draft to decision, over real HTTP, on the platform's workflow engine.

Each test builds its own office. The engine's outcome reaches the request through its events;
``settle`` hands them to OA's handlers as a worker would.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from tests.oa.expense_support import events, settle
from tests.oa.request_support import (
    REQUESTS,
    WORKFLOW,
    Office,
    counts,
    decide,
    draft,
    fetch,
    fields_named,
    form,
    office,
    submit,
    submitted,
    tasks_on,
    upload,
)
from tests.oa.support import oa_tenant
from tests.support import LiveServer, make_client

PURPOSE = {"key": "purpose", "label": "Purpose", "type": "text", "required": True}
COST = {"key": "cost", "label": "Cost", "type": "amount"}


def users(*who: Any, name: str = "Named", mode: str = "any") -> dict[str, Any]:
    return {"name": name, "approvers": "users", "users": [w.user_id for w in who], "mode": mode}


async def test_a_two_step_workflow_runs_to_approved(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        steps = [
            users(o.first, o.second, name="Both leads", mode="all"),
            {"name": "An admin", "approvers": "role", "role": "admin", "mode": "any"},
        ]
        made = await form(o.admin, "Laptop", steps=steps)
        quote = await upload(o.requester)
        request = await draft(
            o.requester, made["id"], purpose="New laptop", cost="1200.5", day="2026-12-01",
            kind="Hardware", tags=["a", "c"], urgent=True, buddy=o.first.user_id, quote=quote,
            people=2,
        )  # fmt: skip
        assert request["status"] == "draft" and request["amount"] == "1200.50"
        assert request["values"]["cost"] == "1200.50" and request["values"]["quote"] == quote
        assert request["title"].startswith("Laptop · ") and request["form_name"] == "Laptop"

        sent = await submitted(o.requester, request["id"])
        assert sent["status"] == "pending" and sent["submitted_at"] is not None
        # Pending, the request is not changed (its draft-only rule) nor submitted twice.
        locked = await o.requester.client.patch(
            f"{REQUESTS}/{request['id']}", json={"values": {"purpose": "x"}},
            headers=o.requester.headers,
        )  # fmt: skip
        assert locked.status_code == 409, locked.text
        assert (await submit(o.requester, request["id"])).status_code == 409

        # All of the two leads, then any one admin; the manager is not asked (own workflow).
        assert await tasks_on(o.manager, request["id"]) == []
        await decide(o.first, request["id"])
        assert await tasks_on(o.admin, request["id"]) == [], "the admins wait for both leads"
        # Approvers read what they are asked to decide on, with its file.
        assert (await o.second.get(f"{REQUESTS}/{request['id']}")).status_code == 200
        got = await o.second.get(f"{REQUESTS}/{request['id']}/files/{quote}")
        assert got.status_code == 200 and got.content == b"%PDF-1.4 q"
        await decide(o.second, request["id"])
        await decide(o.admin, request["id"])
        await settle(live_server, owner_db, o.owner.tenant_id)

        done = await fetch(o.requester, f"{REQUESTS}/{request['id']}")
        assert done["status"] == "approved" and done["decided_at"] is not None
        [event] = await events(owner_db, o.owner.tenant_id, "oa.request.approved")
        assert event["request_id"] == request["id"] and event["amount"] == "1200.50"
        assert event["form_id"] == made["id"] and event["values"]["kind"] == "Hardware"
        [first] = await events(owner_db, o.owner.tenant_id, "oa.request.submitted")
        assert first["status"] == "pending"
        told = (await o.requester.get("/api/v1/notifications")).json()["items"]
        assert any(n["type"] == "oa.request_approved" for n in told)


async def test_a_forms_own_workflow_is_chosen_and_others_fall_back(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        own = await form(o.admin, "Own", fields=[PURPOSE, COST], steps=[users(o.first)])
        plain = await form(o.admin, "Plain", fields=[PURPOSE])

        with_own = await draft(o.requester, own["id"], purpose="Desk")
        await submitted(o.requester, with_own["id"])
        assert len(await tasks_on(o.first, with_own["id"])) == 1
        assert await tasks_on(o.manager, with_own["id"]) == []

        # No workflow of its own: the tenant's for requests, the requester's manager.
        fallback = await draft(o.requester, plain["id"], purpose="Chair")
        await submitted(o.requester, fallback["id"])
        assert len(await tasks_on(o.manager, fallback["id"])) == 1
        await decide(o.manager, fallback["id"], "reject")
        await settle(live_server, owner_db, o.owner.tenant_id)
        assert (await fetch(o.requester, f"{REQUESTS}/{fallback['id']}"))["status"] == "rejected"
        [rejected] = await events(owner_db, o.owner.tenant_id, "oa.request.rejected")
        assert rejected["request_id"] == fallback["id"]

        # Conditions read the amount: a step for large amounts is skipped for a small one.
        changed = await o.admin.client.patch(
            f"{REQUESTS.replace('requests', 'request-forms')}/{own['id']}",
            json={"steps": [{**users(o.first), "condition": "amount > 1000"}]},
            headers=o.admin.headers,
        )
        assert changed.status_code == 200, changed.text
        small = await draft(o.requester, own["id"], purpose="Pens", cost="12.00")
        assert (await submitted(o.requester, small["id"]))["status"] == "approved"
        large = await draft(o.requester, own["id"], purpose="Server", cost="5000")
        assert (await submitted(o.requester, large["id"]))["status"] == "pending"


async def test_no_workflow_at_all_refuses_the_submission(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        listed = (await fetch(o.owner, f"{WORKFLOW}/definitions", limit=200))["items"]
        [default] = [d for d in listed if d["key"] == "oa.request_approval"]
        assert (await o.owner.post(f"{WORKFLOW}/definitions/{default['id']}/deactivate")).is_success
        plain = await form(o.admin, "Plain", fields=[PURPOSE])
        request = await draft(o.requester, plain["id"], purpose="Chair")
        before = await counts(owner_db, o.owner.tenant_id)
        refused = await submit(o.requester, request["id"])
        assert refused.status_code == 409 and "No workflow" in refused.json()["detail"]
        assert await counts(owner_db, o.owner.tenant_id) == before
        assert (await fetch(o.requester, f"{REQUESTS}/{request['id']}"))["status"] == "draft"


async def test_a_submission_missing_a_required_field_writes_nothing(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        made = await form(o.admin)
        # A draft may be incomplete.
        request = await draft(o.requester, made["id"], purpose="Half done")
        before = await counts(owner_db, o.owner.tenant_id)
        refused = await submit(o.requester, request["id"])
        assert refused.status_code == 422, refused.text
        assert fields_named(refused) == ["values.cost"]
        assert await counts(owner_db, o.owner.tenant_id) == before
        still = await fetch(o.requester, f"{REQUESTS}/{request['id']}")
        assert still["status"] == "draft" and still["approval_id"] is None


async def _bad_value(o: Office, other_member: str) -> list[tuple[str, dict[str, Any], str]]:
    """(what is wrong, the values, the field the 422 names)"""
    stranger_file = await upload(o.first, "theirs.pdf")
    return [
        ("text for a number", {"people": "two"}, "values.people"),
        ("true for a number", {"people": True}, "values.people"),
        ("an amount with three decimals", {"cost": "1.005"}, "values.cost"),
        ("a negative amount", {"cost": "-5"}, "values.cost"),
        ("words for an amount", {"cost": "lots"}, "values.cost"),
        ("a date not ISO", {"day": "01/12/2026"}, "values.day"),
        ("an unknown option", {"kind": "Furniture"}, "values.kind"),
        ("an unknown option in a list", {"tags": ["a", "z"]}, "values.tags[1]"),
        ("an option chosen twice", {"tags": ["a", "a"]}, "values.tags[1]"),
        ("a text for a list", {"tags": "a"}, "values.tags"),
        ("a number for a yes or no", {"urgent": 1}, "values.urgent"),
        ("an unknown key", {"colour": "red"}, "values.colour"),
        ("another tenant's member", {"buddy": other_member}, "values.buddy"),
        ("not a member id", {"buddy": "someone"}, "values.buddy"),
        ("another member's file", {"quote": stranger_file}, "values.quote"),
        ("a text too long", {"purpose": "x" * 101}, "values.purpose"),
        ("a NUL in a text", {"details": "a\x00b"}, "values.details"),
    ]


async def test_values_of_the_wrong_kind_are_refused_by_name_and_nothing_is_written(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o, make_client(live_server) as other_client:
        outsider = await oa_tenant(other_client)
        made = await form(o.admin)
        request = await draft(o.requester, made["id"], purpose="Fine", cost="10")
        failures = []
        for case, values, named in await _bad_value(o, outsider.user_id):
            before = await counts(owner_db, o.owner.tenant_id)
            created = await o.requester.post(
                REQUESTS, json={"form_id": made["id"], "values": values}
            )
            changed = await o.requester.client.patch(
                f"{REQUESTS}/{request['id']}", json={"values": values},
                headers=o.requester.headers,
            )  # fmt: skip
            for response in (created, changed):
                if response.status_code != 422 or fields_named(response) != [named]:
                    failures.append(f"{case}: {response.status_code} {response.text[:200]}")
            if await counts(owner_db, o.owner.tenant_id) != before:
                failures.append(f"{case}: something was written")
        assert failures == []
        # A number too large for a float: the decoder refuses it before any check runs.
        huge = b'{"form_id": "%s", "values": {"people": 1e400}}' % made["id"].encode()
        refused = await o.requester.client.post(
            REQUESTS, content=huge,
            headers={**o.requester.headers, "Content-Type": "application/json"},
        )  # fmt: skip
        assert refused.status_code == 400 and "out of range" in refused.text, refused.text
        kept = await fetch(o.requester, f"{REQUESTS}/{request['id']}")
        assert kept["values"] == {"purpose": "Fine", "cost": "10.00"}


async def test_withdrawing_works_until_an_approver_decides(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        made = await form(o.admin, fields=[PURPOSE], steps=[users(o.first), users(o.second)])
        request = await draft(o.requester, made["id"], purpose="Trip")
        await submitted(o.requester, request["id"])
        # Only the requester withdraws.
        assert (await o.first.post(f"{REQUESTS}/{request['id']}/withdraw")).status_code == 403
        back = await o.requester.post(f"{REQUESTS}/{request['id']}/withdraw")
        assert back.status_code == 200 and back.json()["status"] == "withdrawn", back.text
        assert await tasks_on(o.first, request["id"]) == []
        [withdrawn] = await events(owner_db, o.owner.tenant_id, "oa.request.withdrawn")
        assert withdrawn["request_id"] == request["id"]
        # The engine's own cancellation event changes nothing more.
        await settle(live_server, owner_db, o.owner.tenant_id)
        assert (await fetch(o.requester, f"{REQUESTS}/{request['id']}"))["status"] == "withdrawn"

        # Changed and sent again; once the first approver has decided it is too late.
        changed = await o.requester.client.patch(
            f"{REQUESTS}/{request['id']}", json={"values": {"purpose": "Shorter trip"}},
            headers=o.requester.headers,
        )  # fmt: skip
        assert changed.status_code == 200 and changed.json()["title"] != "", changed.text
        await submitted(o.requester, request["id"])
        await decide(o.first, request["id"])
        late = await o.requester.post(f"{REQUESTS}/{request['id']}/withdraw")
        assert late.status_code == 409 and "decided" in late.json()["detail"], late.text
        assert (await fetch(o.requester, f"{REQUESTS}/{request['id']}"))["status"] == "pending"


async def test_who_sees_which_requests_and_the_list_pages(live_server: LiveServer) -> None:
    async with office(live_server) as o:
        made = await form(o.admin, fields=[PURPOSE])
        other = await form(o.admin, "Other", fields=[PURPOSE])
        mine = [await draft(o.requester, made["id"], purpose=f"R{i}") for i in range(3)]
        theirs = await draft(o.first, other["id"], purpose="F")
        await submitted(o.requester, mine[0]["id"])

        own_ids = {r["id"] for r in (await fetch(o.requester, REQUESTS))["items"]}
        assert own_ids == {r["id"] for r in mine}
        assert (await o.requester.get(f"{REQUESTS}/{theirs['id']}")).status_code == 404
        # Admins hold oa.request.read for all; filters narrow by form and status.
        assert len((await fetch(o.admin, REQUESTS))["items"]) == 4
        by_form = await fetch(o.admin, REQUESTS, form_id=other["id"])
        assert [r["id"] for r in by_form["items"]] == [theirs["id"]]
        pending = await fetch(o.admin, REQUESTS, status="pending")
        assert [r["id"] for r in pending["items"]] == [mine[0]["id"]]
        by_member = await fetch(o.admin, REQUESTS, requester_id=o.first.user_id)
        assert [r["id"] for r in by_member["items"]] == [theirs["id"]]
        # Keyset pages: every request once, newest first.
        seen, cursor = [], None
        while True:
            page = await fetch(
                o.requester, REQUESTS, limit=2, **({"cursor": cursor} if cursor else {})
            )
            seen += [r["id"] for r in page["items"]]
            cursor = page.get("next_cursor")
            if not cursor:
                break
        assert seen == [r["id"] for r in reversed(mine)]
        # The requester's manager is asked to decide on the first, and may read it (only it).
        manager_sees = {r["id"] for r in (await fetch(o.manager, REQUESTS))["items"]}
        assert manager_sees == {mine[0]["id"]}
        # Someone else's draft is not theirs to change or submit.
        assert (await submit(o.admin, mine[1]["id"])).status_code == 403


@pytest.mark.parametrize("path", ["", "/submit", "/withdraw"])
async def test_another_tenants_request_is_not_found(live_server: LiveServer, path: str) -> None:
    async with office(live_server) as o, make_client(live_server) as other_client:
        outsider = await oa_tenant(other_client)
        theirs = await form(outsider, fields=[PURPOSE])
        request = await draft(outsider, theirs["id"], purpose="Theirs")
        method = o.owner.get if not path else o.owner.post
        assert (await method(f"{REQUESTS}/{request['id']}{path}")).status_code == 404


async def test_a_file_field_holds_its_file_and_lets_the_old_one_go(
    live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    async with office(live_server) as o:
        quote = {"key": "quote", "label": "Quote", "type": "file", "required": True}
        made = await form(o.admin, "Quote", fields=[quote])
        first, second = (
            await upload(o.requester, "a.pdf", b"A"),
            await upload(o.requester, "b.pdf", b"B"),
        )
        request = await draft(o.requester, made["id"], quote=first)
        path = f"{REQUESTS}/{request['id']}/files"
        assert (await o.requester.get(f"{path}/{first}")).content == b"A"
        changed = await o.requester.client.patch(
            f"{REQUESTS}/{request['id']}", json={"values": {"quote": second}},
            headers=o.requester.headers,
        )  # fmt: skip
        assert changed.status_code == 200, changed.text
        assert (await o.requester.get(f"{path}/{first}")).status_code == 404
        assert (await o.requester.get(f"{path}/{second}")).content == b"B"
        # The first file went with the change: nothing held it any more.
        async with owner_db.transaction():
            await owner_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", o.owner.tenant_id
            )
            stored = await owner_db.fetch(
                "SELECT id::text FROM stored_file WHERE id = ANY($1::uuid[])", [first, second]
            )
        assert {r["id"] for r in stored} == {second}
        # Someone who may not read the request gets no file of it.
        assert (await o.first.get(f"{path}/{second}")).status_code == 404
