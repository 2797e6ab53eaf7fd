"""Bad leave input over real HTTP: each refusal a clear 4xx naming the problem, nothing written.

Each case runs in a company of its own: an employee with 5 days of annual leave, 2 of them
held by a pending request for 10-11 March, and 2 days of sick leave.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import pytest

from tests.oa.leave_support import (
    LEAVE,
    REQUESTS,
    TYPES,
    YEAR,
    Company,
    allocate,
    asked,
    balance,
    company,
    day,
    events_of,
    requests_of,
    type_id,
)
from tests.oa.support import department, field_of, oa_tenant, patch, put
from tests.support import LiveServer


@dataclass
class Setting:
    team: Company
    annual: str
    sick: str
    held: dict[str, Any]


async def setting(client: httpx.AsyncClient, server: LiveServer) -> Setting:
    team = await company(client, server)
    annual, sick = (
        await type_id(team.owner, "Annual leave"),
        await type_id(team.owner, "Sick leave"),
    )
    await allocate(team.owner, team.employee.user_id, annual, "5")
    await allocate(team.owner, team.employee.user_id, sick, "2")
    held = await asked(team.employee, annual, day("03-10"), day("03-11"))
    return Setting(team, annual, sick, held)


async def assert_nothing_written(s: Setting, owner_db: asyncpg.Connection) -> None:
    assert [r["id"] for r in await requests_of(s.team.owner)] == [s.held["id"]]
    assert await balance(s.team.employee, "Annual leave") == {
        "entitled_days": 5, "carried_days": 0, "used_days": 0, "reserved_days": 2,
        "available_days": 3,
    }  # fmt: skip
    sick = await balance(s.team.employee, "Sick leave")
    assert sick["reserved_days"] == 0 and sick["available_days"] == 2
    assert await events_of(owner_db, s.team.owner.tenant_id, "oa.leave.") == ["oa.leave.requested"]


def request(leave_type: str, start: str, end: str, **more: Any) -> dict[str, Any]:
    return {"leave_type": leave_type, "start_date": start, "end_date": end, **more}


BAD_REQUESTS = {
    "zero days: a weekend": (request("annual", day("03-08"), day("03-09")), 422, "start_date"),
    "zero days: a public holiday": (
        request("annual", day("05-01"), day("05-01")),
        422,
        "start_date",
    ),
    "negative days: the end before the start": (
        request("annual", day("03-05"), day("03-03")),
        422,
        "end_date",
    ),
    "across two years": (request("annual", day("12-31"), f"{YEAR + 1}-01-02"), 422, "end_date"),
    "a day that starts and ends at noon": (
        request("annual", day("03-03"), day("03-03"), start_half_day=True, end_half_day=True),
        422,
        "end_half_day",
    ),
    "an unknown leave type": (request("unknown", day("03-03"), day("03-03")), 422, "leave_type_id"),
    "another tenant's leave type": (
        request("foreign", day("03-03"), day("03-03")),
        422,
        "leave_type_id",
    ),
    "a retired leave type": (request("retired", day("03-03"), day("03-03")), 422, "leave_type_id"),
    "overlapping leave": (request("annual", day("03-11"), day("03-12")), 409, None),
    "overlapping by the afternoon of its last day": (
        request("annual", day("03-11"), day("03-12"), start_half_day=True),
        409,
        None,
    ),
    "overlapping leave of another type": (request("sick", day("03-09"), day("03-10")), 409, None),
    "more days than are left": (request("annual", day("03-17"), day("03-20")), 409, None),
    "a type nobody was given": (request("unpaid_less", day("03-03"), day("03-03")), 409, None),
    "sick leave over two days without a note": (
        request("sick", day("03-03"), day("03-05")),
        422,
        "attachment_ref",
    ),
    "a date that is no date": (request("annual", day("02-30"), day("03-03")), 400, None),
    "a field the API does not know": (
        request("annual", day("03-03"), day("03-03"), days=-2),
        400,
        None,
    ),
    "a reason too long": (
        request("annual", day("03-03"), day("03-03"), reason="x" * 2001),
        422,
        "reason",
    ),
}


@pytest.mark.parametrize("case", list(BAD_REQUESTS), ids=list(BAD_REQUESTS))
async def test_bad_leave_requests_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection, case: str
) -> None:
    body, status, field = BAD_REQUESTS[case]
    s = await setting(client, live_server)
    owner = s.team.owner
    holiday = await owner.post(
        f"{LEAVE}/holidays", json={"date": day("05-01"), "name": "Labour Day"}
    )
    assert holiday.status_code == 201
    types = {"annual": s.annual, "sick": s.sick, "unknown": str(uuid.uuid4())}
    async with httpx.AsyncClient(base_url=live_server.url) as other_client:
        stranger = await oa_tenant(other_client)
        types["foreign"] = await type_id(stranger, "Annual leave")
    retired = await owner.post(TYPES, json={"name": "Old", "active": False})
    types["retired"] = retired.json()["id"]
    extra = await owner.post(TYPES, json={"name": "Study leave"})
    types["unpaid_less"] = extra.json()["id"]

    sent = dict(body)
    sent["leave_type_id"] = types[sent.pop("leave_type")]
    refused = await s.team.employee.post(REQUESTS, json=sent)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["detail"]
    if field is not None:
        assert field_of(refused) == [field], refused.text
    await assert_nothing_written(s, owner_db)
    await s.team.close()


async def test_half_days_of_one_date_can_go_to_two_requests(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    s = await setting(client, live_server)
    # The held request ends on 11 March: 12 March's morning, then its afternoon, are free.
    morning = await asked(s.team.employee, s.annual, day("03-12"), day("03-12"), end_half_day=True)
    afternoon = await asked(
        s.team.employee, s.annual, day("03-12"), day("03-12"), start_half_day=True
    )
    assert Decimal(morning["days"]) == Decimal(afternoon["days"]) == Decimal("0.5")
    assert (await balance(s.team.employee, "Annual leave"))["available_days"] == 2
    await s.team.close()


async def test_other_tenants_ids_are_refused_everywhere(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    async with httpx.AsyncClient(base_url=live_server.url) as other_client:
        stranger = await oa_tenant(other_client)
        their_type = await type_id(stranger, "Annual leave")
        their_department = await department(stranger, "Theirs")
    give = {"leave_type_id": annual, "year": YEAR, "entitled_days": "5"}
    refusals = {
        "their member": (
            await put(team.owner, f"{LEAVE}/allocations", {**give, "user_id": stranger.user_id}),
            "user_id",
        ),
        "their type": (
            await put(
                team.owner,
                f"{LEAVE}/allocations",
                {**give, "user_id": team.employee.user_id, "leave_type_id": their_type},
            ),
            "leave_type_id",
        ),
        "their member in bulk": (
            await team.owner.post(
                f"{LEAVE}/allocations/bulk",
                json={**give, "user_ids": [team.employee.user_id, stranger.user_id]},
            ),
            "user_ids",
        ),
        "their department": (
            await team.owner.get(
                f"{LEAVE}/team-calendar", params={"department_id": their_department["id"]}
            ),
            "department_id",
        ),
    }
    for name, (refused, field) in refusals.items():
        assert refused.status_code == 422, f"{name}: {refused.text}"
        assert field_of(refused) == [field], name
    listed = await team.owner.get(f"{LEAVE}/allocations")
    assert listed.json()["items"] == []
    their_balance = await team.owner.get(f"{LEAVE}/balances", params={"user_id": stranger.user_id})
    assert their_balance.status_code == 422 and field_of(their_balance) == ["user_id"]
    assert (await team.owner.get(f"{TYPES}/{their_type}")).status_code == 404
    await team.close()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"entitled_days": "-1"}, "entitled_days"),
        ({"entitled_days": "0.3"}, "entitled_days"),
        ({"entitled_days": "367"}, "entitled_days"),
        ({"entitled_days": "NaN"}, "entitled_days"),
        ({"entitled_days": "5", "year": 1999}, "year"),
        ({"entitled_days": "5", "carried_days": "-2"}, "carried_days"),
    ],
)
async def test_bad_allocations_are_refused(
    client: httpx.AsyncClient, live_server: LiveServer, body: dict[str, Any], field: str
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    sent = {"user_id": team.employee.user_id, "leave_type_id": annual, "year": YEAR, **body}
    refused = await put(team.owner, f"{LEAVE}/allocations", sent)
    assert refused.status_code == 422, refused.text
    assert field_of(refused) == [field]
    assert (await team.owner.get(f"{LEAVE}/allocations")).json()["items"] == []
    await team.close()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": ""}, 422, "name"),
        ({"name": "  "}, 422, "name"),
        ({"name": "Annual Leave"}, 409, None),
        ({"name": "X", "yearly_days": "-5"}, 422, "yearly_days"),
        ({"name": "X", "carry_over_days": "1.25"}, 422, "carry_over_days"),
        ({"name": "X", "attachment_over_days": "0"}, 422, "attachment_over_days"),
        ({"name": "X", "paid": "yes"}, 400, None),
    ],
)
async def test_bad_leave_types_are_refused(
    client: httpx.AsyncClient, body: dict[str, Any], status: int, field: str | None
) -> None:
    owner = await oa_tenant(client)
    refused = await owner.post(TYPES, json=body)
    assert refused.status_code == status, refused.text
    if field is not None:
        assert field_of(refused) == [field]
    names = [t["name"] for t in (await owner.get(TYPES)).json()["items"]]
    assert names == ["Annual leave", "Sick leave", "Unpaid leave"]


async def test_a_member_cannot_manage_leave(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    annual = await type_id(team.owner, "Annual leave")
    employee = team.employee
    attempts = [
        await employee.post(TYPES, json={"name": "Mine"}),
        await patch(employee, f"{TYPES}/{annual}", {"yearly_days": "99"}),
        await put(
            employee,
            f"{LEAVE}/allocations",
            {
                "user_id": employee.user_id,
                "leave_type_id": annual,
                "year": YEAR,
                "entitled_days": "99",
            },
        ),
        await employee.post(f"{LEAVE}/holidays", json={"date": day("01-02"), "name": "Mine"}),
        await put(employee, f"{LEAVE}/settings", {"working_weekdays": [1]}),
        await employee.post(f"{LEAVE}/year-end", json={"year": YEAR}),
    ]
    assert [a.status_code for a in attempts] == [403] * len(attempts)
    assert (await balance(employee, "Annual leave"))["entitled_days"] == 0
    await team.close()
