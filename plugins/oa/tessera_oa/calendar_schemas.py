"""Calendar events as requests and answers: the shapes of calendar_routes.py, and a page of
events rendered with their attendees, reminders and room in three queries."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Literal

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Input
from tessera_oa.calendar_models import Attendee, Booking, CalendarEvent, Reminder
from tessera_oa.spans import Moment

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Description = Annotated[str, msgspec.Meta(max_length=10_000)]
Place = Annotated[str, msgspec.Meta(max_length=200)]
#: Up to four weeks ahead.
Minutes = Annotated[int, msgspec.Meta(ge=0, le=40_320)]
People = Annotated[list[uuid.UUID], msgspec.Meta(max_length=500)]
Reminders = Annotated[list[Minutes], msgspec.Meta(max_length=5)]
Answer = Literal["accepted", "declined", "tentative"]


class EventIn(Input):
    title: Title
    starts_at: Moment
    ends_at: Moment
    #: Whole days: from the date of starts_at to the date of ends_at (a midnight ends the day
    #: before), as written in the offset sent.
    all_day: bool = False
    description: Description = ""
    location: Place = ""
    #: Members to invite; the organiser (whoever creates it) attends anyway.
    attendee_ids: People = msgspec.field(default_factory=list)
    #: A meeting room to book for the event's time.
    room_id: uuid.UUID | None = None
    #: Minutes before the start at which attendees are reminded.
    reminders: Reminders = msgspec.field(default_factory=list)


class EventPatch(Input):
    title: Title | None = None
    description: Description | None = None
    location: Place | None = None
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    all_day: bool | None = None
    #: Everyone invited from now on (the organiser stays); answers of those kept stay.
    attendee_ids: People | None = None
    #: Another room, or null to give the room back; absent keeps it.
    room_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET
    reminders: Reminders | None = None


class ResponseIn(Input):
    response: Answer


class AttendeeOut(msgspec.Struct):
    user_id: uuid.UUID
    response: str
    responded_at: datetime | None


class EventOut(msgspec.Struct):
    id: uuid.UUID
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    location: str
    organiser_id: uuid.UUID | None
    room_id: uuid.UUID | None
    booking_id: uuid.UUID | None
    attendees: list[AttendeeOut]
    reminders: list[int]
    #: The caller's own answer, if invited.
    my_response: str | None
    created_at: datetime
    updated_at: datetime


@dataclass
class EventParts:
    """What belongs to a page of events, loaded in three queries whatever the page's size."""

    attendees: dict[uuid.UUID, list[Attendee]] = field(default_factory=lambda: defaultdict(list))
    reminders: dict[uuid.UUID, list[int]] = field(default_factory=lambda: defaultdict(list))
    bookings: dict[uuid.UUID, Booking] = field(default_factory=dict)


async def parts_of(db: AsyncSession, event_ids: Sequence[uuid.UUID]) -> EventParts:
    parts = EventParts()
    if not event_ids:
        return parts
    ids = list(event_ids)
    for attendee in await db.scalars(
        select(Attendee).where(Attendee.event_id.in_(ids)).order_by(Attendee.id)
    ):
        parts.attendees[attendee.event_id].append(attendee)
    for reminder in await db.scalars(
        select(Reminder).where(Reminder.event_id.in_(ids)).order_by(Reminder.minutes_before)
    ):
        parts.reminders[reminder.event_id].append(reminder.minutes_before)
    for booking in await db.scalars(select(Booking).where(Booking.event_id.in_(ids))):
        if booking.event_id is not None:
            parts.bookings[booking.event_id] = booking
    return parts


def event_out(event: CalendarEvent, parts: EventParts, viewer: uuid.UUID) -> EventOut:
    attendees = parts.attendees.get(event.id, [])
    booking = parts.bookings.get(event.id)
    mine = next((a.response for a in attendees if a.user_id == viewer), None)
    return EventOut(
        id=event.id,
        title=event.title,
        description=event.description,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        all_day=event.all_day,
        location=event.location,
        organiser_id=event.organiser_id,
        room_id=booking.room_id if booking else None,
        booking_id=booking.id if booking else None,
        attendees=[AttendeeOut(a.user_id, a.response, a.responded_at) for a in attendees],
        reminders=parts.reminders.get(event.id, []),
        my_response=mine,
        created_at=event.created_at,
        updated_at=event.updated_at,
    )


async def events_out(
    db: AsyncSession, events: Sequence[CalendarEvent], viewer: uuid.UUID
) -> list[EventOut]:
    parts = await parts_of(db, [e.id for e in events])
    return [event_out(event, parts, viewer) for event in events]
