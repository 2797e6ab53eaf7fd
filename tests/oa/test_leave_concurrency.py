"""Leave under concurrent submissions, over real HTTP against the real database.

The requests go out at once (asyncio.gather over one client's connection pool); the server
runs them in parallel transactions, as many as its pool holds.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import httpx

from tests.oa.leave_support import (
    REQUESTS,
    YEAR,
    allocate,
    balance,
    company,
    requests_of,
    type_id,
)
from tests.support import LiveServer


def working_days_from(first: date, count: int) -> list[date]:
    days: list[date] = []
    day = first
    while len(days) < count:
        if day.isoweekday() <= 5:
            days.append(day)
        day += timedelta(days=1)
    return days


async def test_twenty_parallel_requests_on_a_balance_of_five_days_five_succeed(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    await allocate(team.owner, team.employee.user_id, annual, "5")
    days = working_days_from(date(YEAR, 3, 3), 20)
    answers = await asyncio.gather(
        *(
            team.employee.post(
                REQUESTS,
                json={"leave_type_id": annual, "start_date": str(d), "end_date": str(d)},
            )
            for d in days
        )
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] * 5 + [409] * 15, [a.text for a in answers if a.status_code != 201][:3]
    for refused in (a for a in answers if a.status_code == 409):
        assert "Not enough Annual leave" in refused.json()["detail"]
    held = await balance(team.employee, "Annual leave")
    assert held["reserved_days"] == 5 and held["available_days"] == 0
    made = await requests_of(team.employee)
    assert len(made) == 5 and all(r["status"] == "pending" for r in made)
    # Each success is one approval waiting for the manager, no more.
    inbox = (await team.manager.get("/api/v1/workflow/inbox", params={"limit": 50})).json()
    assert len(inbox["items"]) == 5
    await team.close()


async def test_ten_parallel_requests_for_the_same_day_one_succeeds(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    await allocate(team.owner, team.employee.user_id, annual, "20")
    body = {"leave_type_id": annual, "start_date": f"{YEAR}-03-03", "end_date": f"{YEAR}-03-04"}
    answers = await asyncio.gather(*(team.employee.post(REQUESTS, json=body) for _ in range(10)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [409] * 9, [a.text for a in answers]
    held = await balance(team.employee, "Annual leave")
    assert held["reserved_days"] == 2 and held["available_days"] == Decimal(18)
    assert len(await requests_of(team.employee)) == 1
    await team.close()
