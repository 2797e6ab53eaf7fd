"""Meeting rooms: name, capacity, where they are, and whether they take bookings.

Mounted under /api/v1/oa/rooms. Who booked what is in bookings.py.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import func, select
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
    requires,
)
from tessera_oa.calendar_models import Room

READ, MANAGE = "oa.room.read", "oa.room.manage"
SORTING = Sorting(
    {"name": Room.name, "capacity": Room.capacity, "created_at": Room.created_at},
    Room.id,
    default="name",
)
RoomName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Capacity = Annotated[int, msgspec.Meta(ge=1, le=10_000)]
Place = Annotated[str, msgspec.Meta(max_length=200)]
ActiveFilter = Annotated[
    bool | None, QueryParameter(description="Only rooms that take bookings (true) or retired")
]
MinCapacity = Annotated[
    int | None, QueryParameter(ge=1, le=10_000, description="Only rooms for at least this many")
]
Search = Annotated[str | None, QueryParameter(max_length=120, description="Part of the name")]


class RoomIn(Input):
    name: RoomName
    capacity: Capacity
    location: Place = ""
    active: bool = True


class RoomPatch(Input):
    name: RoomName | None = None
    capacity: Capacity | None = None
    location: Place | None = None
    #: false retires the room: its bookings stay, new ones are refused.
    active: bool | None = None


class RoomOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    capacity: int
    location: str
    active: bool
    created_at: datetime
    updated_at: datetime


def room_out(room: Room) -> RoomOut:
    return msgspec.convert(room, RoomOut, from_attributes=True)


async def get_room(db: AsyncSession, tenant_id: uuid.UUID, room_id: uuid.UUID) -> Room:
    room = await db.get(Room, (tenant_id, room_id))
    if room is None:
        raise NotFound("No such room.")
    return room


async def bookable_room(
    db: AsyncSession, tenant_id: uuid.UUID, room_id: uuid.UUID, *, people: int = 1
) -> Room:
    """The room an input names, if it takes bookings and holds ``people``; 422 on ``room_id``
    otherwise (another tenant's room is no room here)."""
    room = await db.get(Room, (tenant_id, room_id))
    if room is None:
        raise Invalid("room_id", "no such room")
    if not room.active:
        raise Invalid("room_id", "the room is retired and takes no bookings")
    if people > room.capacity:
        raise Invalid("room_id", f"the room holds {room.capacity}, not {people}")
    return room


def _clean(name: str) -> str:
    return " ".join(name.split())


async def _refuse_taken_name(db: AsyncSession, name: str, excluding: uuid.UUID | None) -> None:
    query = select(Room.id).where(func.lower(Room.name) == name.casefold())
    if excluding is not None:
        query = query.where(Room.id != excluding)
    if await db.scalar(query) is not None:
        raise Conflict(f"A room is already named {name!r}.")


async def create_room(uow: Uow, actor: Actor, data: RoomIn) -> Room:
    name = _clean(data.name)
    if not name:
        raise Invalid("name", "must not be blank")
    await _refuse_taken_name(uow.db, name, None)
    room = Room(
        tenant_id=actor.tenant,
        name=name,
        capacity=data.capacity,
        location=data.location.strip(),
        active=data.active,
    )
    uow.db.add(room)
    await uow.db.flush()
    return room


async def change_room(uow: Uow, actor: Actor, room_id: uuid.UUID, data: RoomPatch) -> Room:
    room = await get_room(uow.db, actor.tenant, room_id)
    if data.name is not None:
        name = _clean(data.name)
        if not name:
            raise Invalid("name", "must not be blank")
        await _refuse_taken_name(uow.db, name, room.id)
        room.name = name
    if data.capacity is not None:
        room.capacity = data.capacity
    if data.location is not None:
        room.location = data.location.strip()
    if data.active is not None:
        room.active = data.active
    await uow.db.flush()
    await uow.db.refresh(room)
    return room


class RoomsController(Controller):
    path = "/rooms"
    tags = ["oa"]

    @get("/", summary="Meeting rooms", opt=requires(READ))
    async def list_rooms(
        self,
        actor: Member,
        uow: Uow,
        active: ActiveFilter = None,
        min_capacity: MinCapacity = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[RoomOut]:
        query = select(Room)
        if active is not None:
            query = query.where(Room.active.is_(active))
        if min_capacity is not None:
            query = query.where(Room.capacity >= min_capacity)
        if q:
            query = query.where(Room.name.icontains(q, autoescape=True))
        page = SORTING.page(query, sort, cursor, limit)
        return page.of(list((await uow.db.scalars(page.query)).all()), room_out)

    @post("/", status_code=HTTP_201_CREATED, summary="Add a meeting room", opt=requires(MANAGE))
    async def create(self, data: JSONBody[RoomIn], actor: Member, uow: Uow) -> RoomOut:
        return room_out(await create_room(uow, actor, data))

    @get("/{room_id:uuid}", summary="One meeting room", opt=requires(READ))
    async def get_one(self, room_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> RoomOut:
        return room_out(await get_room(uow.db, actor.tenant, room_id))

    @patch(
        "/{room_id:uuid}",
        summary="Rename, resize, move or retire a meeting room",
        opt=requires(MANAGE),
    )
    async def change(
        self, room_id: FromPath[uuid.UUID], data: JSONBody[RoomPatch], actor: Member, uow: Uow
    ) -> RoomOut:
        return room_out(await change_room(uow, actor, room_id, data))

    @delete(
        "/{room_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a meeting room with its bookings (to the recycle bin)",
        opt=requires(MANAGE),
    )
    async def remove(self, room_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        room = await get_room(uow.db, actor.tenant, room_id)
        await uow.db.delete(room)
        await uow.db.flush()
