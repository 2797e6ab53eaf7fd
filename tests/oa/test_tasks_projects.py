"""Projects over real HTTP: who sees a project and its tasks, what managers may do that
members may not, assignment notices, archiving and deleting."""

from __future__ import annotations

import asyncpg
import httpx

from tests.oa.support import colleague, oa_tenant, patch
from tests.oa.task_support import (
    MEMBERS,
    PROJECTS,
    TASKS,
    add_member,
    body_of,
    change,
    members_of,
    notices,
    project,
    task,
    tenant_rows,
    titles,
)
from tests.support import LiveServer


async def test_a_projects_tasks_are_seen_by_its_members_and_task_managers(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner)
    bob = await colleague(live_server, owner)
    admin = await colleague(live_server, owner, role="admin")
    launch = await project(ann, "Launch", member_ids=[owner.user_id])
    assert launch["owner_id"] == ann.user_id and launch["my_role"] == "manager"
    roles = {user: m["role"] for user, m in (await members_of(ann, launch["id"])).items()}
    assert roles == {ann.user_id: "manager", owner.user_id: "member"}
    plan = await task(ann, "Plan", project_id=launch["id"])
    mine = await task(bob, "Bob's own")
    given = await task(bob, "For Ann", assignee_id=ann.user_id)

    assert set(await titles(ann)) == {"For Ann", "Plan"}
    assert set(await titles(bob)) == {"Bob's own", "For Ann"}
    # Bob takes no part in Launch: its project and tasks do not exist for him.
    assert (await bob.get(f"{PROJECTS}/{launch['id']}")).status_code == 404
    assert (await bob.get(f"{TASKS}/{plan['id']}")).status_code == 404
    assert (await change(bob, plan["id"], title="Mine now")).status_code == 404
    assert body_of(await bob.get(PROJECTS))["items"] == []
    assert body_of(await bob.get(MEMBERS, params={"project_id": launch["id"]}))["items"] == []
    # Bob's personal tasks are his, and the assignee's.
    assert (await ann.get(f"{TASKS}/{mine['id']}")).status_code == 404
    assert (await ann.get(f"{TASKS}/{given['id']}")).status_code == 200, "assigned to her"
    # Task managers (owners and admins by default) see everything.
    assert set(await titles(admin)) == {"Plan", "Bob's own", "For Ann"}
    [shown] = body_of(await admin.get(PROJECTS))["items"]
    assert shown["id"] == launch["id"] and shown["my_role"] is None
    for who in (ann, bob, admin):
        await who.client.aclose()


async def test_managers_run_the_project_and_members_work_in_it(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner)
    bob = await colleague(live_server, owner)
    launch = await project(ann, "Launch")
    bob_place = await add_member(ann, launch["id"], bob.user_id)
    assert bob_place["email"] == bob.email and bob_place["role"] == "member"

    # A member works on tasks but does not change the project or its members.
    made = await task(bob, "Bob's part", project_id=launch["id"], assignee_id=bob.user_id)
    assert (await patch(bob, f"{PROJECTS}/{launch['id']}", {"name": "X"})).status_code == 403
    refused = await bob.post(MEMBERS, json={"project_id": launch["id"], "user_id": owner.user_id})
    assert refused.status_code == 403
    assert (
        await patch(bob, f"{MEMBERS}/{bob_place['id']}", {"role": "manager"})
    ).status_code == 403
    # Already in: 409.
    twice = await ann.post(MEMBERS, json={"project_id": launch["id"], "user_id": bob.user_id})
    assert twice.status_code == 409

    # A project keeps a manager, and its owner.
    ann_place = (await members_of(ann, launch["id"]))[ann.user_id]
    last = await patch(ann, f"{MEMBERS}/{ann_place['id']}", {"role": "member"})
    assert last.status_code == 409 and "at least one manager" in last.json()["detail"]
    promoted = body_of(await patch(ann, f"{MEMBERS}/{bob_place['id']}", {"role": "manager"}))
    assert promoted["role"] == "manager"
    owner_out = await ann.delete(f"{MEMBERS}/{ann_place['id']}")
    assert owner_out.status_code == 409, "hand the project over first"
    handed = body_of(await patch(ann, f"{PROJECTS}/{launch['id']}", {"owner_id": bob.user_id}))
    assert handed["owner_id"] == bob.user_id
    body_of(await ann.delete(f"{MEMBERS}/{ann_place['id']}"))  # Ann leaves
    assert (await ann.get(f"{PROJECTS}/{launch['id']}")).status_code == 404

    # Taken out of the project, Bob's colleague is taken off its tasks too.
    await add_member(bob, launch["id"], owner.user_id)
    given = body_of(await change(bob, made["id"], assignee_id=owner.user_id))
    assert given["assignee_id"] == owner.user_id
    owner_place = (await members_of(bob, launch["id"]))[owner.user_id]
    body_of(await bob.delete(f"{MEMBERS}/{owner_place['id']}"))
    assert body_of(await bob.get(f"{TASKS}/{made['id']}"))["assignee_id"] is None
    events = await tenant_rows(
        owner_db,
        owner.tenant_id,
        "SELECT type FROM event_outbox WHERE type LIKE 'oa.project.%' ORDER BY id",
    )
    assert [e["type"] for e in events] == [
        "oa.project.created",
        "oa.project.member_added",
        "oa.project.member_removed",
        "oa.project.member_added",
        "oa.project.member_removed",
    ]
    for who in (ann, bob):
        await who.client.aclose()


async def test_the_assignee_is_told_and_nobody_else(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner)
    launch = await project(owner, "Launch", member_ids=[ann.user_id])
    made = await task(
        owner,
        "Book the venue",
        project_id=launch["id"],
        assignee_id=ann.user_id,
        due_date="2031-05-01",
    )
    [told] = await notices(ann, "oa.task_assigned")
    assert told["title"] == "A task was assigned to you: Book the venue"
    assert told["body"] == "Due 2031-05-01" and told["link"] == f"/oa/tasks/{made['id']}"
    # Changing other things, or assigning to oneself, tells nobody.
    body_of(await change(owner, made["id"], priority="urgent"))
    body_of(await change(ann, made["id"], assignee_id=ann.user_id))
    await task(owner, "Mine", assignee_id=owner.user_id)
    assert len(await notices(ann, "oa.task_assigned")) == 1
    assert await notices(owner, "oa.task_assigned") == []
    # Given back to the owner by Ann: the owner is told.
    body_of(await change(ann, made["id"], assignee_id=owner.user_id))
    assert len(await notices(owner, "oa.task_assigned")) == 1
    [joined] = await notices(ann, "oa.project_joined")
    assert joined["link"] == f"/oa/projects/{launch['id']}"
    await ann.client.aclose()


async def test_an_archived_project_takes_no_tasks_and_one_with_tasks_is_not_deleted(
    client: httpx.AsyncClient,
) -> None:
    owner = await oa_tenant(client)
    launch = await project(owner, "Launch")
    made = await task(owner, "Only task", project_id=launch["id"])
    kept = await owner.delete(f"{PROJECTS}/{launch['id']}")
    assert kept.status_code == 409 and "archive it" in kept.json()["detail"]
    archived = body_of(await patch(owner, f"{PROJECTS}/{launch['id']}", {"status": "archived"}))
    assert archived["status"] == "archived"
    refused = await owner.post(TASKS, json={"title": "New", "project_id": launch["id"]})
    assert refused.status_code == 409 and "archived" in refused.json()["detail"]
    assert body_of(await change(owner, made["id"], status="done"))["status"] == "done"
    assert [
        p["name"] for p in body_of(await owner.get(PROJECTS, params={"status": "active"}))["items"]
    ] == []
    body_of(await owner.delete(f"{TASKS}/{made['id']}"))
    body_of(await owner.delete(f"{PROJECTS}/{launch['id']}"))
    assert (await owner.get(f"{PROJECTS}/{launch['id']}")).status_code == 404
    assert body_of(await owner.get(MEMBERS))["items"] == [], "its members went with it"
    [item] = [
        i
        for i in body_of(await owner.get("/api/v1/recycle-bin"))["items"]
        if i["record_type"] == "oa_project"
    ]
    body_of(await owner.post(f"/api/v1/recycle-bin/{item['id']}/restore"))
    assert body_of(await owner.get(f"{PROJECTS}/{launch['id']}"))["my_role"] == "manager"


async def test_only_the_creator_and_managers_delete_a_task(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner)
    bob = await colleague(live_server, owner)
    launch = await project(ann, "Launch", member_ids=[bob.user_id])
    anns = await task(ann, "Ann's", project_id=launch["id"])
    bobs = await task(bob, "Bob's", project_id=launch["id"])
    assert (await bob.delete(f"{TASKS}/{anns['id']}")).status_code == 403
    assert (await bob.get(f"{TASKS}/{anns['id']}")).status_code == 200, "still there"
    body_of(await ann.delete(f"{TASKS}/{bobs['id']}"))  # a manager of the project
    body_of(await owner.delete(f"{TASKS}/{anns['id']}"))  # a task manager
    assert await titles(ann) == []
    for who in (ann, bob):
        await who.client.aclose()
