"""Allocations, balances and the year-end roll over real HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg
import httpx

from tessera.db.engine import Database
from tessera.jobs.catalog import build_catalog
from tessera.jobs.runner import Runner
from tessera.modules.registry import installed_plugins
from tessera.recycle.capture import PlatformSession
from tessera.runtime import default_mailer, runtime_database_url
from tests.oa.leave_support import (
    LEAVE,
    TYPES,
    YEAR,
    allocate,
    asked,
    balance,
    company,
    day,
    decide,
    settle,
    type_id,
)
from tests.oa.support import patch, put
from tests.support import LiveServer


async def test_an_entitlement_cannot_drop_below_what_was_taken(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    given = await allocate(team.owner, team.employee.user_id, annual, "5")
    assert Decimal(given["available_days"]) == 5
    await asked(team.employee, annual, day("03-03"), day("03-05"))
    lowered = await put(
        team.owner,
        f"{LEAVE}/allocations",
        {
            "user_id": team.employee.user_id,
            "leave_type_id": annual,
            "year": YEAR,
            "entitled_days": "2",
        },
    )
    assert lowered.status_code == 409, lowered.text
    assert lowered.json()["user_ids"] == [team.employee.user_id]
    assert (await balance(team.employee, "Annual leave"))["entitled_days"] == 5
    carried = await put(
        team.owner,
        f"{LEAVE}/allocations",
        {
            "user_id": team.employee.user_id, "leave_type_id": annual, "year": YEAR,
            "entitled_days": "3", "carried_days": "1.5",
        },
    )  # fmt: skip
    assert carried.status_code == 200, carried.text
    assert await balance(team.employee, "Annual leave") == {
        "entitled_days": 3, "carried_days": Decimal("1.5"), "used_days": 0, "reserved_days": 3,
        "available_days": Decimal("1.5"),
    }  # fmt: skip
    await team.close()


async def test_bulk_allocation_gives_everyone_the_same(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    sick = await type_id(team.owner, "Sick leave")
    given = await team.owner.post(
        f"{LEAVE}/allocations/bulk",
        json={"leave_type_id": sick, "year": YEAR, "entitled_days": "8"},
    )
    assert given.status_code == 200 and given.json() == {"allocations": 3}
    for who in (team.owner, team.employee, team.manager):
        assert (await balance(who, "Sick leave"))["available_days"] == 8
    listed = await team.owner.get(f"{LEAVE}/allocations", params={"leave_type_id": sick})
    assert len(listed.json()["items"]) == 3
    mine = await team.employee.get(f"{LEAVE}/allocations")
    assert [a["user_id"] for a in mine.json()["items"]] == [team.employee.user_id]
    await team.close()


async def test_the_year_end_roll_carries_unused_days_up_to_each_types_limit(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    team = await company(client, live_server)
    annual, sick = (
        await type_id(team.owner, "Annual leave"),
        await type_id(team.owner, "Sick leave"),
    )
    # Annual leave: 20 a year, at most 5 carried; sick leave: 10 a year, nothing carried.
    await allocate(team.owner, team.employee.user_id, annual, "10")
    await allocate(team.owner, team.employee.user_id, sick, "10")
    await allocate(team.owner, team.manager.user_id, annual, "3")
    taken = await asked(team.employee, annual, day("03-03"), day("03-05"))
    await decide(team.manager, taken["id"], "approve")
    await settle(live_server, owner_db, team.owner.tenant_id)
    # Next year's annual leave was given ahead to the manager: it keeps it and gains the carry.
    await allocate(team.owner, team.manager.user_id, annual, "25", year=YEAR + 1)
    changed = await patch(team.owner, f"{TYPES}/{annual}", {"carry_over_days": "4"})
    assert changed.status_code == 200

    rolled = await team.owner.post(f"{LEAVE}/year-end", json={"year": YEAR})
    assert rolled.status_code == 200, rolled.text
    assert Decimal(rolled.json()["carried_days"]) == 7  # 4 (employee) + 3 (manager)

    def next_year(who_balance: dict[str, Decimal]) -> tuple[Decimal, Decimal]:
        return who_balance["entitled_days"], who_balance["carried_days"]

    assert next_year(await balance(team.employee, "Annual leave", year=YEAR + 1)) == (
        Decimal(20),
        Decimal(4),
    )
    assert next_year(await balance(team.employee, "Sick leave", year=YEAR + 1)) == (
        Decimal(10),
        Decimal(0),
    )
    assert next_year(await balance(team.manager, "Annual leave", year=YEAR + 1)) == (
        Decimal(25),
        Decimal(3),
    )
    assert next_year(await balance(team.owner, "Annual leave", year=YEAR + 1)) == (
        Decimal(20),
        Decimal(0),
    )
    again = await team.owner.post(f"{LEAVE}/year-end", json={"year": YEAR})
    assert again.status_code == 409
    assert next_year(await balance(team.employee, "Annual leave", year=YEAR + 1)) == (
        Decimal(20),
        Decimal(4),
    )
    await team.close()


async def run_year_end_schedule(server: LiveServer, tenant_id: str, period: int) -> None:
    """The worker's run of the daily schedule for one tenant, as the scheduler asks for it."""
    catalog = build_catalog(installed_plugins())
    database = Database(
        runtime_database_url(server.settings), pool_size=1, session_class=PlatformSession
    )
    runner = Runner(database, catalog, default_mailer(server.settings), server.settings)
    try:
        await runner.run_schedule(uuid.UUID(tenant_id), "oa.leave_year_end", period)
    finally:
        await database.dispose()


async def test_the_daily_schedule_rolls_the_year_just_ended_once(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    this_year = datetime.now(UTC).year
    annual = await type_id(team.owner, "Annual leave")
    await allocate(team.owner, team.employee.user_id, annual, "12", year=this_year - 1)
    await run_year_end_schedule(live_server, team.owner.tenant_id, 1)
    now = await balance(team.employee, "Annual leave", year=this_year)
    assert (now["entitled_days"], now["carried_days"]) == (Decimal(20), Decimal(5))
    # The next day's run finds the year rolled and does nothing; so does a roll by hand.
    await run_year_end_schedule(live_server, team.owner.tenant_id, 2)
    assert (await balance(team.employee, "Annual leave", year=this_year))["carried_days"] == 5
    by_hand = await team.owner.post(f"{LEAVE}/year-end", json={"year": this_year - 1})
    assert by_hand.status_code == 409
    await team.close()
