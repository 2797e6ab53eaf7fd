"""A person's calendar as an iCalendar file (RFC 5545), for any calendar program to import.

Mounted at /api/v1/oa/calendar.ics. It answers the signed-in caller (a session, or an API
token for a script), like every plugin route: a calendar program that subscribes to a URL
without credentials would need a secret in the URL, which a plugin cannot yet offer
through the public API.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vCalAddress
from litestar import Controller, Response, get
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Invalid, Member, Uow, member_emails, requires
from tessera_oa.calendar_events import READ
from tessera_oa.calendar_models import CalendarEvent
from tessera_oa.calendar_routes import PersonFilter, calendar_query
from tessera_oa.calendar_schemas import EventOut, events_out
from tessera_oa.spans import DuringFrom, DuringTo

#: The most events one file carries; a wider calendar is exported window by window.
MOST = 5_000
#: Without a window: the last month and the next eleven.
BEFORE, AFTER = timedelta(days=30), timedelta(days=335)
PARTSTAT = {
    "needs_action": "NEEDS-ACTION",
    "accepted": "ACCEPTED",
    "declined": "DECLINED",
    "tentative": "TENTATIVE",
}


def _address(email: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    for name, value in params.items():
        address.params[name] = value
    return address


def _vevent(event: EventOut, emails: Mapping[uuid.UUID, str], stamp: datetime) -> Event:
    entry = Event()
    entry.add("uid", f"{event.id}@tessera")
    entry.add("dtstamp", stamp)
    entry.add("last-modified", event.updated_at.astimezone(UTC))
    entry.add("created", event.created_at.astimezone(UTC))
    if event.all_day:
        entry.add("dtstart", event.starts_at.astimezone(UTC).date())
        entry.add("dtend", event.ends_at.astimezone(UTC).date())
    else:
        entry.add("dtstart", event.starts_at.astimezone(UTC))
        entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.title)
    if event.description:
        entry.add("description", event.description)
    if event.location:
        entry.add("location", event.location)
    entry.add("status", "CONFIRMED")
    if event.organiser_id is not None and event.organiser_id in emails:
        entry.add("organizer", _address(emails[event.organiser_id]))
    for attendee in event.attendees:
        if attendee.user_id in emails:
            entry.add(
                "attendee",
                _address(emails[attendee.user_id], PARTSTAT=PARTSTAT[attendee.response]),
            )
    for minutes in event.reminders:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title)
        alarm.add("trigger", timedelta(minutes=-minutes))
        entry.add_component(alarm)
    return entry


async def calendar_file(db: AsyncSession, events: Sequence[EventOut], name: str) -> bytes:
    people = {e.organiser_id for e in events if e.organiser_id} | {
        a.user_id for e in events for a in e.attendees
    }
    emails = await member_emails(db, people)
    calendar = Calendar()
    calendar.add("prodid", "-//Tessera//OA calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for event in events:
        calendar.add_component(_vevent(event, emails, stamp))
    return bytes(calendar.to_ical())


class CalendarExportController(Controller):
    path = "/calendar.ics"
    tags = ["oa"]

    @get(
        "/",
        summary="A member's calendar (yours by default) as an iCalendar file",
        opt=requires(READ),
        media_type="text/calendar",
    )
    async def export(
        self,
        actor: Member,
        uow: Uow,
        user_id: PersonFilter = None,
        during_from: DuringFrom = None,
        during_to: DuringTo = None,
    ) -> Response[bytes]:
        if during_from is None and during_to is None:
            now = datetime.now(UTC)
            during_from, during_to = now - BEFORE, now + AFTER
        person = user_id or actor.user_id
        query = await calendar_query(uow, actor, person, None, during_from, during_to)
        query = query.order_by(CalendarEvent.starts_at, CalendarEvent.id).limit(MOST + 1)
        events = list((await uow.db.scalars(query)).all())
        if len(events) > MOST:
            raise Invalid("during_to", f"more than {MOST} events: export a narrower window")
        shown = await events_out(uow.db, events, actor.user_id)
        name = (await member_emails(uow.db, [person])).get(person, "Calendar")
        return Response(
            await calendar_file(uow.db, shown, name),
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="calendar.ics"'},
        )
