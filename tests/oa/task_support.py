"""What the task tests share: making projects and tasks over HTTP, reading what a tenant's
tables, trail and outbox hold, and handing events to handlers as the worker does."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx

from tessera.db.engine import Database
from tessera.jobs.actors import event_as_message, event_from_message
from tessera.jobs.catalog import build_catalog
from tessera.jobs.runner import Runner
from tessera.modules.registry import installed_plugins
from tessera.recycle.capture import PlatformSession
from tessera.runtime import default_mailer, runtime_database_url
from tests.oa.support import patch
from tests.support import LiveServer, SignedUp

OA = "/api/v1/oa"
PROJECTS, MEMBERS, TASKS = f"{OA}/projects", f"{OA}/project-members", f"{OA}/tasks"
CHECKLIST, COMMENTS = f"{OA}/task-checklist", f"{OA}/task-comments"
TABLES = ("oa_project", "oa_project_member", "oa_task", "oa_task_checklist_item", "oa_task_comment")


def body_of(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def project(who: SignedUp, name: str = "Launch", **fields: Any) -> dict[str, Any]:
    made: dict[str, Any] = body_of(await who.post(PROJECTS, json={"name": name, **fields}), 201)
    return made


async def add_member(
    who: SignedUp, project_id: str, user_id: str, role: str = "member"
) -> dict[str, Any]:
    body = {"project_id": project_id, "user_id": user_id, "role": role}
    added: dict[str, Any] = body_of(await who.post(MEMBERS, json=body), 201)
    return added


async def members_of(who: SignedUp, project_id: str) -> dict[str, dict[str, Any]]:
    """The project's members by user id."""
    page = body_of(await who.get(MEMBERS, params={"project_id": project_id, "limit": 200}))
    return {m["user_id"]: m for m in page["items"]}


async def task(who: SignedUp, title: str = "Do it", **fields: Any) -> dict[str, Any]:
    made: dict[str, Any] = body_of(await who.post(TASKS, json={"title": title, **fields}), 201)
    return made


async def change(who: SignedUp, task_id: str, **fields: Any) -> httpx.Response:
    return await patch(who, f"{TASKS}/{task_id}", fields)


async def tasks_of(who: SignedUp, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = body_of(await who.get(TASKS, params={"limit": 200, **params}))[
        "items"
    ]
    return items


async def titles(who: SignedUp, **params: Any) -> list[str]:
    return [t["title"] for t in await tasks_of(who, **params)]


async def notices(who: SignedUp, kind: str) -> list[dict[str, Any]]:
    """``who``'s notifications of one type, newest first."""
    items = body_of(await who.get("/api/v1/notifications", params={"limit": 200}))["items"]
    return [n for n in items if n["type"] == kind]


async def tenant_rows(
    owner_db: asyncpg.Connection, tenant_id: str, query: str, *args: Any
) -> list[asyncpg.Record]:
    """``query`` as the table owner inside the tenant (row-level security is forced on it too)."""
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        return list(await owner_db.fetch(query, *args))


async def snapshot(owner_db: asyncpg.Connection, tenant_id: str) -> dict[str, int]:
    """How many rows the tenant has in each task table, in its audit trail, outbox and
    notifications: a refused request must leave every one as it was."""
    counted = {
        table: f"SELECT count(*) AS n FROM {table}"
        for table in (*TABLES, "audit_entry", "event_outbox", "notification")
    }
    found = {}
    for name, query in counted.items():
        [row] = await tenant_rows(owner_db, tenant_id, query)
        found[name] = int(row["n"])
    return found


@asynccontextmanager
async def worker(server: LiveServer) -> AsyncIterator[Runner]:
    """What a worker process runs deliveries with, on the app's runtime role."""
    database = Database(
        runtime_database_url(server.settings), pool_size=2, session_class=PlatformSession
    )
    try:
        yield Runner(
            database,
            build_catalog(installed_plugins()),
            default_mailer(server.settings),
            server.settings,
        )
    finally:
        await database.dispose()


async def outbox(
    owner_db: asyncpg.Connection, tenant_id: str, event_type: str
) -> list[dict[str, Any]]:
    """The tenant's events of ``event_type``, oldest first, as the relay hands them on."""
    rows = await tenant_rows(
        owner_db,
        tenant_id,
        "SELECT tenant_id, id, type, payload::text AS payload, occurred_at, actor_user_id "
        "FROM event_outbox WHERE type = $1 ORDER BY id",
        event_type,
    )
    return [event_as_message({**row, "payload": json.loads(row["payload"])}) for row in rows]


async def hand_over(runner: Runner, message: dict[str, Any], *, last_attempt: bool = True) -> None:
    """One event to every handler of every module, as the worker does; the runner leaves out
    modules the tenant has off, and events a handler has already finished."""
    for key in runner.catalog.handler_keys(message["type"]):
        await runner.deliver([event_from_message(message, key)], key, last_attempt=last_attempt)


async def deliver(
    server: LiveServer, owner_db: asyncpg.Connection, tenant_id: str, event_type: str
) -> None:
    """Hand the tenant's events of ``event_type`` to their handlers, as the worker does.

    Deliveries are recorded, so calling it again hands over only what is new.
    """
    async with worker(server) as runner:
        for message in await outbox(owner_db, tenant_id, event_type):
            await hand_over(runner, message)
