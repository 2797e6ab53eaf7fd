"""Departments over real HTTP: the tree, heads, members with their managers, and refusals."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.oa.support import (
    DEPARTMENTS,
    colleague,
    department,
    field_of,
    oa_tenant,
    patch,
    put,
    set_manager,
)
from tests.support import LiveServer, SignedUp


async def names(owner: SignedUp, **params: Any) -> list[str]:
    listed = await owner.get(DEPARTMENTS, params=params)
    assert listed.status_code == 200, listed.text
    return [d["name"] for d in listed.json()["items"]]


async def members_of(owner: SignedUp, department_id: str) -> list[dict[str, Any]]:
    listed = await owner.get(f"{DEPARTMENTS}/{department_id}/members")
    assert listed.status_code == 200, listed.text
    items: list[dict[str, Any]] = listed.json()["items"]
    return items


async def test_a_tree_with_heads_and_members_who_keep_their_core_manager(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner)
    bob = await colleague(live_server, owner)
    await set_manager(owner, bob.user_id, ann.user_id)
    company = await department(owner, "Company", head_user_id=owner.user_id)
    sales = await department(owner, "Sales", parent_id=company["id"], head_user_id=ann.user_id)
    await department(owner, "Support", parent_id=company["id"])
    assert sales["parent_id"] == company["id"] and sales["head_user_id"] == ann.user_id
    assert await names(owner) == ["Company", "Sales", "Support"]
    assert await names(owner, parent_id=company["id"]) == ["Sales", "Support"]
    assert await names(owner, q="sup") == ["Support"]
    assert await names(owner, sort="-name", limit=1) == ["Support"]

    for person in (ann, bob):
        placed = await put(owner, f"{DEPARTMENTS}/{sales['id']}/members/{person.user_id}")
        assert placed.status_code == 200, placed.text
    by_user = {m["user_id"]: m for m in await members_of(owner, sales["id"])}
    assert by_user[bob.user_id]["manager_user_id"] == ann.user_id, "the core's reporting line"
    assert by_user[ann.user_id]["manager_user_id"] is None
    assert by_user[bob.user_id]["email"] == bob.email

    # At most one department each: placing Bob in Company moves him there.
    moved = await put(owner, f"{DEPARTMENTS}/{company['id']}/members/{bob.user_id}")
    assert moved.status_code == 200
    assert [m["user_id"] for m in await members_of(owner, sales["id"])] == [ann.user_id]
    assert [m["user_id"] for m in await members_of(owner, company["id"])] == [bob.user_id]
    taken_out = await owner.delete(f"{DEPARTMENTS}/{company['id']}/members/{bob.user_id}")
    assert taken_out.status_code == 200
    assert await members_of(owner, company["id"]) == []
    again = await owner.delete(f"{DEPARTMENTS}/{company['id']}/members/{bob.user_id}")
    assert again.status_code == 404

    renamed = await patch(owner, f"{DEPARTMENTS}/{sales['id']}", {"name": "Sales EMEA"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Sales EMEA"
    assert renamed.json()["parent_id"] == company["id"], "an absent field is left as it was"
    top = await patch(
        owner, f"{DEPARTMENTS}/{sales['id']}", {"parent_id": None, "head_user_id": None}
    )
    assert top.json()["parent_id"] is None and top.json()["head_user_id"] is None


async def test_members_read_but_only_admins_change(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    made = await department(owner, "Finance")
    member = await colleague(live_server, owner)
    assert (await member.get(DEPARTMENTS)).status_code == 200
    assert (await member.post(DEPARTMENTS, json={"name": "Mine"})).status_code == 403
    assert (await patch(member, f"{DEPARTMENTS}/{made['id']}", {"name": "X"})).status_code == 403
    placing = await put(member, f"{DEPARTMENTS}/{made['id']}/members/{member.user_id}")
    assert placing.status_code == 403
    admin = await colleague(live_server, owner, role="admin")
    assert (await admin.post(DEPARTMENTS, json={"name": "Admin's"})).status_code == 201


async def test_a_tenant_without_the_module_gets_404(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    assert (await owner.post("/api/v1/modules/oa/disable")).status_code == 200
    assert (await owner.get(DEPARTMENTS)).status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": ""}, 422, "name"),
        ({"name": "   "}, 422, "name"),
        ({"name": "x" * 121}, 422, "name"),
        ({"name": "Ok", "colour": "red"}, 400, None),
        ({"name": "Ok", "parent_id": "not-a-uuid"}, 400, None),
        ({"name": "Ok", "parent_id": "0190a000-0000-7000-8000-000000000000"}, 422, "parent_id"),
        (
            {"name": "Ok", "head_user_id": "0190a000-0000-7000-8000-000000000000"},
            422,
            "head_user_id",
        ),
        ({"name": "taken"}, 409, None),
    ],
)
async def test_bad_departments_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, body: dict[str, Any], status: int, field: str | None
) -> None:
    owner = await oa_tenant(client)
    await department(owner, "Taken")
    refused = await owner.post(DEPARTMENTS, json=body)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    if field is not None:
        assert field_of(refused) == [field]
    assert await names(owner) == ["Taken"]


async def test_another_tenants_ids_are_refused(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    other = await oa_tenant(httpx.AsyncClient(base_url=live_server.url))
    theirs = await department(other, "Theirs")
    ours = await department(owner, "Ours")

    as_parent = await owner.post(DEPARTMENTS, json={"name": "X", "parent_id": theirs["id"]})
    assert as_parent.status_code == 422 and field_of(as_parent) == ["parent_id"]
    as_head = await owner.post(DEPARTMENTS, json={"name": "X", "head_user_id": other.user_id})
    assert as_head.status_code == 422 and field_of(as_head) == ["head_user_id"]
    moved = await patch(owner, f"{DEPARTMENTS}/{ours['id']}", {"parent_id": theirs["id"]})
    assert moved.status_code == 422
    placed = await put(owner, f"{DEPARTMENTS}/{ours['id']}/members/{other.user_id}")
    assert placed.status_code == 422 and field_of(placed) == ["user_id"]
    into_theirs = await put(owner, f"{DEPARTMENTS}/{theirs['id']}/members/{owner.user_id}")
    assert into_theirs.status_code == 404
    assert (await owner.get(f"{DEPARTMENTS}/{theirs['id']}")).status_code == 404
    assert await names(owner) == ["Ours"]
    assert (await owner.get(f"{DEPARTMENTS}/{ours['id']}")).json()["parent_id"] is None
    assert await members_of(owner, ours["id"]) == []
    await other.client.aclose()


async def test_loops_in_the_tree_are_refused(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    a = await department(owner, "A")
    b = await department(owner, "B", parent_id=a["id"])
    c = await department(owner, "C", parent_id=b["id"])
    for parent in (a, c, b):
        looped = await patch(owner, f"{DEPARTMENTS}/{a['id']}", {"parent_id": parent["id"]})
        assert looped.status_code == 422, looped.text
        assert field_of(looped) == ["parent_id"]
    assert (await owner.get(f"{DEPARTMENTS}/{a['id']}")).json()["parent_id"] is None
    # Moving a branch elsewhere is fine: C to the top, then A under C.
    assert (await patch(owner, f"{DEPARTMENTS}/{c['id']}", {"parent_id": None})).status_code == 200
    assert (
        await patch(owner, f"{DEPARTMENTS}/{a['id']}", {"parent_id": c["id"]})
    ).status_code == 200


async def test_two_moves_at_once_cannot_make_a_loop(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    a, b = await department(owner, "A"), await department(owner, "B")
    async with httpx.AsyncClient(base_url=live_server.url, cookies=owner.client.cookies) as second:
        results = await asyncio.gather(
            patch(owner, f"{DEPARTMENTS}/{a['id']}", {"parent_id": b["id"]}),
            second.patch(
                f"{DEPARTMENTS}/{b['id']}", json={"parent_id": a["id"]}, headers=owner.headers
            ),
        )
    assert sorted(r.status_code for r in results) == [200, 422]


async def test_deleting_departments(client: httpx.AsyncClient, live_server: LiveServer) -> None:
    owner = await oa_tenant(client)
    parent = await department(owner, "Parent")
    child = await department(owner, "Child", parent_id=parent["id"])
    ann = await colleague(live_server, owner)
    await put(owner, f"{DEPARTMENTS}/{child['id']}/members/{ann.user_id}")
    refused = await owner.delete(f"{DEPARTMENTS}/{parent['id']}")
    assert refused.status_code == 409 and "Child" in refused.json()["detail"]
    assert (await owner.delete(f"{DEPARTMENTS}/{child['id']}")).status_code == 200
    assert (await owner.get(f"{DEPARTMENTS}/{child['id']}")).status_code == 404
    # The member's place went to the recycle bin with the department: Ann is free again.
    other = await department(owner, "Other")
    assert (
        await put(owner, f"{DEPARTMENTS}/{other['id']}/members/{ann.user_id}")
    ).status_code == 200
    assert (await owner.delete(f"{DEPARTMENTS}/{parent['id']}")).status_code == 200


async def test_someone_leaving_the_tenant_leaves_their_department(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner)
    team = await department(owner, "Team", head_user_id=ann.user_id)
    await put(owner, f"{DEPARTMENTS}/{team['id']}/members/{ann.user_id}")
    members = (await owner.get("/api/v1/members")).json()["items"]
    ann_membership = next(m["id"] for m in members if m["user_id"] == ann.user_id)
    assert (await owner.delete(f"/api/v1/members/{ann_membership}")).status_code == 200
    assert (await owner.get(f"{DEPARTMENTS}/{team['id']}")).json()["head_user_id"] is None
    assert await members_of(owner, team["id"]) == []
