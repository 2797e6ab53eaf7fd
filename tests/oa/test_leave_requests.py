"""Leave requests over real HTTP: held on the balance, approved on the workflow engine."""

from __future__ import annotations

from decimal import Decimal

import asyncpg
import httpx

from tests.oa.leave_support import (
    REQUESTS,
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


async def test_refused_or_sent_back_requests_give_their_days_back_and_tell_the_requester(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    await allocate(team.owner, team.employee.user_id, annual, "10")
    first = await asked(team.employee, annual, day("03-03"), day("03-04"))
    second = await asked(team.employee, annual, day("03-10"), day("03-10"))
    assert (await balance(team.employee, "Annual leave"))["reserved_days"] == 3
    await decide(team.manager, first["id"], "reject")
    await decide(team.manager, second["id"], "return")
    await settle(live_server, owner_db, team.owner.tenant_id)
    statuses = {r["id"]: r["status"] for r in await requests_of(team.employee)}
    assert statuses == {first["id"]: "rejected", second["id"]: "returned"}
    assert await balance(team.employee, "Annual leave") == {
        "entitled_days": 10, "carried_days": 0, "used_days": 0, "reserved_days": 0,
        "available_days": 10,
    }  # fmt: skip
    told = (await team.employee.get("/api/v1/notifications")).json()["items"]
    assert {n["type"] for n in told} >= {"oa.leave_rejected", "oa.leave_returned"}
    # The dates are free again.
    await asked(team.employee, annual, day("03-03"), day("03-04"))
    await team.close()


async def test_withdrawing_a_pending_request_cancels_its_approval(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    await allocate(team.owner, team.employee.user_id, annual, "5")
    made = await asked(team.employee, annual, day("03-03"), day("03-05"))
    not_theirs = await team.manager.post(f"{REQUESTS}/{made['id']}/withdraw")
    assert not_theirs.status_code in (403, 404)
    withdrawn = await team.employee.post(f"{REQUESTS}/{made['id']}/withdraw")
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "cancelled"
    assert (await balance(team.employee, "Annual leave"))["available_days"] == 5
    assert (await team.manager.get("/api/v1/workflow/inbox")).json()["items"] == []
    # The engine's own cancelled event arrives later and changes nothing.
    await settle(live_server, owner_db, team.owner.tenant_id)
    assert (await balance(team.employee, "Annual leave"))["available_days"] == 5
    again = await team.employee.post(f"{REQUESTS}/{made['id']}/withdraw")
    assert again.status_code == 409
    await team.close()


async def test_approved_leave_is_cancelled_by_its_owner_before_it_starts_or_by_a_manager(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    await allocate(team.owner, team.employee.user_id, annual, "10")
    mine = await asked(team.employee, annual, day("03-03"), day("03-04"))
    theirs = await asked(team.employee, annual, day("04-07"), day("04-08"))
    for made in (mine, theirs):
        await decide(team.manager, made["id"], "approve")
    await settle(live_server, owner_db, team.owner.tenant_id)
    assert (await balance(team.employee, "Annual leave"))["used_days"] == 4
    by_owner = await team.employee.post(f"{REQUESTS}/{mine['id']}/cancel")
    assert by_owner.status_code == 200 and by_owner.json()["status"] == "cancelled"
    by_colleague = await team.manager.post(f"{REQUESTS}/{theirs['id']}/cancel")
    assert by_colleague.status_code in (403, 404), "a member manager holds no oa.leave.manage"
    by_admin = await team.owner.post(f"{REQUESTS}/{theirs['id']}/cancel")
    assert by_admin.status_code == 200, by_admin.text
    assert (await balance(team.employee, "Annual leave"))["used_days"] == 0
    assert (await team.employee.post(f"{REQUESTS}/{mine['id']}/cancel")).status_code == 409
    assert (await events_of(owner_db, team.owner.tenant_id, "oa.leave.cancelled")) == [
        "oa.leave.cancelled",
        "oa.leave.cancelled",
    ]
    await team.close()


async def test_unpaid_leave_needs_no_allocation_and_may_go_below_zero(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    unpaid = await type_id(team.owner, "Unpaid leave")
    made = await asked(team.employee, unpaid, day("03-03"), day("03-14"))
    assert Decimal(made["days"]) == 10
    assert (await balance(team.employee, "Unpaid leave"))["available_days"] == -10
    await team.close()


async def test_members_see_their_own_requests_admins_see_everyones(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    await allocate(team.owner, team.employee.user_id, annual, "5")
    made = await asked(team.employee, annual, day("03-03"), day("03-03"))
    assert await requests_of(team.manager) == []
    # Not in the manager's list; but as its approver they read the request itself (and a
    # member with no task does not: tests/oa/test_leave_approvers_read.py).
    assert (await team.manager.get(f"{REQUESTS}/{made['id']}")).status_code == 200
    others = await team.manager.get(
        "/api/v1/oa/leave/balances", params={"user_id": team.employee.user_id}
    )
    assert others.status_code == 403
    assert [r["id"] for r in await requests_of(team.owner)] == [made["id"]]
    assert [r["id"] for r in await requests_of(team.owner, status="pending")] == [made["id"]]
    assert await requests_of(team.owner, status="approved") == []
    assert (await team.owner.get(f"{REQUESTS}/{made['id']}")).status_code == 200
    await team.close()


async def test_someone_without_a_manager_is_told_why_their_request_cannot_go(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    await allocate(team.owner, team.manager.user_id, annual, "5")
    refused = await team.manager.post(
        REQUESTS,
        json={"leave_type_id": annual, "start_date": day("03-03"), "end_date": day("03-03")},
    )
    assert refused.status_code == 409, refused.text
    assert "manager" in refused.json()["detail"]
    assert await requests_of(team.manager) == []
    assert (await balance(team.manager, "Annual leave"))["reserved_days"] == 0
    await team.close()
