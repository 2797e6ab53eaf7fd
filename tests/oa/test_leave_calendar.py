"""The holiday calendar over real HTTP: the working week, holidays, make-up days, and imports
from CSV and iCalendar that write every row or none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from tests.oa.leave_support import LEAVE, REQUESTS, day
from tests.oa.support import field_of, oa_tenant, put
from tests.support import SignedUp

HOLIDAYS = f"{LEAVE}/holidays"

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Holidays//EN
BEGIN:VEVENT
UID:spring-festival@example.com
DTSTAMP:20301201T000000Z
DTSTART;VALUE=DATE:{year}0203
DTEND;VALUE=DATE:{year}0206
SUMMARY:Spring Festival
END:VEVENT
BEGIN:VEVENT
UID:makeup@example.com
DTSTAMP:20301201T000000Z
DTSTART;VALUE=DATE:{year}0208
SUMMARY:Spring Festival make-up day
CATEGORIES:WORKING_DAY
END:VEVENT
END:VCALENDAR
"""


async def days_of(who: SignedUp, start: str, end: str, **halves: bool) -> Decimal:
    params: dict[str, Any] = {"start_date": start, "end_date": end}
    params |= {k: str(v).lower() for k, v in halves.items()}
    response = await who.get(f"{REQUESTS}/days", params=params)
    assert response.status_code == 200, response.text
    return Decimal(str(response.json()["days"]))


async def calendar_of(who: SignedUp) -> list[tuple[str, str, str]]:
    response = await who.get(HOLIDAYS, params={"limit": 200})
    assert response.status_code == 200, response.text
    return [(h["date"], h["name"], h["kind"]) for h in response.json()["items"]]


async def test_working_days_follow_the_week_holidays_and_make_up_days(
    client: httpx.AsyncClient,
) -> None:
    owner = await oa_tenant(client)
    assert (await owner.get(f"{LEAVE}/settings")).json() == {"working_weekdays": [1, 2, 3, 4, 5]}
    # Monday 3 March to Sunday 9 March: five working days; halves count half.
    assert await days_of(owner, day("03-03"), day("03-09")) == 5
    assert await days_of(owner, day("03-03"), day("03-07"), start_half_day=True) == Decimal("4.5")
    assert await days_of(owner, day("03-03"), day("03-07"), end_half_day=True) == Decimal("4.5")
    added = await owner.post(HOLIDAYS, json={"date": day("03-04"), "name": "Founders' Day"})
    assert added.status_code == 201, added.text
    makeup = {"date": day("03-08"), "name": "Make-up Saturday", "kind": "working_day"}
    assert (await owner.post(HOLIDAYS, json=makeup)).status_code == 201
    assert await days_of(owner, day("03-03"), day("03-09")) == 5, "one off, one on"
    # A six-day week: Saturdays work too.
    changed = await put(owner, f"{LEAVE}/settings", {"working_weekdays": [6, 1, 2, 3, 4, 5, 5]})
    assert changed.json() == {"working_weekdays": [1, 2, 3, 4, 5, 6]}
    assert await days_of(owner, day("03-10"), day("03-16")) == 6
    twice = await owner.post(HOLIDAYS, json={"date": day("03-04"), "name": "Again"})
    assert twice.status_code == 409
    removed = await owner.delete(f"{HOLIDAYS}/{added.json()['id']}")
    assert removed.status_code == 200
    assert [d for d, _, _ in await calendar_of(owner)] == [day("03-08")]


async def test_bad_working_weeks_and_holidays_are_refused(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    for week in ([], [0, 1], [8]):
        refused = await put(owner, f"{LEAVE}/settings", {"working_weekdays": week})
        assert refused.status_code == 422 and field_of(refused) == ["working_weekdays"]
    for body in (
        {"date": day("03-04"), "name": ""},
        {"date": day("03-04"), "name": "   "},
        {"date": day("03-04"), "name": "X", "kind": "party"},
        {"date": "tomorrow", "name": "X"},
    ):
        refused = await owner.post(HOLIDAYS, json=body)
        assert 400 <= refused.status_code < 500, body
    assert await calendar_of(owner) == []
    assert (await owner.get(f"{LEAVE}/settings")).json()["working_weekdays"] == [1, 2, 3, 4, 5]


async def test_a_csv_calendar_is_imported_and_imported_again_idempotently(
    client: httpx.AsyncClient,
) -> None:
    owner = await oa_tenant(client)
    content = (
        "\ufeffdate,name,kind\n"
        f"{day('01-01')},New Year's Day,\n"
        f'{day("05-01")},"Labour Day, observed",holiday\n'
        f"{day('05-04')},Make-up day,working_day\n"
    )
    imported = await owner.post(f"{HOLIDAYS}/import", json={"format": "csv", "content": content})
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"imported": 3}
    assert await calendar_of(owner) == [
        (day("01-01"), "New Year's Day", "holiday"),
        (day("05-01"), "Labour Day, observed", "holiday"),
        (day("05-04"), "Make-up day", "working_day"),
    ]
    again = await owner.post(f"{HOLIDAYS}/import", json={"format": "csv", "content": content})
    assert again.json() == {"imported": 0}, "nothing changed"
    renamed = content.replace("New Year's Day", "New Year")
    assert (
        await owner.post(f"{HOLIDAYS}/import", json={"format": "csv", "content": renamed})
    ).json() == {"imported": 1}
    assert len(await calendar_of(owner)) == 3


async def test_a_csv_with_bad_rows_is_refused_whole_naming_each_row(
    client: httpx.AsyncClient,
) -> None:
    owner = await oa_tenant(client)
    content = (
        "date,name,kind\n"
        f"{day('01-01')},New Year,\n"  # line 2: good
        "2031-02-30,Nonsense,\n"  # line 3: no such date
        f"{day('03-01')},,holiday\n"  # line 4: no name
        f"{day('04-01')},Fools,party\n"  # line 5: unknown kind
        f"{day('01-01')},New Year again,\n"  # line 6: repeats line 2
    )
    refused = await owner.post(f"{HOLIDAYS}/import", json={"format": "csv", "content": content})
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert [(r["row"], r["field"]) for r in body["rows"]] == [
        (3, "date"),
        (4, "name"),
        (5, "kind"),
        (6, "date"),
    ]
    assert "rows 3, 4, 5, 6" in body["detail"] and "nothing was imported" in body["detail"]
    assert await calendar_of(owner) == []
    headless = await owner.post(
        f"{HOLIDAYS}/import", json={"format": "csv", "content": "when,what\n2031-01-01,x\n"}
    )
    assert headless.status_code == 422 and field_of(headless) == ["content"]
    empty = await owner.post(f"{HOLIDAYS}/import", json={"format": "csv", "content": "date,name\n"})
    assert empty.status_code == 422 and field_of(empty) == ["content"]
    assert await calendar_of(owner) == []


async def test_an_icalendar_file_is_imported(client: httpx.AsyncClient) -> None:
    owner = await oa_tenant(client)
    content = ICS.format(year=2031)
    imported = await owner.post(f"{HOLIDAYS}/import", json={"format": "ics", "content": content})
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"imported": 4}
    assert await calendar_of(owner) == [
        ("2031-02-03", "Spring Festival", "holiday"),
        ("2031-02-04", "Spring Festival", "holiday"),
        ("2031-02-05", "Spring Festival", "holiday"),
        ("2031-02-08", "Spring Festival make-up day", "working_day"),
    ]
    # Monday 3 to Sunday 9 February: two working days and the make-up Saturday.
    assert await days_of(owner, "2031-02-03", "2031-02-09") == 3


async def test_an_icalendar_file_with_bad_events_is_refused_whole(
    client: httpx.AsyncClient,
) -> None:
    owner = await oa_tenant(client)
    bad_events = """BEGIN:VEVENT
UID:timed@example.com
DTSTART:20310301T090000Z
SUMMARY:A meeting, not a holiday
END:VEVENT
BEGIN:VEVENT
UID:nameless@example.com
DTSTART;VALUE=DATE:20310302
END:VEVENT
BEGIN:VEVENT
UID:weekly@example.com
DTSTART;VALUE=DATE:20310303
RRULE:FREQ=WEEKLY
SUMMARY:Every Monday
END:VEVENT
END:VCALENDAR
"""
    content = ICS.format(year=2031).replace("END:VCALENDAR\n", bad_events)
    refused = await owner.post(f"{HOLIDAYS}/import", json={"format": "ics", "content": content})
    assert refused.status_code == 422, refused.text
    assert [(r["row"], r["field"]) for r in refused.json()["rows"]] == [
        (3, "DTSTART"),
        (4, "SUMMARY"),
        (5, "RRULE"),
    ]
    assert "events 3, 4, 5" in refused.json()["detail"]
    assert await calendar_of(owner) == []
    garbage = await owner.post(
        f"{HOLIDAYS}/import", json={"format": "ics", "content": "this is not a calendar"}
    )
    assert garbage.status_code == 422 and field_of(garbage) == ["content"]
    assert await calendar_of(owner) == []
