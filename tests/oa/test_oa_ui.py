"""What the browser app learns of the office module, and every endpoint it names, called as
the app would call it (so a renamed route or field fails here, not in the browser)."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
from tessera_oa.plugin import tessera_ui

from tests.oa.leave_support import allocate, asked, company, day, type_id
from tests.oa.support import department
from tests.support import LiveServer

UI = "/api/v1/ui"


async def test_the_menu_follows_permissions(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    team = await company(client, live_server)
    owner_menu = [
        m["label"] for m in (await team.owner.get(f"{UI}/menus")).json() if m["module"] == "oa"
    ]
    every = [m.label for m in sorted(tessera_ui().menus, key=lambda m: (m.order, m.label))]
    assert owner_menu == every
    member_menu = [
        m["label"] for m in (await team.employee.get(f"{UI}/menus")).json() if m["module"] == "oa"
    ]
    managers = {"Leave types", "Expense categories", "Request forms"}
    assert member_menu == [label for label in every if label not in managers]
    await team.close()


async def test_every_resource_list_sort_and_filter_works(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    team = await company(client, live_server)
    owner = team.owner
    sales = await department(owner, "Sales")
    annual = await type_id(owner, "Annual leave")
    await allocate(owner, team.employee.user_id, annual, "5")
    made = await asked(team.employee, annual, day("03-03"), day("03-04"))
    # The calendar's and announcements' resources are walked in test_calendar_ui.py, tasks' and
    # projects' in test_tasks_ui.py.
    leave = {"oa.department", "oa.leave_type", "oa.leave_request", "oa.absence"}
    resources = {
        r["name"]: r for r in (await owner.get(f"{UI}/resources")).json() if r["name"] in leave
    }
    assert set(resources) == leave
    samples = {
        "oa.department": sales["id"],
        "oa.leave_type": annual,
        "identity.user": team.employee.user_id,
    }

    def sample(field: dict[str, Any], parameter: str) -> dict[str, str]:
        if field["type"] == "enum":
            return {parameter: str(field["options"][0])}
        if field["type"] == "bool":
            return {parameter: "true"}
        if field["type"] == "date":
            return {f"{parameter}_from": day("03-01"), f"{parameter}_to": day("03-31")}
        return {parameter: samples[field["reference"]]}

    for name, resource in resources.items():
        endpoint, fields = resource["endpoint"], {f["name"]: f for f in resource["fields"]}
        listed = await owner.get(endpoint)
        assert listed.status_code == 200, (name, listed.text)
        assert set(listed.json()) == {"items", "next_cursor"}
        assert set(resource["list_columns"]) <= set(fields) and resource["title_field"] in fields
        for sort in resource["sort_fields"]:
            for order in (sort, f"-{sort}"):
                sorted_ = await owner.get(endpoint, params={"sort": order})
                assert sorted_.status_code == 200, (name, order, sorted_.text)
        if resource["search"]:
            assert (await owner.get(endpoint, params={"q": "sal"})).status_code == 200, name
        for field in resource["filters"]:
            parameter = resource["filter_params"].get(field, field)
            filtered = await owner.get(endpoint, params=sample(fields[field], parameter))
            assert filtered.status_code == 200, (name, parameter, filtered.text)
        if resource["audit_type"]:
            assert resource["audit_type"] == name.replace(".", "_")

    requests = resources["oa.leave_request"]
    # Made, then moved by withdraw/cancel and the approval: never edited.
    assert requests["can_write"] and not requests["can_edit"]
    assert requests["calendar_by"] == "start_date" and requests["approvable"]
    shown = {f["name"] for f in requests["fields"]}
    assert shown <= set(made), "every field the screens name is in the API's answer"
    # The calendar of who is away asks for a month by date_from and date_to.
    absences = resources["oa.absence"]
    assert absences["calendar_by"] == "date" and absences["can_write"] is False
    month = await owner.get(
        absences["endpoint"], params={"date_from": day("03-01"), "date_to": day("04-04")}
    )
    items = month.json()["items"]
    assert [i["date"] for i in items] == [day("03-03"), day("03-04")]
    named = {f["name"] for f in absences["fields"]} - {"department_id"}
    assert named <= set(items[0])
    detail = await owner.get(f"{absences['endpoint']}/{items[0]['id']}")
    assert detail.status_code == 200 and detail.json()["title"] == items[0]["title"]
    history = await owner.get(f"/api/v1/audit/records/oa_leave_request/{made['id']}")
    assert [e["action"] for e in history.json()["items"]][-1] == "create"
    await team.close()
