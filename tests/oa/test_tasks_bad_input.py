"""Bad task and project input over real HTTP: each refusal a clear 4xx naming the field, and
nothing written — no row, no audit entry, no event, no notification. A body that breaks its
declared shape (an unknown priority, status or role; a list too long) is the platform's 400;
a value the rules refuse is a 422.

Each case runs in a tenant of its own: the owner manages the project Launch, where Ann is a
member, with a task Parent, its subtask Child and Child's subtask Grandchild, and a done task;
Bob is in the tenant but not in Launch; Private is a project Ann takes no part in; Archived is
archived. Another tenant has a project, a task and a member of its own.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from tests.oa.support import colleague, field_of, oa_tenant, patch
from tests.oa.task_support import (
    CHECKLIST,
    MEMBERS,
    PROJECTS,
    TASKS,
    body_of,
    change,
    project,
    snapshot,
    task,
)
from tests.support import LiveServer, SignedUp, make_client

UNKNOWN = "0190a000-0000-7000-8000-000000000000"


@dataclass
class Setting:
    owner: SignedUp
    ann: SignedUp
    bob: SignedUp
    ids: dict[str, str]


async def setting(client: httpx.AsyncClient, server: LiveServer) -> Setting:
    owner = await oa_tenant(client)
    ann = await colleague(server, owner)
    bob = await colleague(server, owner)
    launch = await project(owner, "Launch", member_ids=[ann.user_id])
    private = await project(owner, "Private")
    archived = await project(owner, "Archived")
    parent = await task(owner, "Parent", project_id=launch["id"])
    child = await task(owner, "Child", parent_id=parent["id"])
    grandchild = await task(owner, "Grandchild", parent_id=child["id"])
    done = await task(owner, "Done", project_id=launch["id"], status="done")
    personal = await task(owner, "Personal")
    body_of(await patch(owner, f"{PROJECTS}/{archived['id']}", {"status": "archived"}))
    async with make_client(server) as other_client:
        other = await oa_tenant(other_client)
        theirs = await project(other, "Theirs")
        their_task = await task(other, "Their task", project_id=theirs["id"])
    return Setting(
        owner,
        ann,
        bob,
        {
            "launch": launch["id"],
            "private": private["id"],
            "archived": archived["id"],
            "parent": parent["id"],
            "child": child["id"],
            "grandchild": grandchild["id"],
            "done": done["id"],
            "personal": personal["id"],
            "ann": ann.user_id,
            "bob": bob.user_id,
            "their_project": theirs["id"],
            "their_task": their_task["id"],
            "their_user": other.user_id,
        },
    )


def fill(value: Any, ids: dict[str, str]) -> Any:
    """``"{launch}"`` -> the id of Launch, in strings, lists and dicts."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    return value


#: (who, method, path, body, status, field)
Case = tuple[str, str, str, dict[str, Any] | None, int, str | None]
NEW = TASKS
BAD: dict[str, Case] = {
    # New tasks.
    "an unknown priority": ("owner", "POST", NEW, {"title": "X", "priority": "critical"}, 400, "priority"),
    "an unknown status": ("owner", "POST", NEW, {"title": "X", "status": "blocked"}, 400, "status"),
    "a blank title": ("owner", "POST", NEW, {"title": "   "}, 422, "title"),
    "an empty title": ("owner", "POST", NEW, {"title": ""}, 422, "title"),
    "a title too long": ("owner", "POST", NEW, {"title": "x" * 201}, 422, "title"),
    "no title": ("owner", "POST", NEW, {"description": "X"}, 400, None),
    "an unknown field": ("owner", "POST", NEW, {"title": "X", "colour": "red"}, 400, None),
    "a day that does not exist": ("owner", "POST", NEW, {"title": "X", "due_date": "2031-02-30"}, 400, None),
    "another tenant's project": ("owner", "POST", NEW, {"title": "X", "project_id": "{their_project}"}, 422, "project_id"),
    "an unknown project": ("owner", "POST", NEW, {"title": "X", "project_id": UNKNOWN}, 422, "project_id"),
    "a project one takes no part in": ("ann", "POST", NEW, {"title": "X", "project_id": "{private}"}, 422, "project_id"),
    "an archived project": ("owner", "POST", NEW, {"title": "X", "project_id": "{archived}"}, 409, None),
    "another tenant's user as assignee": ("owner", "POST", NEW, {"title": "X", "assignee_id": "{their_user}"}, 422, "assignee_id"),
    "an unknown assignee": ("owner", "POST", NEW, {"title": "X", "assignee_id": UNKNOWN}, 422, "assignee_id"),
    "an assignee outside the project": (
        "owner", "POST", NEW, {"title": "X", "project_id": "{launch}", "assignee_id": "{bob}"},
        422, "assignee_id",
    ),
    "a parent in another project": (
        "owner", "POST", NEW, {"title": "X", "project_id": "{private}", "parent_id": "{parent}"},
        422, "parent_id",
    ),
    "a personal parent for a project task": (
        "owner", "POST", NEW, {"title": "X", "project_id": "{launch}", "parent_id": "{personal}"},
        422, "parent_id",
    ),
    "another tenant's task as parent": ("owner", "POST", NEW, {"title": "X", "parent_id": "{their_task}"}, 422, "parent_id"),
    "a parent one cannot see": ("ann", "POST", NEW, {"title": "X", "parent_id": "{personal}"}, 422, "parent_id"),
    "a blank checklist line": ("owner", "POST", NEW, {"title": "X", "checklist": ["Ok", " "]}, 422, "checklist[1]"),
    "a checklist too long": ("owner", "POST", NEW, {"title": "X", "checklist": ["a"] * 201}, 400, "checklist"),
    # Changes.
    "a task under itself": ("owner", "PATCH", f"{TASKS}/{{parent}}", {"parent_id": "{parent}"}, 422, "parent_id"),
    "a task under its subtask": ("owner", "PATCH", f"{TASKS}/{{parent}}", {"parent_id": "{child}"}, 422, "parent_id"),
    "a task under its subtask's subtask": ("owner", "PATCH", f"{TASKS}/{{parent}}", {"parent_id": "{grandchild}"}, 422, "parent_id"),
    "a done task cancelled": ("owner", "PATCH", f"{TASKS}/{{done}}", {"status": "cancelled"}, 409, None),
    "an unknown status on a change": ("owner", "PATCH", f"{TASKS}/{{parent}}", {"status": "later"}, 400, "status"),
    "an unknown priority on a change": ("owner", "PATCH", f"{TASKS}/{{parent}}", {"priority": "asap"}, 400, "priority"),
    "a new assignee outside the project": ("owner", "PATCH", f"{TASKS}/{{parent}}", {"assignee_id": "{bob}"}, 422, "assignee_id"),
    "a move to another project": ("owner", "PATCH", f"{TASKS}/{{parent}}", {"project_id": "{private}"}, 400, None),
    "another tenant's task": ("owner", "PATCH", f"{TASKS}/{{their_task}}", {"title": "Mine"}, 404, None),
    "a task one cannot see": ("ann", "PATCH", f"{TASKS}/{{personal}}", {"title": "Mine"}, 404, None),
    # Projects and their members.
    "a blank project name": ("owner", "POST", PROJECTS, {"name": "  "}, 422, "name"),
    "an unknown project status": ("owner", "POST", PROJECTS, {"name": "X", "status": "paused"}, 400, "status"),
    "another tenant's user as owner": ("owner", "POST", PROJECTS, {"name": "X", "owner_id": "{their_user}"}, 422, "owner_id"),
    "another tenant's user as member": ("owner", "POST", PROJECTS, {"name": "X", "member_ids": ["{ann}", "{their_user}"]}, 422, "member_ids"),
    "an owner outside the project": ("owner", "PATCH", f"{PROJECTS}/{{launch}}", {"owner_id": "{bob}"}, 422, "owner_id"),
    "another tenant's project for a member": ("owner", "POST", MEMBERS, {"project_id": "{their_project}", "user_id": "{bob}"}, 422, "project_id"),
    "another tenant's user for a project": ("owner", "POST", MEMBERS, {"project_id": "{launch}", "user_id": "{their_user}"}, 422, "user_id"),
    "an unknown role": ("owner", "POST", MEMBERS, {"project_id": "{launch}", "user_id": "{bob}", "role": "boss"}, 400, "role"),
    "a member changing the project": ("ann", "PATCH", f"{PROJECTS}/{{launch}}", {"name": "Ann's"}, 403, None),
    # Checklists.
    "another tenant's task for a checklist": ("owner", "POST", CHECKLIST, {"task_id": "{their_task}", "text": "X"}, 422, "task_id"),
    "a checklist line past the end": ("owner", "POST", CHECKLIST, {"task_id": "{parent}", "text": "X", "position": 5}, 422, "position"),
    "a blank checklist text": ("owner", "POST", CHECKLIST, {"task_id": "{parent}", "text": " "}, 422, "text"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
async def test_bad_input_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection, case: str
) -> None:
    s = await setting(client, live_server)
    who, method, path, body, status, field = BAD[case]
    actor = {"owner": s.owner, "ann": s.ann}[who]
    before = await snapshot(owner_db, s.owner.tenant_id)
    response = await actor.client.request(
        method, fill(path, s.ids), json=fill(body, s.ids), headers=actor.headers
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    if field is not None:
        assert field_of(response) == [field], response.text
    assert await snapshot(owner_db, s.owner.tenant_id) == before
    for person in (s.ann, s.bob):
        await person.client.aclose()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"due_from": "2031-03-10", "due_to": "2031-03-01"}, "due_to"),
        ({"sort": "priority"}, "sort"),
        ({"due_from": "someday"}, None),
        ({"assignee_id": "nobody"}, None),
        ({"status": "blocked"}, None),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
async def test_bad_list_parameters_are_refused(
    client: httpx.AsyncClient, params: dict[str, str], field: str | None
) -> None:
    owner = await oa_tenant(client)
    response = await owner.get(TASKS, params=params)
    assert 400 <= response.status_code < 500 and response.status_code != 404, response.text
    if field is not None:
        assert response.status_code == 422 and field_of(response) == [field]


async def test_subtasks_nest_ten_deep_and_no_deeper(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    chain = [await task(owner, "Level 1")]
    for level in range(2, 11):
        chain.append(await task(owner, f"Level {level}", parent_id=chain[-1]["id"]))
    before = await snapshot(owner_db, owner.tenant_id)
    deeper = await owner.post(TASKS, json={"title": "Level 11", "parent_id": chain[-1]["id"]})
    assert deeper.status_code == 422 and field_of(deeper) == ["parent_id"]
    # Nor may a task with subtasks be hung where its own would end up too deep.
    top = await task(owner, "Top")
    await task(owner, "Under top", parent_id=top["id"])
    moved = await change(owner, top["id"], parent_id=chain[-2]["id"])
    assert moved.status_code == 422 and field_of(moved) == ["parent_id"]
    assert (await snapshot(owner_db, owner.tenant_id))["oa_task"] == before["oa_task"] + 2


async def test_two_moves_at_once_cannot_make_a_cycle_together(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    for _ in range(5):
        a, b = await task(owner, "A"), await task(owner, "B")
        answers = await asyncio.gather(
            change(owner, a["id"], parent_id=b["id"]), change(owner, b["id"], parent_id=a["id"])
        )
        assert sorted(r.status_code for r in answers) == [200, 422], [r.text for r in answers]
        parents = {t["id"]: t["parent_id"] for t in [
            body_of(await owner.get(f"{TASKS}/{a['id']}")),
            body_of(await owner.get(f"{TASKS}/{b['id']}")),
        ]}  # fmt: skip
        assert list(parents.values()).count(None) == 1, parents


async def test_a_deleted_parents_subtask_cannot_be_reached(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    parent = await task(owner, "Parent")
    await owner.delete(f"{TASKS}/{parent['id']}")
    refused = await owner.post(TASKS, json={"title": "Orphan", "parent_id": parent["id"]})
    assert refused.status_code == 422 and field_of(refused) == ["parent_id"]
    assert (await owner.get(f"{TASKS}/{uuid.uuid4()}")).status_code == 404
