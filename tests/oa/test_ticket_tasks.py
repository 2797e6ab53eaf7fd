"""Tasks made by another module's events: a new CRM ticket becomes an internal OA task, linked
both ways, when the tenant has both modules on — and nothing else happens when OA is off.

The events are handed to the handlers as the worker does (the real runner, the real catalog of
installed handlers, in the tenant's transaction), so each test is deterministic; the last one
runs the real scheduler and worker processes, whose relay decides who hears of each event.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

import asyncpg
import httpx
import pytest

from tessera.events.types import Event
from tessera.jobs.actors import event_from_message
from tessera.jobs.runner import DeliveryFailed
from tests.crm.test_activities import activity
from tests.crm.test_tickets import TICKETS, ticket
from tests.events.conftest import StackFactory, stacks  # noqa: F401  (the fixture)
from tests.events_support import wait_until
from tests.oa.support import colleague
from tests.oa.task_support import (
    TASKS,
    body_of,
    change,
    deliver,
    hand_over,
    notices,
    outbox,
    tasks_of,
    tenant_rows,
    worker,
)
from tests.support import LiveServer, SignedUp, make_client, sign_up

CREATED = "crm.ticket.created"
HANDLER = "oa:task_for_crm_ticket"


async def both_modules(client: httpx.AsyncClient) -> SignedUp:
    owner = await sign_up(client)
    for module in ("crm", "oa"):
        body_of(await owner.post(f"/api/v1/modules/{module}/enable"))
    return owner


async def tasks_in_db(owner_db: asyncpg.Connection, tenant_id: str) -> list[asyncpg.Record]:
    return await tenant_rows(owner_db, tenant_id, "SELECT * FROM oa_task ORDER BY id")


async def oa_deliveries(owner_db: asyncpg.Connection, tenant_id: str) -> list[str]:
    rows = await tenant_rows(
        owner_db,
        tenant_id,
        "SELECT handler FROM event_delivery WHERE handler LIKE 'oa:%' ORDER BY id",
    )
    return [r["handler"] for r in rows]


async def timeline(who: SignedUp, ticket_id: str, **params: Any) -> dict[str, Any]:
    page: dict[str, Any] = body_of(await who.get(f"{TICKETS}/{ticket_id}/timeline", params=params))
    return page


async def test_a_new_ticket_becomes_a_task_linked_both_ways(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await both_modules(client)
    rep = await colleague(live_server, owner)
    made = await ticket(owner, "Printer on fire", priority="high", assignee_id=rep.user_id)
    assert await tasks_in_db(owner_db, owner.tenant_id) == [], "made by the handler, not the route"
    await deliver(live_server, owner_db, owner.tenant_id, CREATED)

    [linked] = await tasks_of(owner, source_record_type="crm.ticket", source_record_id=made["id"])
    assert linked["title"] == "Ticket: Printer on fire"
    assert (linked["source_module"], linked["source_record_type"], linked["source_record_id"]) == (
        "crm",
        "crm.ticket",
        made["id"],
    )
    assert linked["project_id"] is None and linked["status"] == "todo"
    assert linked["priority"] == "high", "the ticket's priority"
    assert linked["due_date"] == datetime.fromisoformat(made["sla_due_at"]).date().isoformat()
    assert linked["assignee_id"] == rep.user_id and linked["created_by"] == owner.user_id
    # The ticket's assignee is told, and sees the task; its opener sees it too.
    [told] = await notices(rep, "oa.task_assigned")
    assert told["link"] == f"/oa/tasks/{linked['id']}"
    assert [t["id"] for t in await tasks_of(rep)] == [linked["id"]]
    events = await tenant_rows(
        owner_db, owner.tenant_id, "SELECT type FROM event_outbox WHERE type LIKE 'oa.%'"
    )
    assert sorted(e["type"] for e in events) == ["oa.task.assigned", "oa.task.created"]

    # The other way: the ticket's timeline shows its task, from the office module.
    page = await timeline(owner, made["id"])
    kinds = [(e["module"], e["kind"], e["record_type"], e["record_id"]) for e in page["items"]]
    assert kinds == [
        ("oa", "oa.task.created", "oa.task", linked["id"]),
        ("crm", "crm.ticket.opened", "crm.ticket", made["id"]),
    ]
    assert page["items"][0]["title"] == "Task: Ticket: Printer on fire"
    assert [e["kind"] for e in (await timeline(rep, made["id"]))["items"]] == [
        "oa.task.created",
        "crm.ticket.opened",
    ], "the assignee sees the ticket and its task"

    # Work on the task shows on the ticket too; the timeline pages one entry at a time.
    body_of(await change(rep, linked["id"], status="done"))
    await activity(owner, "ticket", made["id"], subject="Called back")
    full = [e["kind"] for e in (await timeline(owner, made["id"]))["items"]]
    assert full == [
        "crm.activity.call",
        "oa.task.completed",
        "oa.task.created",
        "crm.ticket.opened",
    ]
    walked, cursor = [], None
    while True:
        page = await timeline(owner, made["id"], limit=1, **({"cursor": cursor} if cursor else {}))
        walked += [e["kind"] for e in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert walked == full
    await rep.client.aclose()


async def test_with_oa_off_the_ticket_is_made_and_nothing_else_happens(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    # One tenant switched OA off after using it; another never had it.
    switched_off = await both_modules(client)
    body_of(await switched_off.post("/api/v1/modules/oa/disable"))
    async with make_client(live_server) as other_client:
        crm_only = await sign_up(other_client)
        body_of(await crm_only.post("/api/v1/modules/crm/enable"))
        for owner in (switched_off, crm_only):
            made = await ticket(owner, "Nobody's task")
            assert body_of(await owner.get(f"{TICKETS}/{made['id']}"))["subject"] == "Nobody's task"
            [event] = await outbox(owner_db, owner.tenant_id, CREATED)
            assert event["payload"]["ticket_id"] == made["id"], "CRM said what happened"
            await deliver(live_server, owner_db, owner.tenant_id, CREATED)
            assert await tasks_in_db(owner_db, owner.tenant_id) == []
            assert await oa_deliveries(owner_db, owner.tenant_id) == []
            kinds = [e["kind"] for e in (await timeline(owner, made["id"]))["items"]]
            assert kinds == ["crm.ticket.opened"], "OA adds nothing to the timeline"
            assert (await owner.get(TASKS)).status_code == 404
    # Back on, OA has no task from while it was off.
    body_of(await switched_off.post("/api/v1/modules/oa/enable"))
    assert await tasks_of(switched_off) == []


async def test_the_same_ticket_announced_twice_makes_one_task(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await both_modules(client)
    made = await ticket(owner, "Twice")
    [event] = await outbox(owner_db, owner.tenant_id, CREATED)
    async with worker(live_server) as runner:
        await hand_over(runner, event)
        # Delivered again (a redelivered message): the runner's record skips it.
        await hand_over(runner, event)
        assert len(await tasks_in_db(owner_db, owner.tenant_id)) == 1
        # Announced again under a new event id (a replay): the task's source key holds.
        await hand_over(runner, {**event, "id": str(uuid.uuid4())})
        # Even with the delivery record gone, the handler itself makes no second task.
        await tenant_rows(owner_db, owner.tenant_id, "DELETE FROM event_delivery RETURNING id")
        await hand_over(runner, event)
    [only] = await tasks_in_db(owner_db, owner.tenant_id)
    assert only["source_record_id"] == made["id"]
    assert await oa_deliveries(owner_db, owner.tenant_id) == [HANDLER]


async def test_two_announcements_at_once_make_one_task(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await both_modules(client)
    made = await ticket(owner, "At once")
    [event] = await outbox(owner_db, owner.tenant_id, CREATED)
    copies = [event, {**event, "id": str(uuid.uuid4())}]
    async with worker(live_server) as first, worker(live_server) as second:
        tried = await asyncio.gather(
            *(
                runner.deliver([_event(copy)], HANDLER, last_attempt=False)
                for runner, copy in zip((first, second), copies, strict=True)
            ),
            return_exceptions=True,
        )
        # Whichever lost the race failed on the source key and is retried, as the broker does.
        for copy, outcome in zip(copies, tried, strict=True):
            if outcome is not None:
                assert isinstance(outcome, DeliveryFailed), outcome
                await first.deliver([_event(copy)], HANDLER, last_attempt=False)
    [only] = await tasks_in_db(owner_db, owner.tenant_id)
    assert only["source_record_id"] == made["id"]
    assert await oa_deliveries(owner_db, owner.tenant_id) == [HANDLER, HANDLER]


def _event(message: dict[str, Any]) -> Event:
    return event_from_message(message, HANDLER)


@pytest.mark.timeout(240)
async def test_through_the_real_relay_and_worker(
    stacks: StackFactory,  # noqa: F811
) -> None:
    stack = stacks.new(None, start=False)
    web = stack.start_web()
    async with make_client(web) as a_client, make_client(web) as b_client:
        both = await both_modules(a_client)
        crm_only = await both_modules(b_client)
        body_of(await crm_only.post("/api/v1/modules/oa/disable"))
        theirs = await ticket(crm_only, "Stays a ticket")
        ours = await ticket(both, "Becomes a task")
        stack.start_dispatcher()
        stack.start_worker()

        async def linked() -> list[dict[str, Any]]:
            return await tasks_of(both, source_record_id=ours["id"])

        [made] = await wait_until(linked, within=60)
        assert made["title"] == "Ticket: Becomes a task"

        async def relayed() -> bool:
            rows = await stack.fetch(
                crm_only.tenant_id,
                "SELECT relayed_at FROM event_outbox WHERE type = $1",
                CREATED,
            )
            return bool(rows) and all(r["relayed_at"] is not None for r in rows)

        # The relay has handed the other tenant's event on: to no OA handler at all.
        await wait_until(relayed, within=60)
        assert await stack.fetch(crm_only.tenant_id, "SELECT id FROM oa_task") == []
        assert (
            await stack.fetch(
                crm_only.tenant_id, "SELECT id FROM event_delivery WHERE handler LIKE 'oa:%'"
            )
            == []
        )
        kinds = [e["kind"] for e in (await timeline(crm_only, theirs["id"]))["items"]]
        assert kinds == ["crm.ticket.opened"]
        assert [e["kind"] for e in (await timeline(both, ours["id"]))["items"]] == [
            "oa.task.created",
            "crm.ticket.opened",
        ]
