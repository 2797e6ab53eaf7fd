"""The office's reports as the dashboard calls them: leave taken per type and per department,
and approval turnaround per record type and step (OA's, and the platform's own endpoint) —
figures for known data, empty answers, refused periods, permissions, and never another
tenant's rows."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from tests.oa.leave_support import (
    YEAR,
    Company,
    allocate,
    asked,
    company,
    day,
    decide,
    placed,
    settle,
    type_id,
)
from tests.oa.support import oa_tenant, set_manager
from tests.support import LiveServer, SignedUp, make_client

TAKEN = "/api/v1/oa/leave/reports/taken"
OA_TURNAROUND = "/api/v1/oa/reports/approval-turnaround"
TURNAROUND = "/api/v1/workflow/reports/turnaround"
DASHBOARDS = "/api/v1/ui/dashboards"
CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}
THE_YEAR = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}


async def chart(who: SignedUp, path: str, **params: str) -> dict[str, Any]:
    answer = await who.get(path, params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def approved_leave(team: Company, owner_db: asyncpg.Connection, server: LiveServer) -> None:
    """The employee (in Sales) takes 3 days' annual leave and 1 day's sick leave; the manager
    (in no department) 2 days' annual leave; a pending request and a rejected one count not."""
    annual = await type_id(team.owner, "Annual leave")
    sick = await type_id(team.owner, "Sick leave")
    await set_manager(team.owner, team.manager.user_id, team.owner.user_id)
    for who in (team.employee, team.manager):
        await allocate(team.owner, who.user_id, annual, "20")
        await allocate(team.owner, who.user_id, sick, "10")
    made = await team.owner.post("/api/v1/oa/departments", json={"name": "Sales"})
    assert made.status_code == 201, made.text
    await placed(team.owner, made.json()["id"], team.employee.user_id)
    # 3 March 2031 is a Monday.
    first = await asked(team.employee, annual, day("03-03"), day("03-05"))
    second = await asked(team.employee, sick, day("03-10"), day("03-10"))
    theirs = await asked(team.manager, annual, day("04-07"), day("04-08"))
    refused = await asked(team.employee, annual, day("05-05"), day("05-05"))
    await asked(team.employee, annual, day("06-02"), day("06-02"))  # still pending
    for request in (first, second, refused):
        await decide(team.manager, request["id"], "reject" if request is refused else "approve")
    await decide(team.owner, theirs["id"], "approve")
    await settle(server, owner_db, team.owner.tenant_id)


async def test_leave_taken_per_type_and_department_counts_approved_days_of_the_tenant(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    team = await company(client, live_server)
    other = await company(make_client(live_server), live_server)
    await approved_leave(team, owner_db, live_server)
    await approved_leave(other, owner_db, live_server)  # never counted for the first

    per_type = await chart(team.owner, TAKEN, **THE_YEAR, by="type")
    assert per_type["labels"] == ["Annual leave", "Sick leave"]
    assert per_type["series"] == [{"name": "Days taken", "data": ["5.0", "1.0"]}]
    assert per_type["total"] == "6.0" and per_type["by"] == "type"
    per_department = await chart(team.owner, TAKEN, **THE_YEAR, by="department")
    assert per_department["labels"] == ["Sales", "No department"]
    assert per_department["series"][0]["data"] == ["4.0", "2.0"]
    assert per_department["keys"][-1] is None

    zh = await team.owner.get(TAKEN, params={**THE_YEAR, "by": "department"}, headers=CHINESE)
    assert zh.json()["labels"] == ["Sales", "无部门"]
    assert zh.json()["series"][0]["name"] == "已休天数"

    # A member reaches their own requests only (oa.leave.read is scoped).
    own = await chart(team.employee, TAKEN, **THE_YEAR)
    assert own["labels"] == ["Annual leave", "Sick leave"]
    assert own["series"][0]["data"] == ["3.0", "1.0"]
    # The period: requests that start in it.
    march = await chart(team.owner, TAKEN, **{"from": f"{YEAR}-03-06", "to": f"{YEAR}-03-31"})
    assert (march["labels"], march["series"][0]["data"]) == (["Sick leave"], ["1.0"])
    for who in (team, other):
        await who.close()


async def test_an_office_without_leave_answers_empty_charts(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    for by in ("type", "department"):
        empty = await chart(owner, TAKEN, **THE_YEAR, by=by)
        assert (empty["labels"], empty["series"], empty["total"]) == ([], [], "0")
    assert (await chart(owner, OA_TURNAROUND))["labels"] == []
    core = await chart(owner, TURNAROUND, record_type="oa.leave_request")
    assert (core["labels"], core["series"], core["steps"]) == ([], [], [])
    default = await chart(owner, TAKEN)
    assert default["from"].endswith("-01-01"), "the year so far by default"


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        (TAKEN, {"from": "2031-02-30"}, 400, None),
        (TAKEN, {"to": "soon"}, 400, None),
        (TAKEN, {"by": "colour"}, 400, None),
        (TAKEN, {"from": "2031-03-02", "to": "2031-03-01"}, 422, "to"),
        (TAKEN, {"from": "2028-03-01", "to": "2031-03-01"}, 422, "to"),
        (TURNAROUND, {"from": "2031-13-01"}, 400, None),
        (TURNAROUND, {"from": "2031-03-02", "to": "2031-03-01"}, 422, "to"),
        (TURNAROUND, {"from": "2020-01-01", "to": "2024-01-01"}, 422, "to"),
        (TURNAROUND, {"record_type": "crm.deal"}, 422, "record_type"),
        (OA_TURNAROUND, {"from": "2031-03-02", "to": "2031-03-01"}, 422, "to"),
    ],
)
async def test_a_bad_period_is_refused_by_name(
    client: httpx.AsyncClient, path: str, params: dict[str, str], status: int, field: str | None
) -> None:
    owner = await oa_tenant(client)
    refused = await owner.get(path, params=params)
    assert refused.status_code == status, refused.text
    if field is not None:
        assert [e["field"] for e in refused.json()["errors"]] == [field]


async def test_the_longest_period_is_three_years(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    longest = {"from": "2028-03-02", "to": "2031-03-01"}
    for path in (TAKEN, TURNAROUND, OA_TURNAROUND):
        assert (await owner.get(path, params=longest)).status_code == 200, path


async def test_turnaround_is_for_those_who_manage_workflows_and_office_reports(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    for path in (TURNAROUND, OA_TURNAROUND):
        assert (await team.employee.get(path)).status_code == 403, path
    metrics = {
        m["name"]
        for d in (await team.employee.get(DASHBOARDS)).json()
        if d["name"] == "oa.office"
        for m in d["metrics"]
    }
    assert metrics == {"oa.leave_by_type", "oa.leave_by_department"}, "no turnaround for them"
    await team.close()


async def set_durations(owner_db: asyncpg.Connection, tenant_id: str, hours: list[int]) -> None:
    """The tenant's decided leave tasks, in order of decision, took these hours each."""
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        ids = await owner_db.fetch(
            "SELECT t.id FROM workflow_task t JOIN workflow_instance i "
            "ON i.tenant_id = t.tenant_id AND i.id = t.instance_id "
            "WHERE t.tenant_id = $1 AND i.record_type = 'oa.leave_request' "
            "AND t.status IN ('approved', 'rejected') ORDER BY t.acted_at",
            tenant_id,
        )
        assert len(ids) == len(hours)
        for row, spent in zip(ids, hours, strict=True):
            await owner_db.execute(
                "UPDATE workflow_task SET created_at = acted_at - make_interval(hours => $2) "
                "WHERE tenant_id = $1 AND id = $3",
                tenant_id,
                spent,
                row["id"],
            )


async def test_turnaround_per_record_type_and_step_from_creation_to_decision(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    team = await company(client, live_server)
    other = await company(make_client(live_server), live_server)
    await approved_leave(team, owner_db, live_server)
    await approved_leave(other, owner_db, live_server)
    # Decided in order: the employee's three (1, 2 and 6 hours), the manager's (10 hours).
    await set_durations(owner_db, team.owner.tenant_id, [1, 2, 6, 10])
    await set_durations(owner_db, other.owner.tenant_id, [100, 100, 100, 100])

    core = await chart(team.owner, TURNAROUND, record_type="oa.leave_request")
    [step] = core["steps"]
    assert (step["record_type"], step["step_index"], step["decided"]) == (
        "oa.leave_request",
        0,
        4,
    )
    # 1, 2, 6, 10 hours: the average 4.75, the median 4, the 90th percentile 8.8.
    assert (step["average_hours"], step["p50_hours"], step["p90_hours"]) == (4.75, 4.0, 8.8)
    assert core["labels"] == [f"Leave request · {step['step_name']}"]
    assert [s["name"] for s in core["series"]] == [
        "Average hours",
        "Median hours",
        "90th percentile hours",
    ]
    assert [s["data"] for s in core["series"]] == [[4.75], [4.0], [8.8]]
    zh = await team.owner.get(TURNAROUND, headers=CHINESE)
    assert zh.json()["labels"] == [f"请假申请 · {step['step_name']}"]
    assert zh.json()["series"][0]["name"] == "平均小时数"

    # OA's endpoint, the dashboard's, answers the same for OA's record types.
    office = await chart(team.owner, OA_TURNAROUND)
    assert office["labels"] == core["labels"] and office["series"] == core["series"]
    [board] = [d for d in (await team.owner.get(DASHBOARDS)).json() if d["name"] == "oa.office"]
    metric = next(m for m in board["metrics"] if m["name"] == "oa.approval_turnaround")
    assert (metric["endpoint"], metric["display"]) == (OA_TURNAROUND, "bar")
    # Decided tasks of a period: none in a year long past.
    past = await chart(team.owner, TURNAROUND, **{"from": "2020-01-01", "to": "2020-12-31"})
    assert past["steps"] == []
    for who in (team, other):
        await who.close()
