"""Per-record workflows: a definition's ``scope`` names the records it is for (the test plugin's
claims are scoped by department), and submitting picks the record's own scope's active workflow
before the record type's unscoped one."""

from __future__ import annotations

from typing import Any

import httpx

from tests.platform.test_workflow import (
    API,
    CLAIMS,
    RECORD_TYPE,
    Company,
    company,
    inbox,
)
from tests.support import LiveServer, SignedUp


async def claim_of(who: SignedUp, department: str) -> dict[str, Any]:
    made = await who.post(
        CLAIMS, json={"title": "Trip", "amount": "10.00", "department": department}
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def submitted(who: SignedUp, claim: dict[str, Any]) -> httpx.Response:
    return await who.post(
        f"{API}/submissions", json={"record_type": RECORD_TYPE, "record_id": claim["id"]}
    )


def to_user(who: SignedUp, name: str = "Named") -> dict[str, Any]:
    return {"name": name, "approvers": "users", "users": [who.user_id]}


async def define(
    owner: SignedUp, key: str, steps: list[dict[str, Any]], **more: Any
) -> httpx.Response:
    return await owner.post(
        f"{API}/definitions",
        json={"key": key, "record_type": RECORD_TYPE, "name": key.title(), "steps": steps, **more},
    )


async def defined(
    owner: SignedUp, key: str, steps: list[dict[str, Any]], **more: Any
) -> dict[str, Any]:
    made = await define(owner, key, steps, **more)
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def unscoped_default(co: Company) -> dict[str, Any]:
    items = (await co.owner.get(f"{API}/definitions")).json()["items"]
    [default] = [d for d in items if d["scope"] is None and d["active"]]
    found: dict[str, Any] = default
    return found


async def test_a_records_own_scope_is_chosen_over_the_unscoped_workflow(
    live_server: LiveServer,
) -> None:
    async with company(live_server) as co:
        sales = await defined(
            co.owner, "sales-only", [to_user(co.admin, "Sales head")], scope="sales"
        )
        assert sales["scope"] == "sales" and sales["active"] is True
        shown = await co.owner.get(f"{API}/definitions/{sales['id']}")
        assert shown.json()["scope"] == "sales"
        # Scoped and unscoped are both active: each is the only one of its scope.
        assert (await unscoped_default(co))["key"] == "expenses.claim_approval"

        in_sales = await submitted(co.requester, await claim_of(co.requester, "sales"))
        assert in_sales.status_code == 201, in_sales.text
        assert in_sales.json()["definition_id"] == sales["id"]
        [task] = await inbox(co.admin)
        assert task["task"]["step_name"] == "Sales head"

        # Another department has no workflow of its own: the unscoped one applies (the manager).
        elsewhere = await submitted(co.requester, await claim_of(co.requester, "support"))
        assert elsewhere.status_code == 201, elsewhere.text
        assert elsewhere.json()["definition_id"] == (await unscoped_default(co))["id"]
        assert [t["task"]["step_name"] for t in await inbox(co.manager)] == ["Manager"]


async def test_without_an_unscoped_workflow_only_scoped_records_can_be_submitted(
    live_server: LiveServer,
) -> None:
    async with company(live_server) as co:
        default = await unscoped_default(co)
        off = await co.owner.post(f"{API}/definitions/{default['id']}/deactivate")
        assert off.status_code == 200, off.text
        await defined(co.owner, "sales-only", [to_user(co.admin)], scope="sales")

        refused = await submitted(co.requester, await claim_of(co.requester, "support"))
        assert refused.status_code == 409 and "No workflow is active" in refused.json()["detail"]
        ok = await submitted(co.requester, await claim_of(co.requester, "sales"))
        assert ok.status_code == 201, ok.text


async def test_one_active_workflow_per_scope(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        first = await defined(co.owner, "sales-a", [to_user(co.admin)], scope="sales")
        second = await define(co.owner, "sales-b", [to_user(co.admin)], scope="sales")
        assert second.status_code == 409, second.text
        # Another scope, and the unscoped one, are unaffected.
        await defined(co.owner, "support-a", [to_user(co.admin)], scope="support")
        another_unscoped = await define(co.owner, "all-b", [to_user(co.admin)])
        assert another_unscoped.status_code == 409, another_unscoped.text

        assert (await co.owner.post(f"{API}/definitions/{first['id']}/deactivate")).is_success
        replacement = await defined(co.owner, "sales-b", [to_user(co.manager)], scope="sales")
        again = await co.owner.post(f"{API}/definitions/{first['id']}/activate")
        assert again.status_code == 409, again.text
        assert replacement["scope"] == "sales"


async def test_a_scope_is_refused_where_it_means_nothing(live_server: LiveServer) -> None:
    async with company(live_server) as co:
        assert (await co.owner.post("/api/v1/modules/oa/enable")).status_code == 200
        # Leave requests have no scope field: a scope there is an error, naming it.
        refused = await co.owner.post(
            f"{API}/definitions",
            json={
                "key": "leave-scoped",
                "record_type": "oa.leave_request",
                "name": "Leave",
                "steps": [to_user(co.admin)],
                "scope": "x",
            },
        )
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == ["scope"]
        too_long = await define(co.owner, "long-scope", [to_user(co.admin)], scope="s" * 101)
        assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "scope"
        blank = await define(co.owner, "blank-scope", [to_user(co.admin)], scope=" padded ")
        assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "scope"
        listed = (await co.owner.get(f"{API}/definitions", params={"limit": 200})).json()
        assert {d["key"] for d in listed["items"]}.isdisjoint(
            {"leave-scoped", "long-scope", "blank-scope"}
        )
