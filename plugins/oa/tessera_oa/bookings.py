"""Room bookings: a room for a span of time, never two at once.

Mounted under /api/v1/oa/bookings. The database has the last word on double booking: an
exclusion constraint over each room's time ranges (``ex_oa_room_booking_no_overlap``). A
service check first would only narrow the race, never close it; so the insert itself is the
check, in a savepoint, and the refusal becomes a 409 naming the booking in the way.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    Input,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    emit,
    requires,
    visible_to,
)
from tessera_oa.calendar_models import Booking, Room
from tessera_oa.rooms import READ as ROOM_READ
from tessera_oa.rooms import bookable_room
from tessera_oa.spans import DuringFrom, DuringTo, Moment, Span, checked_span, overlapping, window

WRITE = "oa.booking.write"
#: SQLSTATE of an exclusion constraint's refusal.
EXCLUSION_VIOLATION = "23P01"
SORTING = Sorting(
    {"starts_at": Booking.starts_at, "created_at": Booking.created_at},
    Booking.id,
    default="starts_at",
)
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
RoomFilter = Annotated[uuid.UUID | None, QueryParameter(description="Only this room's bookings")]
MineFilter = Annotated[bool, QueryParameter(description="Only the bookings you made")]


class BookingIn(Input):
    room_id: uuid.UUID
    title: Title
    starts_at: Moment
    ends_at: Moment


class BookingOut(msgspec.Struct):
    id: uuid.UUID
    room_id: uuid.UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    #: The event the room is booked for, if any: change the event to change the booking.
    event_id: uuid.UUID | None
    booked_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


def booking_out(booking: Booking) -> BookingOut:
    return msgspec.convert(booking, BookingOut, from_attributes=True)


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


async def _taken(
    db: AsyncSession, room_id: uuid.UUID, span: Span, excluding: uuid.UUID
) -> Conflict:
    """The 409 for a slot the exclusion constraint refused, naming a booking in the way."""
    query = (
        select(Booking, Room.name)
        .join(Room, (Room.tenant_id == Booking.tenant_id) & (Room.id == Booking.room_id))
        .where(
            Booking.room_id == room_id,
            Booking.id != excluding,
            overlapping(Booking.starts_at, Booking.ends_at, span),
        )
        .order_by(Booking.starts_at)
        .limit(1)
    )
    found = (await db.execute(query)).first()
    if found is None:  # the booking in the way was cancelled meanwhile: still refused, retry
        return Conflict("The room was booked for that time at the same moment; try again.")
    other, room_name = found
    return Conflict(
        f"{room_name} is already booked from {_when(other.starts_at)} to {_when(other.ends_at)}.",
        extensions={"booking_id": str(other.id)},
    )


async def hold(db: AsyncSession, booking: Booking) -> None:
    """Write ``booking`` (new or moved), or raise 409 if its room is taken for any of its time.

    Concurrent holds of one slot queue on the constraint's index: the first to commit wins,
    the others are refused here. The savepoint keeps the request's transaction usable to name
    the booking in the way.
    """
    await db.flush()  # the request's other writes stay out of the savepoint
    try:
        async with db.begin_nested():
            db.add(booking)
            await db.flush()
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) != EXCLUSION_VIOLATION:
            raise
        raise await _taken(
            db, booking.room_id, Span(booking.starts_at, booking.ends_at), booking.id
        ) from None


def _not_in_the_past(span: Span) -> None:
    if span.ends_at <= datetime.now(UTC):
        raise Invalid("ends_at", "the booking would be over already")


async def book(uow: Uow, actor: Actor, data: BookingIn) -> Booking:
    span = checked_span(data.starts_at, data.ends_at)
    _not_in_the_past(span)
    room = await bookable_room(uow.db, actor.tenant, data.room_id)
    booking = Booking(
        tenant_id=actor.tenant,
        room_id=room.id,
        title=data.title.strip() or data.title,
        starts_at=span.starts_at,
        ends_at=span.ends_at,
        booked_by=actor.user_id,
    )
    await hold(uow.db, booking)
    await emit(
        uow.db,
        actor.tenant,
        "oa.room.booked",
        {"booking_id": booking.id, "room_id": room.id, "starts_at": span.starts_at},
    )
    return booking


async def visible_booking(
    db: AsyncSession, actor: Actor, booking_id: uuid.UUID, permission: str
) -> Booking:
    """A booking the actor may act on under ``permission``'s scope (by who booked it); 404 else."""
    query = select(Booking).where(
        Booking.id == booking_id, visible_to(actor, permission, Booking.booked_by)
    )
    booking = (await db.scalars(query)).first()
    if booking is None:
        raise NotFound("No such booking.")
    return booking


async def cancel(uow: Uow, actor: Actor, booking_id: uuid.UUID) -> None:
    booking = await visible_booking(uow.db, actor, booking_id, WRITE)
    if booking.event_id is not None:
        raise Conflict("This booking is an event's room: change or cancel the event instead.")
    await uow.db.delete(booking)
    await uow.db.flush()
    await emit(
        uow.db,
        actor.tenant,
        "oa.booking.cancelled",
        {"booking_id": booking_id, "room_id": booking.room_id},
    )


class BookingsController(Controller):
    path = "/bookings"
    tags = ["oa"]

    @get(
        "/",
        summary="Room bookings: a room's, yours, or every room's in a window",
        opt=requires(ROOM_READ),
    )
    async def list_bookings(
        self,
        actor: Member,
        uow: Uow,
        room_id: RoomFilter = None,
        mine: MineFilter = False,
        during_from: DuringFrom = None,
        during_to: DuringTo = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[BookingOut]:
        query: Any = select(Booking)
        if room_id is not None:
            query = query.where(Booking.room_id == room_id)
        if mine:
            query = query.where(Booking.booked_by == actor.user_id)
        span = window(during_from, during_to)
        if span is not None:
            query = query.where(overlapping(Booking.starts_at, Booking.ends_at, span))
        page = SORTING.page(query, sort, cursor, limit)
        return page.of(list((await uow.db.scalars(page.query)).all()), booking_out)

    @post("/", status_code=HTTP_201_CREATED, summary="Book a room", opt=requires(WRITE))
    async def create(self, data: JSONBody[BookingIn], actor: Member, uow: Uow) -> BookingOut:
        return booking_out(await book(uow, actor, data))

    @get("/{booking_id:uuid}", summary="One booking", opt=requires(ROOM_READ))
    async def get_one(self, booking_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> BookingOut:
        booking = await uow.db.get(Booking, (actor.tenant, booking_id))
        if booking is None:
            raise NotFound("No such booking.")
        return booking_out(booking)

    @delete(
        "/{booking_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Cancel a booking (yours, or anyone's with the scope for all)",
        opt=requires(WRITE),
    )
    async def remove(self, booking_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await cancel(uow, actor, booking_id)
