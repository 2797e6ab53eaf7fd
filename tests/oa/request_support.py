"""What the request tests share: an office (owner, admin, a requester with a manager, two more
colleagues), forms and requests made over HTTP, and a look at what the database holds."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from tests.oa.support import oa_tenant, set_manager
from tests.support import LiveServer, SignedUp, join, make_client

FORMS = "/api/v1/oa/request-forms"
REQUESTS = "/api/v1/oa/requests"
FILES = f"{REQUESTS}/files"
WORKFLOW = "/api/v1/workflow"
#: The tables whose rows of a tenant "nothing written" compares.
TABLES = (
    "oa_request_form",
    "oa_request",
    "oa_request_file",
    "workflow_definition",
    "workflow_definition_version",
    "workflow_instance",
    "event_outbox",
    "audit_entry",
)

#: A form with one field of every type, the amount and the purpose required.
EVERY_TYPE: list[dict[str, Any]] = [
    {"key": "purpose", "label": "Purpose", "type": "text", "required": True, "max_length": 100},
    {"key": "details", "label": "Details", "type": "long_text"},
    {"key": "people", "label": "People", "type": "number"},
    {"key": "cost", "label": "Cost", "type": "amount", "required": True},
    {"key": "day", "label": "Day", "type": "date"},
    {"key": "kind", "label": "Kind", "type": "select", "options": ["Hardware", "Software"]},
    {"key": "tags", "label": "Tags", "type": "multi_select", "options": ["a", "b", "c"]},
    {"key": "urgent", "label": "Urgent", "type": "bool"},
    {"key": "buddy", "label": "Buddy", "type": "member"},
    {"key": "quote", "label": "Quote", "type": "file"},
]


@dataclass
class Office:
    """A tenant with OA on: the owner, an admin, a requester whose manager is ``manager``, and
    two colleagues who approve in tests' own workflows."""

    owner: SignedUp
    admin: SignedUp
    requester: SignedUp
    manager: SignedUp
    first: SignedUp
    second: SignedUp


@contextlib.asynccontextmanager
async def office(server: LiveServer) -> AsyncIterator[Office]:
    async with contextlib.AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(make_client(server)) for _ in range(6)]
        owner = await oa_tenant(clients[0])
        admin = await join(server, owner, clients[1], role="admin")
        requester, manager, first, second = [
            await join(server, owner, client) for client in clients[2:]
        ]
        await set_manager(owner, requester.user_id, manager.user_id)
        yield Office(owner, admin, requester, manager, first, second)


async def form(who: SignedUp, name: str = "Purchase", **more: Any) -> dict[str, Any]:
    body = {"name": name, "fields": more.pop("fields", EVERY_TYPE), **more}
    made = await who.post(FORMS, json=body)
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


async def draft(who: SignedUp, form_id: str, **values: Any) -> dict[str, Any]:
    made = await who.post(REQUESTS, json={"form_id": form_id, "values": values})
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


async def submit(who: SignedUp, request_id: str) -> httpx.Response:
    return await who.post(f"{REQUESTS}/{request_id}/submit")


async def submitted(who: SignedUp, request_id: str) -> dict[str, Any]:
    sent = await submit(who, request_id)
    assert sent.status_code == 200, sent.text
    found: dict[str, Any] = sent.json()
    return found


async def fetch(who: SignedUp, path: str, **params: Any) -> dict[str, Any]:
    response = await who.get(path, params=params)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def upload(who: SignedUp, name: str = "quote.pdf", content: bytes = b"%PDF-1.4 q") -> str:
    stored = await who.client.post(
        FILES,
        params={"filename": name},
        content=content,
        headers={**who.headers, "Content-Type": "application/pdf"},
    )
    assert stored.status_code == 201, stored.text
    return str(stored.json()["id"])


async def tasks_on(who: SignedUp, request_id: str) -> list[dict[str, Any]]:
    items = (await fetch(who, f"{WORKFLOW}/inbox"))["items"]
    return [i for i in items if i["record_type"] == "oa.request" and i["record_id"] == request_id]


async def decide(who: SignedUp, request_id: str, action: str = "approve") -> None:
    [task] = await tasks_on(who, request_id)
    done = await who.post(f"{WORKFLOW}/tasks/{task['task']['id']}/{action}")
    assert done.status_code == 200, done.text


async def counts(owner_db: asyncpg.Connection, tenant_id: str) -> dict[str, int]:
    """How many rows of the tenant each table holds: equal before and after = nothing written."""
    found = {}
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        for table in TABLES:
            found[table] = await owner_db.fetchval(
                f"SELECT count(*) FROM {table} WHERE tenant_id = $1::uuid", tenant_id
            )
    return found


def fields_named(response: httpx.Response) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]
