"""Comments with @mentions over real HTTP: each mentioned member who can see the task is told
once; mentions of anyone else are refused with nothing written."""

from __future__ import annotations

import json
import uuid

import asyncpg
import httpx
import pytest

from tests.oa.support import colleague, field_of, oa_tenant, patch
from tests.oa.task_support import (
    COMMENTS,
    body_of,
    notices,
    project,
    snapshot,
    task,
    tenant_rows,
)
from tests.support import LiveServer, make_client

MENTIONED = "oa.task_mentioned"


async def test_each_mentioned_member_is_told_once(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner)
    bob = await colleague(live_server, owner)
    cat = await colleague(live_server, owner)
    launch = await project(owner, "Launch", member_ids=[ann.user_id, bob.user_id, cat.user_id])
    made = await task(owner, "Pick a date", project_id=launch["id"])

    said = body_of(
        await owner.post(
            COMMENTS,
            json={
                "task_id": made["id"],
                "body": "@Ann @Bob which week suits you?",
                # Twice, and the author too: each is told at most once, the author never.
                "mentions": [ann.user_id, bob.user_id, ann.user_id, owner.user_id],
            },
        ),
        201,
    )
    assert said["mentions"] == [ann.user_id, bob.user_id, owner.user_id]
    assert said["author_id"] == owner.user_id
    for who in (ann, bob):
        [told] = await notices(who, MENTIONED)
        assert told["title"] == "You were mentioned on the task: Pick a date"
        assert told["body"] == "@Ann @Bob which week suits you?"
        assert told["link"] == f"/oa/tasks/{made['id']}"
    assert await notices(owner, MENTIONED) == [] and await notices(cat, MENTIONED) == []

    # Ann's answer mentions no one; the thread reads oldest first.
    body_of(await ann.post(COMMENTS, json={"task_id": made["id"], "body": "Any but the 3rd"}), 201)
    thread = body_of(await cat.get(COMMENTS, params={"task_id": made["id"]}))["items"]
    assert [c["body"] for c in thread] == ["@Ann @Bob which week suits you?", "Any but the 3rd"]

    # Edited to mention Cat as well: only Cat is told now.
    edited = body_of(
        await patch(
            owner,
            f"{COMMENTS}/{said['id']}",
            {"mentions": [ann.user_id, bob.user_id, cat.user_id]},
        )
    )
    assert edited["mentions"] == [ann.user_id, bob.user_id, cat.user_id]
    assert len(await notices(cat, MENTIONED)) == 1
    assert len(await notices(ann, MENTIONED)) == 1 and len(await notices(bob, MENTIONED)) == 1
    events = await _events(owner_db, owner.tenant_id)
    assert events == [
        {"mentioned_user_ids": [ann.user_id, bob.user_id, owner.user_id]},
        {"mentioned_user_ids": []},
    ]

    # Only the author changes a comment; the author or a task manager deletes it.
    assert (await patch(ann, f"{COMMENTS}/{said['id']}", {"body": "Mine"})).status_code == 403
    assert (await ann.delete(f"{COMMENTS}/{said['id']}")).status_code == 403
    anns = thread[1]["id"]
    body_of(await owner.delete(f"{COMMENTS}/{anns}"))
    body_of(await owner.delete(f"{COMMENTS}/{said['id']}"))
    assert body_of(await cat.get(COMMENTS, params={"task_id": made["id"]}))["items"] == []
    # From the recycle bin, a comment comes back with whom it mentions.
    binned = body_of(await owner.get("/api/v1/recycle-bin"))["items"]
    [item] = [i for i in binned if i["record_id"] == said["id"]]
    body_of(await owner.post(f"/api/v1/recycle-bin/{item['id']}/restore"))
    back = body_of(await cat.get(f"{COMMENTS}/{said['id']}"))
    assert back["mentions"] == [ann.user_id, bob.user_id, cat.user_id]
    for who in (ann, bob, cat):
        await who.client.aclose()


async def _events(owner_db: asyncpg.Connection, tenant_id: str) -> list[dict[str, object]]:
    rows = await tenant_rows(
        owner_db,
        tenant_id,
        "SELECT payload->'mentioned_user_ids' AS m FROM event_outbox "
        "WHERE type = 'oa.task.commented' ORDER BY id",
    )
    return [{"mentioned_user_ids": json.loads(r["m"])} for r in rows]


async def test_on_a_personal_task_its_creator_and_assignee_may_be_mentioned(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner)
    made = await task(owner, "Sign the lease", assignee_id=ann.user_id)
    body_of(
        await ann.post(
            COMMENTS,
            json={"task_id": made["id"], "body": "Done?", "mentions": [owner.user_id]},
        ),
        201,
    )
    [told] = await notices(owner, MENTIONED)
    assert told["link"] == f"/oa/tasks/{made['id']}"
    await ann.client.aclose()


@pytest.mark.parametrize(
    "whom",
    ["another tenant's member", "an unknown id", "a member outside the project", "a bad id"],
)
async def test_a_mention_of_someone_who_cannot_see_the_task_is_refused(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection, whom: str
) -> None:
    owner = await oa_tenant(client)
    outsider = await colleague(live_server, owner)
    launch = await project(owner, "Launch")
    made = await task(owner, "Secret", project_id=launch["id"])
    async with make_client(live_server) as other_client:
        other = await oa_tenant(other_client)
        mentioned = {
            "another tenant's member": other.user_id,
            "an unknown id": str(uuid.uuid4()),
            "a member outside the project": outsider.user_id,
            "a bad id": "not-a-uuid",
        }[whom]
    before = await snapshot(owner_db, owner.tenant_id)
    refused = await owner.post(
        COMMENTS,
        json={"task_id": made["id"], "body": "Look", "mentions": [owner.user_id, mentioned]},
    )
    if whom == "a bad id":
        assert refused.status_code == 400, refused.text
    else:
        assert refused.status_code == 422, refused.text
        assert field_of(refused) == ["mentions"]
        assert mentioned in refused.json()["detail"]
    assert await snapshot(owner_db, owner.tenant_id) == before
    assert await notices(outsider, MENTIONED) == []
    await outsider.client.aclose()


async def test_comments_on_a_task_one_cannot_see_are_refused(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await oa_tenant(client)
    ann = await colleague(live_server, owner)
    launch = await project(owner, "Launch")
    made = await task(owner, "Secret", project_id=launch["id"])
    said = body_of(await owner.post(COMMENTS, json={"task_id": made["id"], "body": "Hm"}), 201)
    before = await snapshot(owner_db, owner.tenant_id)
    refused = await ann.post(COMMENTS, json={"task_id": made["id"], "body": "Let me in"})
    assert refused.status_code == 422 and field_of(refused) == ["task_id"]
    assert (await ann.get(f"{COMMENTS}/{said['id']}")).status_code == 404
    assert body_of(await ann.get(COMMENTS))["items"] == []
    blank = await owner.post(COMMENTS, json={"task_id": made["id"], "body": "   "})
    assert blank.status_code == 422 and field_of(blank) == ["body"]
    assert await snapshot(owner_db, owner.tenant_id) == before
    await ann.client.aclose()
