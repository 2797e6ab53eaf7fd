"""A person's calendar as an iCalendar file: it parses back with the icalendar library and holds
exactly their events, with times, attendees' answers and reminders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from icalendar import Calendar

from tests.oa.calendar_support import EVENTS, at, event, iso
from tests.oa.support import colleague, oa_tenant, put
from tests.support import LiveServer, SignedUp

EXPORT = "/api/v1/oa/calendar.ics"


async def exported(who: SignedUp, **params: Any) -> Calendar:
    response = await who.get(EXPORT, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert "calendar.ics" in response.headers["content-disposition"]
    return Calendar.from_ical(response.content)


def by_uid(calendar: Calendar) -> dict[str, Any]:
    return {str(entry["uid"]): entry for entry in calendar.walk("VEVENT")}


async def test_the_export_parses_back_and_holds_the_persons_events(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await oa_tenant(client)
    ada = await colleague(live_server, owner)
    review = await event(
        owner,
        "Design review; with sketches, please",
        description="Line one\nLine two",
        location="HQ, room 4",
        starts_at=iso(at(1, 9)),
        ends_at=iso(at(1, 10, 30)),
        attendee_ids=[ada.user_id],
        reminders=[15],
    )
    offsite = await event(
        owner, "Offsite", all_day=True, starts_at=iso(at(3, 0)), ends_at=iso(at(5, 0))
    )
    await event(owner, "Long ago", starts_at=iso(at(-100, 9)), ends_at=iso(at(-100, 10)))
    await put(ada, f"{EVENTS}/{review['id']}/response", {"response": "tentative"})

    calendar = await exported(owner)
    assert str(calendar["version"]) == "2.0" and "Tessera" in str(calendar["prodid"])
    entries = by_uid(calendar)
    assert set(entries) == {f"{review['id']}@tessera", f"{offsite['id']}@tessera"}, (
        "the default window: a month back, eleven ahead"
    )
    meeting = entries[f"{review['id']}@tessera"]
    assert str(meeting["summary"]) == "Design review; with sketches, please"
    assert str(meeting["description"]) == "Line one\nLine two"
    assert str(meeting["location"]) == "HQ, room 4"
    assert meeting.decoded("dtstart") == at(1, 9)
    assert meeting.decoded("dtend") == at(1, 10, 30)
    attendees = meeting.get("attendee")
    answers = {str(a).removeprefix("mailto:"): a.params["PARTSTAT"] for a in attendees}
    assert answers == {owner.email: "ACCEPTED", ada.email: "TENTATIVE"}
    assert str(meeting["organizer"]) == f"mailto:{owner.email}"
    [alarm] = meeting.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(minutes=15)
    whole_days = entries[f"{offsite['id']}@tessera"]
    assert whole_days.decoded("dtstart") == at(3, 0).date()
    assert isinstance(whole_days.decoded("dtend"), date)
    assert whole_days.decoded("dtend") == at(5, 0).date()

    # Ada's calendar: the meeting she was invited to, not the organiser's other events.
    assert set(by_uid(await exported(ada))) == {f"{review['id']}@tessera"}
    # A chosen window reaches the past.
    past = await exported(owner, during_from=iso(at(-101, 0)), during_to=iso(at(-99, 0)))
    assert [str(e["summary"]) for e in past.walk("VEVENT")] == ["Long ago"]
    # The owner may export Ada's calendar; Ada may not read the owner's beyond what they share.
    assert set(by_uid(await exported(owner, user_id=ada.user_id))) == {f"{review['id']}@tessera"}
    assert set(by_uid(await exported(ada, user_id=owner.user_id))) == {f"{review['id']}@tessera"}
    wide = await owner.get(
        EXPORT, params={"during_from": iso(at(0, 0)), "during_to": iso(at(400, 0))}
    )
    assert wide.status_code == 422
