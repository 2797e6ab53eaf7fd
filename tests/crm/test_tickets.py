"""CRM tickets over real HTTP: SLA by priority, status changes, the created and breached events."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from sqlalchemy.ext.asyncio import AsyncSession
from tessera_crm.sla import mark_breached

from tessera.db.engine import Database
from tessera.db.tenant_context import set_tenant
from tessera.recycle.capture import PlatformSession
from tessera.runtime import runtime_database_url
from tests.crm.test_accounts_contacts import CONTACTS, account, crm_tenant, patch
from tests.support import LiveServer, SignedUp, join, make_client

TICKETS = "/api/v1/crm/tickets"
NOBODY = "01a21466-0000-7000-8000-000000000000"


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def ticket(who: SignedUp, subject: str = "Printer on fire", **fields: Any) -> dict[str, Any]:
    made = await who.post(TICKETS, json={"subject": subject, **fields})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def ids(who: SignedUp, **params: Any) -> list[str]:
    listed = await who.get(TICKETS, params=params)
    assert listed.status_code == 200, listed.text
    return [item["id"] for item in listed.json()["items"]]


async def outbox(
    db: asyncpg.Connection, tenant_id: str, like: str
) -> list[tuple[str, dict[str, Any]]]:
    async with db.transaction():
        await db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        rows = await db.fetch(
            "SELECT type, payload FROM event_outbox WHERE type LIKE $1 ORDER BY id", like
        )
    return [(r["type"], json.loads(r["payload"])) for r in rows]


@asynccontextmanager
async def tenant_db(server: LiveServer, tenant_id: str) -> AsyncIterator[AsyncSession]:
    """A transaction of the tenant as the app's runtime role, as a worker's schedule gets."""
    database = Database(
        runtime_database_url(server.settings), pool_size=1, session_class=PlatformSession
    )
    try:
        async with database.transaction() as db:
            await set_tenant(db, uuid.UUID(tenant_id))
            yield db
    finally:
        await database.dispose()


async def test_tickets_round_trip(client: httpx.AsyncClient, owner_db: asyncpg.Connection) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    person = await owner.post(CONTACTS, json={"last_name": "Hopper", "account_id": acme["id"]})
    contact_id = person.json()["id"]

    made = await ticket(owner, description="Smoke everywhere", contact_id=contact_id)
    assert made["account_id"] == acme["id"], "the contact's account"
    assert made["status"] == "open" and made["priority"] == "normal"
    assert made["assignee_id"] == owner.user_id
    opened = moment(made["created_at"])
    assert moment(made["sla_due_at"]) == opened + timedelta(hours=24)
    assert made["breached"] is False and made["breached_at"] is None
    [(kind, payload)] = await outbox(owner_db, owner.tenant_id, "crm.ticket.%")
    assert kind == "crm.ticket.created"
    assert payload == {
        "ticket_id": made["id"],
        "subject": "Printer on fire",
        "priority": "normal",
        "account_id": acme["id"],
        "assignee_id": owner.user_id,
        "sla_due_at": payload["sla_due_at"],
    }
    assert moment(payload["sla_due_at"]) == moment(made["sla_due_at"])

    path = f"{TICKETS}/{made['id']}"
    for priority, hours in (("urgent", 4), ("high", 8), ("low", 72)):
        changed = await patch(owner, path, {"priority": priority})
        assert changed.status_code == 200, changed.text
        assert moment(changed.json()["sla_due_at"]) == opened + timedelta(hours=hours)
    pending = await patch(owner, path, {"status": "pending", "subject": "Printer smoking"})
    assert pending.json()["status"] == "pending" and pending.json()["resolved_at"] is None
    resolved = (await patch(owner, path, {"status": "resolved"})).json()
    assert resolved["resolved_at"] is not None
    reopened = (await patch(owner, path, {"status": "open"})).json()
    assert reopened["status"] == "open" and reopened["resolved_at"] is None
    closed = (await patch(owner, path, {"status": "closed"})).json()
    assert closed["resolved_at"] is not None, "closing resolves"
    assert (await patch(owner, path, {"status": "open"})).status_code == 409
    assert (await patch(owner, path, {"subject": "Again"})).status_code == 409

    other = await ticket(owner, "Login broken", priority="urgent", account_id=acme["id"])
    assert moment(other["sla_due_at"]) - moment(other["created_at"]) == timedelta(hours=4)
    loose = await ticket(owner, "Question", priority="low")
    assert loose["account_id"] is None
    assert await ids(owner, status="closed") == [made["id"]]
    assert await ids(owner, priority="urgent") == [other["id"]]
    assert set(await ids(owner, account_id=acme["id"])) == {made["id"], other["id"]}
    assert await ids(owner, q="login") == [other["id"]]
    assert await ids(owner, q="smok") == [made["id"]], "words of the description too"
    assert len(await ids(owner, assignee="me")) == 3
    assert await ids(owner, sort="sla_due_at", status="open") == [other["id"], loose["id"]]
    assert (await owner.delete(f"{TICKETS}/{loose['id']}")).status_code == 200
    assert (await owner.get(f"{TICKETS}/{loose['id']}")).status_code == 404
    # A contact with tickets stays until they are moved: no ticket loses its customer quietly.
    assert (await owner.delete(f"{CONTACTS}/{contact_id}")).status_code == 409


async def test_bad_tickets_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    acme = await account(owner, "Acme")
    globex = await account(owner, "Globex")
    at_globex = await owner.post(CONTACTS, json={"last_name": "G", "account_id": globex["id"]})
    async with make_client(live_server) as other_client:
        other = await crm_tenant(other_client)
        theirs = await account(other, "Theirs")
        their_contact = await other.post(CONTACTS, json={"last_name": "T"})
        their_ticket = await ticket(other)
    cases: list[tuple[dict[str, Any], str]] = [
        ({}, "subject"),
        ({"subject": ""}, "subject"),
        ({"subject": 5}, "subject"),
        ({"subject": "S", "priority": "asap"}, "priority"),
        ({"subject": "S", "status": "resolved"}, "status"),
        ({"subject": "S", "sla_due_at": "2027-01-01T00:00:00Z"}, "sla_due_at"),
        ({"subject": "S", "account_id": theirs["id"]}, "account_id"),
        ({"subject": "S", "account_id": NOBODY}, "account_id"),
        ({"subject": "S", "account_id": "acme"}, "account_id"),
        ({"subject": "S", "contact_id": their_contact.json()["id"]}, "contact_id"),
        (
            {"subject": "S", "account_id": acme["id"], "contact_id": at_globex.json()["id"]},
            "contact_id",
        ),
        ({"subject": "S", "assignee_id": other.user_id}, "assignee_id"),
    ]
    for body, field in cases:
        response = await owner.post(TICKETS, json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert any(e["field"] == field for e in response.json()["errors"]), (body, response.text)
    assert await ids(owner) == []
    assert await outbox(owner_db, owner.tenant_id, "crm.ticket.%") == []

    made = await ticket(owner, account_id=acme["id"])
    for body, field in (
        ({"status": "done"}, "status"),
        ({"priority": "asap"}, "priority"),
        ({"contact_id": at_globex.json()["id"]}, "contact_id"),
        ({"assignee_id": NOBODY}, "assignee_id"),
        ({"breached": True}, "breached"),
    ):
        response = await patch(owner, f"{TICKETS}/{made['id']}", body)
        assert response.status_code in (400, 422), (body, response.text)
        assert any(e["field"] == field for e in response.json()["errors"]), (body, response.text)
    unchanged = (await owner.get(f"{TICKETS}/{made['id']}")).json()
    assert unchanged["priority"] == "normal" and unchanged["contact_id"] is None
    for params, field in (
        ({"status": "done"}, "status"),
        ({"priority": "asap"}, "priority"),
        ({"assignee": "someone"}, "assignee"),
        ({"breached": "maybe"}, "breached"),
        ({"account_id": "acme"}, "account_id"),
        ({"q": "!!"}, "q"),
    ):
        response = await owner.get(TICKETS, params=params)
        assert response.status_code in (400, 422), (params, response.text)
        assert any(e["field"] == field for e in response.json()["errors"]), (params, response.text)
    assert (await owner.get(f"{TICKETS}/{their_ticket['id']}")).status_code == 404


async def test_reps_see_only_tickets_assigned_to_them(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as a, make_client(live_server) as b:
        rep = await join(live_server, owner, a)
        other_rep = await join(live_server, owner, b)
        mine = await ticket(rep, "Mine")
        theirs = await ticket(other_rep, "Theirs")
        assert await ids(rep) == [mine["id"]]
        assert (await rep.get(f"{TICKETS}/{theirs['id']}")).status_code == 404
        assert (
            await patch(rep, f"{TICKETS}/{theirs['id']}", {"status": "closed"})
        ).status_code == 404
        assert (await rep.delete(f"{TICKETS}/{theirs['id']}")).status_code == 404
        # Assigning a ticket to a colleague hands it over.
        handed = await patch(rep, f"{TICKETS}/{mine['id']}", {"assignee_id": other_rep.user_id})
        assert handed.status_code == 200, handed.text
        assert await ids(rep) == []
        assert set(await ids(other_rep, assignee=other_rep.user_id)) == {mine["id"], theirs["id"]}
        assert set(await ids(owner)) == {mine["id"], theirs["id"]}
        assert await ids(owner, assignee="me") == []


async def test_the_sla_check_marks_breached_tickets_once_and_tells_the_assignee(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as a:
        rep = await join(live_server, owner, a)
        urgent = await ticket(rep, "Site down", priority="urgent")
        high = await ticket(rep, "Slow pages", priority="high")
        low = await ticket(rep, "Typo", priority="low")
        done = await ticket(rep, "Fixed fast", priority="urgent")
        await patch(rep, f"{TICKETS}/{done['id']}", {"status": "resolved"})

        later = datetime.now(UTC) + timedelta(hours=5)
        async with tenant_db(live_server, owner.tenant_id) as db:
            assert await mark_breached(db, uuid.UUID(owner.tenant_id), later) == 1
        async with tenant_db(live_server, owner.tenant_id) as db:
            assert await mark_breached(db, uuid.UUID(owner.tenant_id), later) == 0, "once"

        marked = (await rep.get(f"{TICKETS}/{urgent['id']}")).json()
        assert marked["breached"] is True and marked["breached_at"] is not None
        assert (await rep.get(f"{TICKETS}/{done['id']}")).json()["breached"] is False
        breaches = await outbox(owner_db, owner.tenant_id, "crm.ticket.breached")
        assert [(kind, payload["ticket_id"]) for kind, payload in breaches] == [
            ("crm.ticket.breached", urgent["id"])
        ]
        assert breaches[0][1]["assignee_id"] == rep.user_id
        inbox = (await rep.get("/api/v1/notifications")).json()["items"]
        assert [(n["type"], n["link"]) for n in inbox] == [
            ("crm.ticket_breached", f"/crm/tickets/{urgent['id']}")
        ]
        assert "Site down" in inbox[0]["title"]
        assert (await owner.get("/api/v1/notifications")).json()["items"] == []

        # Past due but not yet seen by the check: the flag says so at once.
        async with owner_db.transaction():
            await owner_db.execute(
                "SELECT set_config('tessera.tenant_id', $1, true)", owner.tenant_id
            )
            await owner_db.execute(
                "UPDATE crm_ticket SET sla_due_at = now() - interval '1 minute' WHERE id = $1",
                uuid.UUID(high["id"]),
            )
        assert (await rep.get(f"{TICKETS}/{high['id']}")).json()["breached"] is True
        assert set(await ids(rep, breached=True)) == {urgent["id"], high["id"]}
        assert set(await ids(rep, breached=False)) == {low["id"], done["id"]}
        # Resolving does not erase a breach that happened.
        resolved = await patch(rep, f"{TICKETS}/{urgent['id']}", {"status": "resolved"})
        assert resolved.json()["breached"] is True
