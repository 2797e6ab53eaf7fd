"""Tasks over real HTTP: their life from todo to done, the list by due date with the calendar's
window and the board's filters, subtasks, checklists, and deleting through the recycle bin."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx

from tests.oa.support import colleague, oa_tenant, patch
from tests.oa.task_support import (
    CHECKLIST,
    COMMENTS,
    TASKS,
    body_of,
    change,
    project,
    snapshot,
    task,
    tasks_of,
    tenant_rows,
    titles,
)
from tests.support import LiveServer


def day(offset: int) -> str:
    return (date(2031, 3, 3) + timedelta(days=offset)).isoformat()


async def test_a_personal_task_from_todo_to_done_and_back(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    made = await task(
        owner,
        "  Write   the report ",
        description="Quarterly",
        due_date=day(0),
        priority="high",
        checklist=["Collect figures", "Draft"],
    )
    assert made["title"] == "Write the report", "spaces are tidied"
    assert made["project_id"] is None and made["status"] == "todo"
    assert made["created_by"] == owner.user_id and made["assignee_id"] is None
    assert (made["checklist_done"], made["checklist_total"], made["subtasks"]) == (0, 2, 0)
    assert made["source_module"] is made["source_record_type"] is None
    assert body_of(await owner.get(f"{TASKS}/{made['id']}")) == made

    path = f"{TASKS}/{made['id']}"
    started = body_of(await change(owner, made["id"], status="in_progress"))
    assert started["status"] == "in_progress" and started["completed_at"] is None
    done = body_of(await change(owner, made["id"], status="done"))
    assert done["completed_at"] is not None
    reopened = body_of(await change(owner, made["id"], status="todo"))
    assert reopened["completed_at"] is None
    cancelled = body_of(await change(owner, made["id"], status="cancelled"))
    assert cancelled["status"] == "cancelled"
    # A cancelled task is reopened to todo, not moved straight back to work.
    refused = await change(owner, made["id"], status="in_progress")
    assert refused.status_code == 409, refused.text
    assert "reopen it to todo first" in refused.json()["detail"]
    assert body_of(await change(owner, made["id"], status="todo"))["status"] == "todo"
    # Absent fields stay; null clears the due date.
    kept = body_of(await patch(owner, path, {"title": "Final report", "due_date": None}))
    assert kept["title"] == "Final report" and kept["due_date"] is None
    assert kept["priority"] == "high" and kept["description"] == "Quarterly"
    events = await tenant_rows(
        owner_db,
        owner.tenant_id,
        "SELECT type FROM event_outbox WHERE type LIKE 'oa.task.%' ORDER BY id",
    )
    assert [e["type"] for e in events] == [
        "oa.task.created",
        "oa.task.completed",
        "oa.task.reopened",
        "oa.task.cancelled",
        "oa.task.reopened",
    ]
    history = body_of(await owner.get(f"/api/v1/audit/records/oa_task/{made['id']}"))["items"]
    assert {"create", "update"} <= {entry["action"] for entry in history}


async def test_a_due_date_before_today_is_fine(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    overdue = await task(owner, "Overdue already", due_date="2020-01-01")
    assert overdue["due_date"] == "2020-01-01"


async def test_the_list_by_due_date_the_calendar_window_and_the_filters(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner)
    await task(owner, "No date")
    await task(owner, "Third", due_date=day(9), priority="low")
    await task(owner, "First", due_date=day(0), assignee_id=ann.user_id, priority="urgent")
    await task(owner, "Second", due_date=day(2), description="call the bank")
    late = await task(owner, "Late", due_date=day(40), status="in_progress")

    assert await titles(owner) == ["First", "Second", "Third", "Late", "No date"]
    assert await titles(owner, sort="-due_date") == ["Late", "Third", "Second", "First", "No date"]
    assert await titles(owner, sort="title") == ["First", "Late", "No date", "Second", "Third"]
    # The calendar asks for a month: both ends are included.
    assert await titles(owner, due_from=day(0), due_to=day(9)) == ["First", "Second", "Third"]
    assert await titles(owner, due_from=day(2)) == ["Second", "Third", "Late"]
    assert await titles(owner, due_to=day(1)) == ["First"]
    # The board's columns and the list's filters.
    assert await titles(owner, status="in_progress") == ["Late"]
    assert await titles(owner, priority="urgent") == ["First"]
    assert await titles(owner, assignee_id=ann.user_id) == ["First"]
    assert await titles(ann, assignee_id="me") == ["First"], "Ann sees the task given to her"
    assert await titles(owner, q="BANK") == ["Second"]
    assert await titles(owner, personal=True) == await titles(owner)
    assert await titles(owner, personal=False) == []

    # Keyset pages by due date: no task twice, none left out.
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = body_of(await owner.get(TASKS, params=params))
        seen += [t["title"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["First", "Second", "Third", "Late", "No date"]
    assert late["id"] in {t["id"] for t in await tasks_of(owner, due_from=day(40))}


async def test_subtasks_nest_under_a_parent_of_the_same_project(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    launch = await project(owner, "Launch")
    parent = await task(owner, "Ship it", project_id=launch["id"])
    # The project comes from the parent when none is named.
    child = await task(owner, "Write notes", parent_id=parent["id"])
    assert child["project_id"] == launch["id"] and child["parent_id"] == parent["id"]
    grandchild = await task(owner, "Proofread", parent_id=child["id"])
    assert body_of(await owner.get(f"{TASKS}/{parent['id']}"))["subtasks"] == 1
    assert await titles(owner, parent_id=parent["id"]) == ["Write notes"]
    # Moved to the top, and back under another task of the project.
    other = await task(owner, "Other", project_id=launch["id"])
    moved = body_of(await change(owner, grandchild["id"], parent_id=other["id"]))
    assert moved["parent_id"] == other["id"]
    top = body_of(await change(owner, grandchild["id"], parent_id=None))
    assert top["parent_id"] is None


async def test_deleting_a_task_bins_it_with_its_subtasks_checklist_and_comments(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    parent = await task(owner, "Parent", checklist=["One"])
    child = await task(owner, "Child", parent_id=parent["id"], checklist=["Two", "Three"])
    await task(owner, "Grandchild", parent_id=child["id"])
    body_of(await owner.post(COMMENTS, json={"task_id": child["id"], "body": "Noted"}), 201)
    before = await snapshot(owner_db, owner.tenant_id)

    body_of(await owner.delete(f"{TASKS}/{parent['id']}"))
    assert await tasks_of(owner) == []
    assert (await owner.get(f"{TASKS}/{child['id']}")).status_code == 404
    gone = await snapshot(owner_db, owner.tenant_id)
    assert (gone["oa_task"], gone["oa_task_checklist_item"], gone["oa_task_comment"]) == (0, 0, 0)

    [item] = body_of(await owner.get("/api/v1/recycle-bin"))["items"]
    assert item["record_type"] == "oa_task" and item["label"] == "Parent"
    body_of(await owner.post(f"/api/v1/recycle-bin/{item['id']}/restore"))
    back = await snapshot(owner_db, owner.tenant_id)
    for table in ("oa_task", "oa_task_checklist_item", "oa_task_comment"):
        assert back[table] == before[table], table
    restored = body_of(await owner.get(f"{TASKS}/{child['id']}"))
    assert (restored["parent_id"], restored["checklist_total"], restored["subtasks"]) == (
        parent["id"],
        2,
        1,
    )


async def test_the_checklist_keeps_its_order(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    made = await task(owner, "Pack", checklist=["Tent", "Stove"])

    async def lines() -> list[tuple[str, bool, int]]:
        page = body_of(await owner.get(CHECKLIST, params={"task_id": made["id"]}))
        return [(i["text"], i["done"], i["position"]) for i in page["items"]]

    assert await lines() == [("Tent", False, 0), ("Stove", False, 1)]
    last = body_of(await owner.post(CHECKLIST, json={"task_id": made["id"], "text": "Map"}), 201)
    first = body_of(
        await owner.post(CHECKLIST, json={"task_id": made["id"], "text": "Boots", "position": 0}),
        201,
    )
    assert await lines() == [
        ("Boots", False, 0),
        ("Tent", False, 1),
        ("Stove", False, 2),
        ("Map", False, 3),
    ]
    body_of(await patch(owner, f"{CHECKLIST}/{last['id']}", {"position": 1, "done": True}))
    assert await lines() == [
        ("Boots", False, 0),
        ("Map", True, 1),
        ("Tent", False, 2),
        ("Stove", False, 3),
    ]
    body_of(await patch(owner, f"{CHECKLIST}/{first['id']}", {"position": 3}))
    assert [text for text, _, _ in await lines()] == ["Map", "Tent", "Stove", "Boots"]
    body_of(await owner.delete(f"{CHECKLIST}/{last['id']}"))
    assert await lines() == [("Tent", False, 0), ("Stove", False, 1), ("Boots", False, 2)]
    counted = body_of(await owner.get(f"{TASKS}/{made['id']}"))
    assert (counted["checklist_done"], counted["checklist_total"]) == (0, 3)
    body_of(await patch(owner, f"{CHECKLIST}/{first['id']}", {"done": True, "text": "Shoes"}))
    counted = body_of(await owner.get(f"{TASKS}/{made['id']}"))
    assert (counted["checklist_done"], counted["checklist_total"]) == (1, 3)
    too_far = await patch(owner, f"{CHECKLIST}/{first['id']}", {"position": 3})
    assert too_far.status_code == 422 and too_far.json()["errors"][0]["field"] == "position"
