"""What the leave tests share: a small company with a reporting line, days given, and the
engine's approval events handed to the OA handlers as a worker would."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
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
from tests.oa.support import colleague, oa_tenant, put, set_manager
from tests.support import LiveServer, SignedUp

LEAVE = "/api/v1/oa/leave"
REQUESTS, TYPES = f"{LEAVE}/requests", f"{LEAVE}/types"
WORKFLOW = "/api/v1/workflow"
#: A year far enough ahead that no leave there has begun; 3 March 2031 is a Monday.
YEAR = 2031


def day(text: str) -> str:
    """``"03-03"`` -> ``"2031-03-03"``."""
    return f"{YEAR}-{text}"


@dataclass
class Company:
    owner: SignedUp
    employee: SignedUp
    manager: SignedUp

    async def close(self) -> None:
        for who in (self.employee, self.manager):
            await who.client.aclose()


async def company(client: httpx.AsyncClient, server: LiveServer) -> Company:
    """The owner, an employee and the employee's manager, in a tenant with OA on."""
    owner = await oa_tenant(client)
    employee = await colleague(server, owner)
    manager = await colleague(server, owner)
    await set_manager(owner, employee.user_id, manager.user_id)
    return Company(owner, employee, manager)


async def type_id(who: SignedUp, name: str) -> str:
    listed = (await who.get(TYPES, params={"limit": 200})).json()["items"]
    return str(next(t["id"] for t in listed if t["name"] == name))


async def allocate(
    owner: SignedUp, user_id: str, leave_type_id: str, days: str, year: int = YEAR
) -> dict[str, Any]:
    response = await put(
        owner,
        f"{LEAVE}/allocations",
        {"user_id": user_id, "leave_type_id": leave_type_id, "year": year, "entitled_days": days},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def ask(
    who: SignedUp, leave_type_id: str, start: str, end: str, **fields: Any
) -> httpx.Response:
    return await who.post(
        REQUESTS,
        json={"leave_type_id": leave_type_id, "start_date": start, "end_date": end, **fields},
    )


async def asked(
    who: SignedUp, leave_type_id: str, start: str, end: str, **fields: Any
) -> dict[str, Any]:
    response = await ask(who, leave_type_id, start, end, **fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def balance(who: SignedUp, name: str, **params: Any) -> dict[str, Decimal]:
    response = await who.get(f"{LEAVE}/balances", params={"year": YEAR, **params})
    assert response.status_code == 200, response.text
    row = next(b for b in response.json() if b["leave_type"] == name)
    return {
        k: Decimal(str(row[k]))
        for k in ("entitled_days", "carried_days", "used_days", "reserved_days", "available_days")
    }


async def requests_of(who: SignedUp, **params: Any) -> list[dict[str, Any]]:
    response = await who.get(REQUESTS, params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def decide(who: SignedUp, request_id: str, action: str) -> None:
    """``who`` approves (or rejects, returns) their task about the leave request."""
    inbox = (await who.get(f"{WORKFLOW}/inbox")).json()["items"]
    task = next(i for i in inbox if i["record_id"] == request_id)
    assert task["record_type"] == "oa.leave_request"
    acted = await who.post(f"{WORKFLOW}/tasks/{task['task']['id']}/{action}")
    assert acted.status_code == 200, acted.text


async def settle(server: LiveServer, owner_db: asyncpg.Connection, tenant_id: str) -> None:
    """Deliver the tenant's approval events to the OA handlers, as the worker does.

    Deliveries are recorded, so calling it again hands over only what is new.
    """
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        rows = await owner_db.fetch(
            "SELECT tenant_id, id, type, payload::text AS payload, occurred_at, actor_user_id "
            "FROM event_outbox WHERE type LIKE 'tessera.approval.%' ORDER BY id"
        )
    catalog = build_catalog(installed_plugins())
    database = Database(
        runtime_database_url(server.settings), pool_size=1, session_class=PlatformSession
    )
    runner = Runner(database, catalog, default_mailer(server.settings), server.settings)
    try:
        for row in rows:
            message = event_as_message({**row, "payload": json.loads(row["payload"])})
            for key in catalog.handler_keys(row["type"]):
                if key.startswith("oa:"):
                    await runner.deliver([event_from_message(message, key)], key, last_attempt=True)
    finally:
        await database.dispose()


async def events_of(owner_db: asyncpg.Connection, tenant_id: str, prefix: str) -> list[str]:
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        rows = await owner_db.fetch(
            "SELECT type FROM event_outbox WHERE type LIKE $1 ORDER BY id", prefix + "%"
        )
    return [r["type"] for r in rows]


async def placed(owner: SignedUp, department_id: str, user_id: str) -> None:
    response = await put(owner, f"/api/v1/oa/departments/{department_id}/members/{user_id}")
    assert response.status_code == 200, response.text
