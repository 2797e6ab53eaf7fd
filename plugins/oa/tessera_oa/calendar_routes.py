"""Calendar events over HTTP, under /api/v1/oa/events; the rules are in calendar_events.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    requires,
)
from tessera_oa.calendar_events import (
    READ,
    WRITE,
    attended_by,
    cancel_event,
    change_event,
    create_event,
    get_event,
    respond,
    team_of,
    visible,
)
from tessera_oa.calendar_models import CalendarEvent
from tessera_oa.calendar_schemas import (
    AttendeeOut,
    EventIn,
    EventOut,
    EventPatch,
    ResponseIn,
    events_out,
)
from tessera_oa.spans import DuringFrom, DuringTo, overlapping, window

SORTING = Sorting(
    {
        "starts_at": CalendarEvent.starts_at,
        "title": CalendarEvent.title,
        "created_at": CalendarEvent.created_at,
        "updated_at": CalendarEvent.updated_at,
    },
    CalendarEvent.id,
    default="starts_at",
)
PersonFilter = Annotated[
    uuid.UUID | None, QueryParameter(description="One member's calendar: the events they attend")
]
TeamFilter = Annotated[
    uuid.UUID | None,
    QueryParameter(description="A team's calendar: the department's members' events"),
]


async def calendar_query(
    uow: Uow,
    actor: Actor,
    user_id: uuid.UUID | None,
    department_id: uuid.UUID | None,
    during_from: datetime | None,
    during_to: datetime | None,
) -> Any:
    """The events the actor may see of a person, a team or everyone, in a window (without
    one: those not over yet)."""
    query = select(CalendarEvent).where(visible(actor, READ))
    if user_id is not None:
        query = query.where(attended_by([user_id]))
    if department_id is not None:
        query = query.where(attended_by(await team_of(uow.db, actor.tenant, department_id)))
    span = window(during_from, during_to)
    if span is not None:
        query = query.where(overlapping(CalendarEvent.starts_at, CalendarEvent.ends_at, span))
    else:
        query = query.where(CalendarEvent.ends_at > datetime.now(UTC))
    return query


class EventsController(Controller):
    path = "/events"
    tags = ["oa"]

    @get(
        "/",
        summary="Calendar events you may see: yours, a member's or a team's, in a window",
        opt=requires(READ),
    )
    async def list_events(
        self,
        actor: Member,
        uow: Uow,
        user_id: PersonFilter = None,
        department_id: TeamFilter = None,
        during_from: DuringFrom = None,
        during_to: DuringTo = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[EventOut]:
        query = await calendar_query(uow, actor, user_id, department_id, during_from, during_to)
        page = SORTING.page(query, sort, cursor, limit)
        events = list((await uow.db.scalars(page.query)).all())
        shown = {e.id: e for e in await events_out(uow.db, events[:limit], actor.user_id)}
        return page.of(events, lambda event: shown[event.id])

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Create an event, invite members, book a room",
        opt=requires(WRITE),
    )
    async def create(self, data: JSONBody[EventIn], actor: Member, uow: Uow) -> EventOut:
        event = await create_event(uow, actor, data)
        return (await events_out(uow.db, [event], actor.user_id))[0]

    @get("/{event_id:uuid}", summary="One event with its attendees' answers", opt=requires(READ))
    async def get_one(self, event_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> EventOut:
        event = await get_event(uow.db, actor, event_id, READ)
        return (await events_out(uow.db, [event], actor.user_id))[0]

    @patch(
        "/{event_id:uuid}",
        summary="Change an event you organise: time, attendees, room, reminders",
        opt=requires(WRITE),
    )
    async def change(
        self, event_id: FromPath[uuid.UUID], data: JSONBody[EventPatch], actor: Member, uow: Uow
    ) -> EventOut:
        event = await change_event(uow, actor, event_id, data)
        return (await events_out(uow.db, [event], actor.user_id))[0]

    @delete(
        "/{event_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Cancel an event you organise, with its room booking (to the recycle bin)",
        opt=requires(WRITE),
    )
    async def remove(self, event_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await cancel_event(uow, actor, event_id)

    @put(
        "/{event_id:uuid}/response",
        summary="Accept, decline or tentatively accept an invitation",
        opt=requires(READ),
    )
    async def answer(
        self, event_id: FromPath[uuid.UUID], data: JSONBody[ResponseIn], actor: Member, uow: Uow
    ) -> AttendeeOut:
        attendee = await respond(uow, actor, event_id, data.response)
        return AttendeeOut(attendee.user_id, attendee.response, attendee.responded_at)
