"""Leave requests over real HTTP: held on the balance, approved on the workflow engine."""

from __future__ import annotations

from decimal import Decimal

import asyncpg
import httpx

from tests.oa.leave_support import (
    allocate,
    asked,
    balance,
    company,
    day,
    decide,
    events_of,
    requests_of,
    settle,
    type_id,
)
from tests.support import LiveServer


async def test_a_request_is_held_then_approved_by_the_manager(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    await allocate(team.owner, team.employee.user_id, annual, "10")
    # Monday to Friday, the Monday from noon: 4.5 working days.
    made = await asked(team.employee, annual, day("03-03"), day("03-07"), start_half_day=True)
    assert made["status"] == "pending" and Decimal(made["days"]) == Decimal("4.5")
    assert made["approval_id"]
    held = await balance(team.employee, "Annual leave")
    assert held["reserved_days"] == Decimal("4.5") and held["available_days"] == Decimal("5.5")

    await decide(team.manager, made["id"], "approve")
    await settle(live_server, owner_db, team.owner.tenant_id)
    [now] = await requests_of(team.employee)
    assert now["status"] == "approved" and now["decided_at"]
    taken = await balance(team.employee, "Annual leave")
    assert taken["used_days"] == Decimal("4.5") and taken["reserved_days"] == 0
    assert taken["available_days"] == Decimal("5.5")
    assert await events_of(owner_db, team.owner.tenant_id, "oa.leave.") == [
        "oa.leave.requested",
        "oa.leave.approved",
    ]
    # Settling again changes nothing: the handler saw the event already.
    await settle(live_server, owner_db, team.owner.tenant_id)
    assert (await balance(team.employee, "Annual leave"))["used_days"] == Decimal("4.5")
    await team.close()
