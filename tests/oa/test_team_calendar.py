"""Who is away, by department, over real HTTP."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.oa.leave_support import (
    LEAVE,
    allocate,
    asked,
    company,
    day,
    decide,
    placed,
    settle,
    type_id,
)
from tests.oa.support import colleague, department, field_of, set_manager
from tests.support import LiveServer, SignedUp


async def away(who: SignedUp, **params: Any) -> dict[str, list[dict[str, Any]]]:
    """Each person's absences in March, by email."""
    params = {"date_from": day("03-01"), "date_to": day("03-31"), **params}
    response = await who.get(f"{LEAVE}/team-calendar", params=params)
    assert response.status_code == 200, response.text
    return {p["email"]: p["absences"] for p in response.json()["people"]}


async def test_the_team_calendar_shows_who_is_away_by_department(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    team = await company(client, live_server)
    owner, ann, boss = team.owner, team.employee, team.manager
    bob = await colleague(live_server, owner)
    cat = await colleague(live_server, owner)
    for person in (bob, cat):
        await set_manager(owner, person.user_id, boss.user_id)
    sales = await department(owner, "Sales")
    emea = await department(owner, "Sales EMEA", parent_id=sales["id"])
    for person in (ann, bob, boss):
        await placed(owner, sales["id"], person.user_id)
    await placed(owner, emea["id"], cat.user_id)
    annual, sick = await type_id(owner, "Annual leave"), await type_id(owner, "Sick leave")
    for person in (ann, bob, cat):
        await allocate(owner, person.user_id, annual, "10")
    await allocate(owner, ann.user_id, sick, "5")
    ann_sick = await asked(ann, sick, day("03-03"), day("03-04"))
    await asked(bob, annual, day("03-05"), day("03-05"), end_half_day=True)
    cat_leave = await asked(cat, annual, day("03-06"), day("03-07"))
    await asked(ann, annual, day("04-07"), day("04-08"))  # outside March
    for made in (ann_sick, cat_leave):
        await decide(boss, made["id"], "approve")
    await settle(live_server, owner_db, owner.tenant_id)

    # Bob, a member of Sales, sees who is away there; the kind of leave only for himself.
    seen = await away(bob)
    assert set(seen) == {ann.email, bob.email}
    [ann_away] = seen[ann.email]
    assert ann_away["request_id"] == ann_sick["id"] and ann_away["status"] == "approved"
    assert ann_away["leave_type"] is None and ann_away["leave_type_id"] is None
    assert seen[bob.email][0]["leave_type"] == "Annual leave"
    assert seen[bob.email][0]["status"] == "pending"
    assert set(await away(bob, include_pending="false")) == {ann.email}
    below = await away(bob, department_id=sales["id"], include_sub_departments="true")
    assert set(below) == {ann.email, bob.email, cat.email}
    assert set(await away(bob, department_id=emea["id"])) == {cat.email}
    # The owner may see everyone's leave (and is in no department: everyone is shown).
    everyone = await away(owner)
    assert everyone[ann.email][0]["leave_type"] == "Sick leave"
    assert set(everyone) == {ann.email, bob.email, cat.email}

    days = await bob.get(
        f"{LEAVE}/absences",
        params={"date_from": day("03-01"), "date_to": day("03-31"), "department_id": sales["id"]},
    )
    assert days.status_code == 200, days.text
    assert [(d["date"], d["email"], d["half"]) for d in days.json()["items"]] == [
        (day("03-03"), ann.email, None),
        (day("03-04"), ann.email, None),
        (day("03-05"), bob.email, "am"),
    ]
    paged = await bob.get(
        f"{LEAVE}/absences",
        params={"date_from": day("03-01"), "date_to": day("03-31"), "limit": 2},
    )
    assert len(paged.json()["items"]) == 2 and paged.json()["next_cursor"]
    rest = await bob.get(
        f"{LEAVE}/absences",
        params={
            "date_from": day("03-01"), "date_to": day("03-31"), "limit": 2,
            "cursor": paged.json()["next_cursor"],
        },
    )  # fmt: skip
    assert [d["date"] for d in rest.json()["items"]] == [day("03-05")]
    assert rest.json()["next_cursor"] is None
    one = await bob.get(f"{LEAVE}/absences/{ann_sick['id']}")
    assert one.status_code == 200 and one.json()["date"] == day("03-03")
    for person in (bob, cat):
        await person.client.aclose()
    await team.close()


async def test_bad_ranges_are_refused(client: httpx.AsyncClient, live_server: LiveServer) -> None:
    team = await company(client, live_server)
    backwards = await team.employee.get(
        f"{LEAVE}/team-calendar", params={"date_from": day("03-10"), "date_to": day("03-01")}
    )
    assert backwards.status_code == 422 and field_of(backwards) == ["date_to"]
    too_long = await team.employee.get(
        f"{LEAVE}/absences", params={"date_from": "2031-01-01", "date_to": "2032-06-01"}
    )
    assert too_long.status_code == 422 and field_of(too_long) == ["date_to"]
    unknown = await team.employee.get(
        f"{LEAVE}/team-calendar",
        params={"department_id": "0190a000-0000-7000-8000-000000000000"},
    )
    assert unknown.status_code == 422 and field_of(unknown) == ["department_id"]
    bad_cursor = await team.employee.get(f"{LEAVE}/absences", params={"cursor": "!!"})
    assert bad_cursor.status_code == 422 and field_of(bad_cursor) == ["cursor"]
    await team.close()
