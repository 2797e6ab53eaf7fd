"""Routes that move stock and read what moved: receipts, deliveries, transfers, reservations,
and the pickings with their moves.

Mounted under /api/v1/inventory. Moving needs ``inventory.stock.move``; reading
``inventory.stock.read``. A picking is done as it is made and never changes afterwards.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
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
from tessera_inventory import operations, reservations
from tessera_inventory.locations import default_stock, get_location
from tessera_inventory.models import (
    PICKING_KINDS,
    STOCK_MOVE,
    STOCK_READ,
    Move,
    Picking,
    Reservation,
)
from tessera_inventory.stock import resolve_lines
from tessera_inventory.units import QuantityIn

SORTING = Sorting(
    {"date": Picking.date, "number": Picking.number, "created_at": Picking.created_at},
    Picking.id,
    default="-created_at",
)
Reference = Annotated[str, msgspec.Meta(max_length=200)]
SourceType = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
SourceId = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
MAX_LINES = 500


class LineIn(Input):
    product_id: uuid.UUID
    quantity: QuantityIn
    #: The unit ``quantity`` is in; the product's stock unit when left out.
    uom_id: uuid.UUID | None = None


class ReceiptLineIn(LineIn):
    #: Per unit of ``uom_id``, in the company's currency; the product's cost when left out.
    unit_cost: Annotated[str | int, msgspec.Meta(description='Exact amount ("4.20")')] | None = None


class ReceiptIn(Input):
    lines: Annotated[list[ReceiptLineIn], msgspec.Meta(max_length=MAX_LINES)]
    date: dt.date | None = None
    reference: Reference = ""
    #: An internal location; the default warehouse's stock when left out.
    location_id: uuid.UUID | None = None
    source_type: SourceType | None = None
    source_id: SourceId | None = None


class DeliveryIn(Input):
    lines: Annotated[list[LineIn], msgspec.Meta(max_length=MAX_LINES)]
    date: dt.date | None = None
    reference: Reference = ""
    location_id: uuid.UUID | None = None
    #: The document the goods leave for: its reservations are consumed.
    source_type: SourceType | None = None
    source_id: SourceId | None = None


class TransferIn(Input):
    from_location_id: uuid.UUID
    to_location_id: uuid.UUID
    lines: Annotated[list[LineIn], msgspec.Meta(max_length=MAX_LINES)]
    date: dt.date | None = None
    reference: Reference = ""


class ReservationIn(Input):
    source_type: SourceType
    source_id: SourceId
    lines: Annotated[list[LineIn], msgspec.Meta(max_length=MAX_LINES)]
    location_id: uuid.UUID | None = None


class ReleaseIn(Input):
    source_type: SourceType
    source_id: SourceId


class ReservationOut(msgspec.Struct):
    id: uuid.UUID
    source_type: str
    source_id: str
    product_id: uuid.UUID
    location_id: uuid.UUID
    quantity: Decimal


class ReleasedOut(msgspec.Struct):
    released: Decimal


class MoveOut(msgspec.Struct):
    id: uuid.UUID
    product_id: uuid.UUID
    date: dt.date
    quantity: Decimal
    uom_id: uuid.UUID
    uom_quantity: Decimal
    from_location_id: uuid.UUID
    to_location_id: uuid.UUID
    unit_cost: Decimal
    value: Decimal


class PickingOut(msgspec.Struct):
    id: uuid.UUID
    number: str
    kind: str
    date: dt.date
    reference: str
    source_type: str | None
    source_id: str | None
    from_location_id: uuid.UUID
    to_location_id: uuid.UUID
    value: Decimal
    currency: str | None
    entry_id: uuid.UUID | None
    entry_number: str | None
    created_by: uuid.UUID | None
    created_at: dt.datetime


class PickingDetail(PickingOut):
    moves: list[MoveOut]


def picking_out(picking: Picking) -> PickingOut:
    return msgspec.convert(picking, PickingOut, from_attributes=True)


async def picking_detail(db: AsyncSession, picking: Picking) -> PickingDetail:
    moves = await db.scalars(select(Move).where(Move.picking_id == picking.id).order_by(Move.id))
    return PickingDetail(
        **msgspec.structs.asdict(picking_out(picking)),
        moves=[msgspec.convert(m, MoveOut, from_attributes=True) for m in moves],
    )


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _lines(lines: list[Any]) -> list[dict[str, Any]]:
    return [msgspec.structs.asdict(line) for line in lines]


def _source(source_type: str | None, source_id: str | None) -> tuple[str, str] | None:
    if (source_type is None) != (source_id is None):
        raise Invalid("source_id" if source_id is None else "source_type", "goes with the other")
    if source_type is None or source_id is None:
        return None
    return reservations.checked_source(source_type, source_id)


class MovesController(Controller):
    path = "/"
    tags = ["inventory"]

    @post(
        "/receipts",
        status_code=HTTP_201_CREATED,
        summary="Receive goods from a vendor (IN/…), valued at their cost",
        opt=requires(STOCK_MOVE),
    )
    async def receive(self, data: JSONBody[ReceiptIn], actor: Member, uow: Uow) -> PickingDetail:
        location = None
        if data.location_id is not None:
            location = await get_location(uow.db, actor.tenant, data.location_id, "location_id")
        picking = await operations.receive(
            uow.db,
            actor.tenant,
            lines=_lines(data.lines),
            on=data.date or today(),
            reference=data.reference.strip(),
            location=location,
            source=_source(data.source_type, data.source_id),
            created_by=actor.user_id,
        )
        return await picking_detail(uow.db, picking)

    @post(
        "/deliveries",
        status_code=HTTP_201_CREATED,
        summary="Deliver goods to a customer (OUT/…) at the moving-average cost",
        opt=requires(STOCK_MOVE),
    )
    async def deliver(self, data: JSONBody[DeliveryIn], actor: Member, uow: Uow) -> PickingDetail:
        location = None
        if data.location_id is not None:
            location = await get_location(uow.db, actor.tenant, data.location_id, "location_id")
        picking = await operations.deliver(
            uow.db,
            actor.tenant,
            lines=_lines(data.lines),
            on=data.date or today(),
            reference=data.reference.strip(),
            location=location,
            source=_source(data.source_type, data.source_id),
            created_by=actor.user_id,
        )
        return await picking_detail(uow.db, picking)

    @post(
        "/transfers",
        status_code=HTTP_201_CREATED,
        summary="Move goods between internal locations (INT/…)",
        opt=requires(STOCK_MOVE),
    )
    async def transfer(self, data: JSONBody[TransferIn], actor: Member, uow: Uow) -> PickingDetail:
        picking = await operations.transfer(
            uow.db,
            actor.tenant,
            lines=_lines(data.lines),
            on=data.date or today(),
            source=await get_location(
                uow.db, actor.tenant, data.from_location_id, "from_location_id"
            ),
            destination=await get_location(
                uow.db, actor.tenant, data.to_location_id, "to_location_id"
            ),
            reference=data.reference.strip(),
            created_by=actor.user_id,
        )
        return await picking_detail(uow.db, picking)

    @post(
        "/reservations",
        status_code=HTTP_201_CREATED,
        summary="Hold stock for a document (what it holds in all)",
        opt=requires(STOCK_MOVE),
    )
    async def reserve(
        self, data: JSONBody[ReservationIn], actor: Member, uow: Uow
    ) -> list[ReservationOut]:
        source_type, source_id = reservations.checked_source(data.source_type, data.source_id)
        if data.location_id is None:
            location = await default_stock(uow.db, actor.tenant)
        else:
            location = await get_location(uow.db, actor.tenant, data.location_id, "location_id")
            if location.kind != "internal":
                raise Invalid("location_id", f"{location.full_name} is not an internal location")
        held = await reservations.reserve(
            uow.db,
            actor.tenant,
            source_type=source_type,
            source_id=source_id,
            location=location,
            lines=await resolve_lines(uow.db, actor.tenant, _lines(data.lines)),
        )
        return [msgspec.convert(r, ReservationOut, from_attributes=True) for r in held]

    @post(
        "/reservations/release",
        status_code=HTTP_200_OK,
        summary="Give back everything a document holds",
        opt=requires(STOCK_MOVE),
    )
    async def release(self, data: JSONBody[ReleaseIn], actor: Member, uow: Uow) -> ReleasedOut:
        source_type, source_id = reservations.checked_source(data.source_type, data.source_id)
        released = await reservations.release(
            uow.db, actor.tenant, source_type=source_type, source_id=source_id
        )
        return ReleasedOut(released=released)

    @get("/reservations", summary="What documents hold", opt=requires(STOCK_READ))
    async def list_reservations(
        self,
        actor: Member,
        uow: Uow,
        source_type: Annotated[str | None, QueryParameter(max_length=60)] = None,
        source_id: Annotated[str | None, QueryParameter(max_length=100)] = None,
        product_id: uuid.UUID | None = None,
    ) -> list[ReservationOut]:
        query = select(Reservation).order_by(Reservation.id).limit(1000)
        if source_type is not None:
            query = query.where(Reservation.source_type == source_type)
        if source_id is not None:
            query = query.where(Reservation.source_id == source_id)
        if product_id is not None:
            query = query.where(Reservation.product_id == product_id)
        return [
            msgspec.convert(r, ReservationOut, from_attributes=True)
            for r in await uow.db.scalars(query)
        ]


class PickingsController(Controller):
    path = "/pickings"
    tags = ["inventory"]

    @get("/", summary="Pickings, newest first", opt=requires(STOCK_READ))
    async def list_pickings(
        self,
        actor: Member,
        uow: Uow,
        kind: Annotated[
            str | None, QueryParameter(description="receipt, delivery, transfer or adjustment")
        ] = None,
        source_type: Annotated[str | None, QueryParameter(max_length=60)] = None,
        source_id: Annotated[str | None, QueryParameter(max_length=100)] = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[PickingOut]:
        page = SORTING.page(select(Picking), sort, cursor, limit)
        query = page.query
        if kind is not None:
            if kind not in PICKING_KINDS:
                raise Invalid("kind", f"is one of {', '.join(PICKING_KINDS)}")
            query = query.where(Picking.kind == kind)
        if source_type is not None:
            query = query.where(Picking.source_type == source_type)
        if source_id is not None:
            query = query.where(Picking.source_id == source_id)
        return page.of(list((await uow.db.scalars(query)).all()), picking_out)

    @get("/{picking_id:uuid}", summary="One picking with its moves", opt=requires(STOCK_READ))
    async def get_one(
        self, picking_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> PickingDetail:
        picking = await uow.db.get(Picking, (actor.tenant, picking_id))
        if picking is None:
            raise NotFound("No such picking.")
        return await picking_detail(uow.db, picking)
