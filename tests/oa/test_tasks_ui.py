"""What the browser app learns of tasks and projects, and every endpoint, sort, filter, board
and calendar window it names, called as the app would call them; and the Chinese catalogue
covers every text of theirs."""

from __future__ import annotations

from typing import Any

import httpx
from tessera_oa import tasks_translations, tasks_ui
from tessera_oa.task_access import PERMISSIONS

from tessera.modules.texts import humanize
from tests.oa.support import colleague, oa_tenant
from tests.oa.task_support import CHECKLIST, COMMENTS, add_member, body_of, project, task
from tests.support import LiveServer

UI = "/api/v1/ui"


def texts_of_tasks() -> set[str]:
    found = {menu.label for menu in tasks_ui.MENU}
    for resource in tasks_ui.RESOURCES:
        found.add(resource.label)
        for field in resource.fields:
            found.add(field.label)
            found.update(humanize(option) for option in field.options)
    found.update(permission.description for permission in PERMISSIONS)
    return found


def test_the_chinese_catalogue_covers_every_text_of_tasks_and_projects() -> None:
    missing = sorted(texts_of_tasks() - set(tasks_translations.ZH))
    assert missing == []
    assert all(value.strip() for value in tasks_translations.ZH.values())


async def test_screens_speak_chinese_when_asked(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    menus = {
        m["path"]: m["label"] for m in body_of(await owner.get(f"{UI}/menus", headers=chinese))
    }
    assert (menus["/oa/tasks"], menus["/oa/projects"]) == ("任务", "项目")
    resources = {r["name"]: r for r in body_of(await owner.get(f"{UI}/resources", headers=chinese))}
    assert resources["oa.task"]["label"] == "任务"
    status = next(f for f in resources["oa.task"]["fields"] if f["name"] == "status")
    assert dict(zip(status["options"], status["option_labels"], strict=True)) == {
        "todo": "待办",
        "in_progress": "进行中",
        "done": "已完成",
        "cancelled": "已取消",
    }
    permissions = {
        p["name"]: p["description"]
        for p in body_of(await owner.get("/api/v1/permissions", headers=chinese))
    }
    assert permissions["oa.task.manage"] == "查看和修改所有项目与任务；恢复已删除的项目与任务"


async def test_the_menu_offers_tasks_and_projects_to_every_member(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    member = await colleague(live_server, owner)
    for who in (owner, member):
        menus = [m for m in body_of(await who.get(f"{UI}/menus")) if m["module"] == "oa"]
        by_path = {m["path"]: m for m in menus}
        assert by_path["/oa/tasks"]["resource"] == "oa.task"
        assert by_path["/oa/projects"]["resource"] == "oa.project"
    await member.client.aclose()


def sample(record: dict[str, Any], field: dict[str, Any], parameter: str) -> dict[str, str]:
    """A filter ``record`` itself passes."""
    value = record[field["name"]]
    if field["type"] == "bool":
        return {parameter: str(value).lower()}
    if field["type"] == "date":
        return {f"{parameter}_from": value, f"{parameter}_to": value}
    return {parameter: str(value)}


async def test_every_task_screen_list_sort_filter_board_and_calendar_works(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner)
    launch = await project(owner, "Launch")
    place = await add_member(owner, launch["id"], ann.user_id)
    made = await task(
        owner,
        "Plan",
        project_id=launch["id"],
        assignee_id=ann.user_id,
        due_date="2031-03-05",
        checklist=["First"],
    )
    subtask = await task(owner, "Book", parent_id=made["id"])
    line = body_of(await owner.get(CHECKLIST, params={"task_id": made["id"]}))["items"][0]
    said = body_of(await owner.post(COMMENTS, json={"task_id": made["id"], "body": "Hi"}), 201)
    records = {
        "oa.task": made,
        "oa.project": launch,
        "oa.project_member": place,
        "oa.task_checklist_item": line,
        "oa.task_comment": said,
    }
    resources = {
        r["name"]: r for r in body_of(await owner.get(f"{UI}/resources")) if r["name"] in records
    }
    assert set(resources) == set(records)
    for name, resource in resources.items():
        endpoint, fields = resource["endpoint"], {f["name"]: f for f in resource["fields"]}
        listed = body_of(await owner.get(endpoint))
        assert set(listed) == {"items", "next_cursor"} and listed["items"], name
        missing = set(fields) - set(records[name])
        assert missing == set(), f"{name}: the screens name fields the API does not answer"
        one = body_of(await owner.get(f"{endpoint}/{records[name]['id']}"))
        assert one["id"] == records[name]["id"]
        for sort in resource["sort_fields"]:
            for order in (sort, f"-{sort}"):
                body_of(await owner.get(endpoint, params={"sort": order}))
        if resource["search"]:
            body_of(await owner.get(endpoint, params={"q": "pla"}))
        for field in resource["filters"]:
            parameter = resource["filter_params"].get(field, field)
            record = records[name]
            if record[field] is None:
                record = subtask  # a top-level task has no parent to filter by
            wanted = sample(record, fields[field], parameter)
            filtered = body_of(await owner.get(endpoint, params=wanted))
            assert record["id"] in [i["id"] for i in filtered["items"]], (name, wanted)
        assert resource["can_write"] and resource["audit_type"] == name.replace(".", "_")

    tasks = resources["oa.task"]
    assert tasks["kanban_by"] == "status" and tasks["calendar_by"] == "due_date"
    assert tasks["filter_params"] == {"due_date": "due"}
    # The calendar's month: a window of due dates, as due_from and due_to.
    march = {"due_from": "2031-03-01", "due_to": "2031-04-04"}
    in_march = body_of(await owner.get(tasks["endpoint"], params=march))
    assert [t["id"] for t in in_march["items"]] == [made["id"]]
    april = {"due_from": "2031-04-05", "due_to": "2031-05-02"}
    assert body_of(await owner.get(tasks["endpoint"], params=april))["items"] == []
    create_only = {f["name"] for f in tasks["fields"] if f["create_only"]}
    assert create_only == {"project_id"}, "a task's PATCH does not take it"
    history = body_of(await owner.get(f"/api/v1/audit/records/oa_task/{made['id']}"))
    assert [e["action"] for e in history["items"]][-1] == "create"
    await ann.client.aclose()
