"""Follow-up reminders: each owner hears once of each activity whose reminder time came — in
process, and through the real scheduler and worker (``tessera scheduler``, ``tessera worker``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from tessera_crm.reminders import send_reminders

from tests.crm.test_accounts_contacts import account, crm_tenant, patch
from tests.crm.test_activities import activity
from tests.crm.test_tickets import tenant_db
from tests.events.conftest import StackFactory, stacks  # noqa: F401  (the fixture)
from tests.events_support import wait_until
from tests.support import LiveServer, SignedUp, join, make_client, sign_up

ACTIVITIES = "/api/v1/crm/activities"


def iso(moment: datetime) -> str:
    return moment.isoformat()


async def reminders(who: SignedUp) -> list[dict[str, Any]]:
    response = await who.get("/api/v1/notifications")
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["type"] == "crm.activity_reminder"]


async def test_each_reminder_goes_to_the_owner_once(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await crm_tenant(client)
    async with make_client(live_server) as rep_client:
        rep = await join(live_server, owner, rep_client)
        acme = await account(owner, "Acme")
        now = datetime.now(UTC)
        due = await activity(
            owner,
            "account",
            acme["id"],
            subject="Call Acme back",
            due_at=iso(now + timedelta(hours=1)),
            remind_at=iso(now - timedelta(minutes=5)),
        )
        for_rep = await activity(
            owner,
            "account",
            acme["id"],
            subject="Send the contract",
            remind_at=iso(now - timedelta(minutes=1)),
            owner_id=rep.user_id,
        )
        later = await activity(
            owner, "account", acme["id"], subject="Later", remind_at=iso(now + timedelta(hours=2))
        )
        done = await activity(
            owner, "account", acme["id"], subject="Done", remind_at=iso(now - timedelta(hours=1))
        )
        assert (await owner.post(f"{ACTIVITIES}/{done['id']}/complete")).status_code == 200
        await activity(owner, "account", acme["id"], subject="No reminder")
        tenant = uuid.UUID(owner.tenant_id)

        async with tenant_db(live_server, owner.tenant_id) as db:
            assert await send_reminders(db, tenant, datetime.now(UTC)) == 2
        async with tenant_db(live_server, owner.tenant_id) as db:
            assert await send_reminders(db, tenant, datetime.now(UTC)) == 0, "once"

        [told] = await reminders(owner)
        assert told["title"] == "Reminder: Call Acme back"
        assert told["link"] == f"/crm/activities/{due['id']}"
        assert told["body"].startswith("Due ")
        [told_rep] = await reminders(rep)
        assert told_rep["link"] == f"/crm/activities/{for_rep['id']}"
        assert (await owner.get(f"{ACTIVITIES}/{due['id']}")).json()["reminded_at"] is not None

        async with tenant_db(live_server, owner.tenant_id) as db:
            in_three_hours = datetime.now(UTC) + timedelta(hours=3)
            assert await send_reminders(db, tenant, in_three_hours) == 1
        assert [n["link"] for n in await reminders(owner)] == [
            f"/crm/activities/{later['id']}",
            f"/crm/activities/{due['id']}",
        ]
        # A new reminder time is a new reminder.
        moved = await patch(
            owner, f"{ACTIVITIES}/{due['id']}", {"remind_at": iso(now - timedelta(minutes=1))}
        )
        assert moved.json()["reminded_at"] is None
        async with tenant_db(live_server, owner.tenant_id) as db:
            assert await send_reminders(db, tenant, datetime.now(UTC)) == 1
        assert len(await reminders(owner)) == 3


@pytest.mark.timeout(240)
async def test_the_scheduler_and_a_worker_send_each_reminder_once(
    stacks: StackFactory,  # noqa: F811
) -> None:
    stack = stacks.new(None, start=False)
    web = stack.start_web()
    async with make_client(web) as client, make_client(web) as bystander_client:
        owner = await sign_up(client)
        assert (await owner.post("/api/v1/modules/crm/enable")).status_code == 200
        # Another tenant, without the module: the schedule does not run there.
        bystander = await sign_up(bystander_client)
        acme = await account(owner, "Acme")
        now = datetime.now(UTC)
        overdue = await activity(
            owner, "account", acme["id"], subject="Overdue", remind_at=iso(now - timedelta(hours=1))
        )
        soon = await activity(
            owner, "account", acme["id"], subject="Soon", remind_at=iso(now + timedelta(seconds=1))
        )
        stack.start_dispatcher()
        stack.start_worker()

        async def told() -> list[dict[str, Any]]:
            return await reminders(owner)

        await wait_until(told, within=60)

        async def runs() -> list[int]:
            found = await stack.fetch(
                owner.tenant_id,
                "SELECT period FROM job_run WHERE schedule = 'crm.activity.remind' ORDER BY period",
            )
            return [row["period"] for row in found]

        # Two periods of the schedule (a minute apart): whatever the first did not send, the
        # second does, and nothing is sent twice.
        async def two_runs() -> bool:
            return len(await runs()) >= 2

        await wait_until(two_runs, within=90, interval=1)
        sent = await reminders(owner)
        assert sorted(n["link"] for n in sent) == sorted(
            f"/crm/activities/{a['id']}" for a in (overdue, soon)
        )
        for made in (overdue, soon):
            fetched = (await owner.get(f"{ACTIVITIES}/{made['id']}")).json()
            assert fetched["reminded_at"] is not None
        elsewhere = await stack.fetch(bystander.tenant_id, "SELECT schedule FROM job_run")
        assert "crm.activity.remind" not in {row["schedule"] for row in elsewhere}
