"""Calendar events: meetings with attendees (members of the tenant), their answers, reminders
and, optionally, a meeting room booked for the same time.

The rules, without HTTP; the routes are in calendar_routes.py. Who sees an event follows the
scoped permission ``oa.event.read`` over its attendees and organiser: a member sees the events
they attend or organise, a team lead (scope ``team``) their reports' too, admins all.
Changing or cancelling follows ``oa.event.write`` over the organiser.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, Invalid, NotFound, Uow, emit, member_emails, visible_to
from tessera_oa.bookings import hold
from tessera_oa.calendar_models import Attendee, Booking, CalendarEvent, Reminder, Room
from tessera_oa.calendar_schemas import EventIn, EventPatch
from tessera_oa.departments import checked_department, subtree
from tessera_oa.models import DepartmentMember
from tessera_oa.rooms import bookable_room
from tessera_oa.spans import Span, checked_span

READ, WRITE = "oa.event.read", "oa.event.write"


def visible(actor: Actor, permission: str) -> ColumnElement[bool]:
    """Events the actor reaches through ``permission``: by the organiser or an attendee."""
    attends = exists().where(
        Attendee.tenant_id == CalendarEvent.tenant_id,
        Attendee.event_id == CalendarEvent.id,
        visible_to(actor, permission, Attendee.user_id),
    )
    return or_(visible_to(actor, permission, CalendarEvent.organiser_id), attends)


def attended_by(user_ids: Any) -> ColumnElement[bool]:
    """Events one of ``user_ids`` (a list or a query of user ids) attends."""
    return exists().where(
        Attendee.tenant_id == CalendarEvent.tenant_id,
        Attendee.event_id == CalendarEvent.id,
        Attendee.user_id.in_(user_ids),
    )


async def team_of(db: AsyncSession, tenant_id: uuid.UUID, department_id: uuid.UUID) -> Any:
    """A query of the members of the department and of the departments inside it."""
    await checked_department(db, tenant_id, department_id, "department_id")
    departments = await subtree(db, department_id)
    return select(DepartmentMember.user_id).where(DepartmentMember.department_id.in_(departments))


async def get_event(
    db: AsyncSession, actor: Actor, event_id: uuid.UUID, permission: str
) -> CalendarEvent:
    """The event, if ``permission``'s scope lets the actor reach it; 404 otherwise."""
    if permission == WRITE:
        rule = visible_to(actor, WRITE, CalendarEvent.organiser_id)
    else:
        rule = visible(actor, permission)
    query = select(CalendarEvent).where(CalendarEvent.id == event_id, rule)
    event = (await db.scalars(query)).first()
    if event is None:
        raise NotFound("No such event.")
    return event


async def checked_attendees(
    db: AsyncSession, user_ids: list[uuid.UUID], organiser: uuid.UUID
) -> list[uuid.UUID]:
    """The organiser, then each member invited once; 422 naming the first id that is not a
    member of this tenant (another tenant's people are not)."""
    members = await member_emails(db, {*user_ids, organiser})
    for index, user_id in enumerate(user_ids):
        if user_id not in members:
            raise Invalid(f"attendee_ids[{index}]", "is not a member of this tenant")
    return list(dict.fromkeys([organiser, *user_ids]))


def _reminders(db: AsyncSession, event: CalendarEvent, minutes: list[int]) -> None:
    for before in sorted(set(minutes)):
        db.add(
            Reminder(
                tenant_id=event.tenant_id,
                event_id=event.id,
                minutes_before=before,
                remind_at=event.starts_at - timedelta(minutes=before),
            )
        )


def _invite(db: AsyncSession, event: CalendarEvent, user_ids: list[uuid.UUID]) -> None:
    now = datetime.now(UTC)
    for user_id in user_ids:
        organiser = user_id == event.organiser_id
        db.add(
            Attendee(
                tenant_id=event.tenant_id,
                event_id=event.id,
                user_id=user_id,
                response="accepted" if organiser else "needs_action",
                responded_at=now if organiser else None,
            )
        )


async def _tell_invited(
    db: AsyncSession, event: CalendarEvent, user_ids: Sequence[uuid.UUID]
) -> None:
    invited = [u for u in user_ids if u != event.organiser_id]
    if invited:
        await emit(
            db,
            event.tenant_id,
            "oa.event.invited",
            {"event_id": event.id, "title": event.title, "user_ids": invited},
        )


async def create_event(uow: Uow, actor: Actor, data: EventIn) -> CalendarEvent:
    db = uow.db
    span = checked_span(data.starts_at, data.ends_at, all_day=data.all_day)
    people = await checked_attendees(db, data.attendee_ids, actor.user_id)
    room = None
    if data.room_id is not None:
        room = await bookable_room(db, actor.tenant, data.room_id, people=len(people))
    event = CalendarEvent(
        tenant_id=actor.tenant,
        title=data.title.strip() or data.title,
        description=data.description,
        starts_at=span.starts_at,
        ends_at=span.ends_at,
        all_day=data.all_day,
        location=data.location.strip(),
        organiser_id=actor.user_id,
    )
    db.add(event)
    await db.flush()
    _invite(db, event, people)
    _reminders(db, event, data.reminders)
    if room is not None:
        await hold(db, _booking_for(event, room.id, actor.user_id))
    await db.flush()
    await emit(db, actor.tenant, "oa.event.created", {"event_id": event.id, "title": event.title})
    await _tell_invited(db, event, people)
    return event


def _booking_for(event: CalendarEvent, room_id: uuid.UUID, by: uuid.UUID) -> Booking:
    return Booking(
        tenant_id=event.tenant_id,
        room_id=room_id,
        event_id=event.id,
        booked_by=by,
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
    )


def _new_span(event: CalendarEvent, data: EventPatch) -> Span | None:
    if data.starts_at is None and data.ends_at is None and data.all_day is None:
        return None
    return checked_span(
        data.starts_at or event.starts_at,
        data.ends_at or event.ends_at,
        all_day=event.all_day if data.all_day is None else data.all_day,
    )


async def _replace_attendees(
    db: AsyncSession, event: CalendarEvent, wanted: list[uuid.UUID]
) -> list[uuid.UUID]:
    """Make ``wanted`` the attendees; returns those newly invited."""
    held = {
        a.user_id for a in await db.scalars(select(Attendee).where(Attendee.event_id == event.id))
    }
    gone = held - set(wanted)
    if gone:
        await db.execute(
            delete(Attendee).where(Attendee.event_id == event.id, Attendee.user_id.in_(gone))
        )
    added = [u for u in wanted if u not in held]
    _invite(db, event, added)
    return added


async def _move_reminders(db: AsyncSession, event: CalendarEvent) -> None:
    """Reminders follow the start; each reminds again at its new time."""
    for reminder in await db.scalars(select(Reminder).where(Reminder.event_id == event.id)):
        reminder.remind_at = event.starts_at - timedelta(minutes=reminder.minutes_before)
        reminder.sent_at = None


async def _rebook(
    db: AsyncSession,
    actor: Actor,
    event: CalendarEvent,
    data: EventPatch,
    people: int,
    moved: bool,
) -> None:
    """Keep the event's room booking in step: another room, none, or the new time."""
    booking = (await db.scalars(select(Booking).where(Booking.event_id == event.id))).first()
    if data.room_id is None:
        if booking is not None:
            await db.delete(booking)
        return
    other_room = isinstance(data.room_id, uuid.UUID) and (
        booking is None or booking.room_id != data.room_id
    )
    if isinstance(data.room_id, uuid.UUID) and other_room:
        room = await bookable_room(db, actor.tenant, data.room_id, people=people)
        if booking is None:
            await hold(db, _booking_for(event, room.id, actor.user_id))
            return
        booking.room_id = room.id
        moved = True
    if booking is None:
        return
    if data.attendee_ids is not None:
        await _check_capacity(db, actor, booking, people)
    if moved or booking.title != event.title:
        booking.starts_at, booking.ends_at, booking.title = (
            event.starts_at,
            event.ends_at,
            event.title,
        )
        await hold(db, booking)


async def _check_capacity(db: AsyncSession, actor: Actor, booking: Booking, people: int) -> None:
    room = await db.get(Room, (actor.tenant, booking.room_id))
    if room is not None and people > room.capacity:
        raise Invalid("attendee_ids", f"the room holds {room.capacity}, not {people}")


async def change_event(
    uow: Uow, actor: Actor, event_id: uuid.UUID, data: EventPatch
) -> CalendarEvent:
    db = uow.db
    event = await get_event(db, actor, event_id, WRITE)
    span = _new_span(event, data)
    organiser = event.organiser_id or actor.user_id
    people: list[uuid.UUID] | None = None
    if data.attendee_ids is not None:
        people = await checked_attendees(db, data.attendee_ids, organiser)
        if event.organiser_id is None and organiser not in data.attendee_ids:
            people.remove(organiser)  # an admin tidying an event whose organiser left
    if data.title is not None:
        event.title = data.title.strip() or data.title
    if data.description is not None:
        event.description = data.description
    if data.location is not None:
        event.location = data.location.strip()
    if data.all_day is not None:
        event.all_day = data.all_day
    if span is not None:
        event.starts_at, event.ends_at = span.starts_at, span.ends_at
    await db.flush()
    invited: list[uuid.UUID] = []
    if people is not None:
        invited = await _replace_attendees(db, event, people)
    count = len(people) if people is not None else await _attendee_count(db, event.id)
    await _rebook(db, actor, event, data, count, moved=span is not None)
    if data.reminders is not None:
        await db.execute(delete(Reminder).where(Reminder.event_id == event.id))
        _reminders(db, event, data.reminders)
    elif span is not None:
        await _move_reminders(db, event)
    await db.flush()
    await db.refresh(event)
    await emit(db, actor.tenant, "oa.event.updated", {"event_id": event.id})
    await _tell_invited(db, event, invited)
    return event


async def _attendee_count(db: AsyncSession, event_id: uuid.UUID) -> int:
    query = select(func.count()).select_from(Attendee).where(Attendee.event_id == event_id)
    return int(await db.scalar(query) or 0)


async def cancel_event(uow: Uow, actor: Actor, event_id: uuid.UUID) -> None:
    """Delete the event with its attendees, reminders and room booking (to the recycle bin)."""
    db = uow.db
    event = await get_event(db, actor, event_id, WRITE)
    others = [
        a.user_id
        for a in await db.scalars(select(Attendee).where(Attendee.event_id == event.id))
        if a.user_id != event.organiser_id and a.response != "declined"
    ]
    title = event.title
    await db.delete(event)
    await db.flush()
    await emit(
        db,
        actor.tenant,
        "oa.event.cancelled",
        {"event_id": event_id, "title": title, "user_ids": others},
    )


async def respond(uow: Uow, actor: Actor, event_id: uuid.UUID, answer: str) -> Attendee:
    """The actor's answer to an invitation; 404 if they are not invited."""
    db = uow.db
    query = select(Attendee).where(Attendee.event_id == event_id, Attendee.user_id == actor.user_id)
    attendee = (await db.scalars(query.with_for_update())).first()
    if attendee is None:
        raise NotFound("No such event among your invitations.")
    attendee.response = answer
    attendee.responded_at = datetime.now(UTC)
    await db.flush()
    await emit(
        db,
        actor.tenant,
        "oa.event.responded",
        {"event_id": event_id, "user_id": actor.user_id, "response": answer},
    )
    return attendee
