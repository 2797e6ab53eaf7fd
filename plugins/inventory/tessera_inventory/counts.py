"""Stock counts: what was found at a location, and the adjustments that make on-hand agree.

Mounted under /api/v1/inventory/counts. A count names a location and the counted quantity of
each product (in its stock unit); under the quants' locks, what the books expected is kept on
the count's lines and the differences become ADJ pickings — gains in from, losses out to, the
inventory adjustment location, valued at the moving average (stock vs stock_adjustment).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED
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
    uuid7,
)
from tessera_inventory import operations
from tessera_inventory.locations import get_location
from tessera_inventory.models import (
    STOCK_MOVE,
    STOCK_READ,
    Picking,
    Product,
    StockCount,
    StockCountLine,
)
from tessera_inventory.pickings import today
from tessera_inventory.stock import lock_products, lock_quants
from tessera_inventory.units import QuantityIn, checked_quantity

COUNT_SOURCE = "inventory.count"
SORTING = Sorting(
    {"date": StockCount.date, "created_at": StockCount.created_at},
    StockCount.id,
    default="-created_at",
)


class CountLineIn(Input):
    product_id: uuid.UUID
    #: In the product's stock unit; 0 when none was found.
    counted: QuantityIn


class CountIn(Input):
    location_id: uuid.UUID
    lines: Annotated[list[CountLineIn], msgspec.Meta(min_length=1, max_length=2000)]
    date: dt.date | None = None
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""


class CountLineOut(msgspec.Struct):
    product_id: uuid.UUID
    expected: Decimal
    counted: Decimal
    difference: Decimal


class CountOut(msgspec.Struct):
    id: uuid.UUID
    location_id: uuid.UUID
    date: dt.date
    note: str
    counted_by: uuid.UUID | None
    #: The ADJ pickings it made (gains, losses), by number.
    adjustments: list[str]
    lines: list[CountLineOut]
    created_at: dt.datetime


async def _products(db: AsyncSession, lines: list[CountLineIn]) -> dict[uuid.UUID, Product]:
    seen: set[uuid.UUID] = set()
    for i, line in enumerate(lines):
        if line.product_id in seen:
            raise Invalid(f"lines[{i}].product_id", "is counted twice")
        seen.add(line.product_id)
    found = {p.id: p for p in await db.scalars(select(Product).where(Product.id.in_(seen)))}
    for i, line in enumerate(lines):
        product = found.get(line.product_id)
        if product is None:
            raise Invalid(f"lines[{i}].product_id", "is not a known product")
        if product.type == "service":
            raise Invalid(f"lines[{i}].product_id", f"{product.sku} is a service: it has no stock")
    return found


async def count_out(db: AsyncSession, count: StockCount) -> CountOut:
    lines = await db.scalars(
        select(StockCountLine)
        .where(StockCountLine.count_id == count.id)
        .order_by(StockCountLine.id)
    )
    numbers = await db.scalars(
        select(Picking.number)
        .where(Picking.source_type == COUNT_SOURCE, Picking.source_id == str(count.id))
        .order_by(Picking.number)
    )
    return CountOut(
        id=count.id,
        location_id=count.location_id,
        date=count.date,
        note=count.note,
        counted_by=count.counted_by,
        adjustments=list(numbers),
        lines=[
            CountLineOut(c.product_id, c.expected, c.counted, c.counted - c.expected) for c in lines
        ],
        created_at=count.created_at,
    )


class CountsController(Controller):
    path = "/counts"
    tags = ["inventory"]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Record a stock count and adjust on-hand to it (ADJ/…)",
        opt=requires(STOCK_MOVE),
    )
    async def create(self, data: JSONBody[CountIn], actor: Member, uow: Uow) -> CountOut:
        db, tenant = uow.db, actor.tenant
        location = await get_location(db, tenant, data.location_id, "location_id")
        if location.kind != "internal":
            raise Invalid("location_id", f"{location.full_name} is not an internal location")
        counted = {
            line.product_id: checked_quantity(line.counted, f"lines[{i}].counted", allow_zero=True)
            for i, line in enumerate(data.lines)
        }
        products = await _products(db, data.lines)
        # Products before quants, as every picking locks them: two never wait on each other.
        await lock_products(db, list(products), exclusive=False)
        quants = await lock_quants(db, tenant, [(p, location.id) for p in counted])
        count = StockCount(
            tenant_id=tenant,
            id=uuid7(),
            location_id=location.id,
            date=data.date or today(),
            note=data.note.strip(),
            counted_by=actor.user_id,
        )
        expected = {p: quants[(p, location.id)].quantity for p in counted}
        await operations.adjust(
            db,
            tenant,
            location=location,
            differences=[
                (products[p], counted[p] - expected[p])
                for p in counted
                if counted[p] != expected[p]
            ],
            on=count.date,
            reference=f"Count {count.date.isoformat()} {location.full_name}",
            source=(COUNT_SOURCE, str(count.id)),
            created_by=actor.user_id,
        )
        db.add(count)
        await db.flush()
        db.add_all(
            StockCountLine(
                tenant_id=tenant,
                count_id=count.id,
                product_id=p,
                expected=expected[p],
                counted=counted[p],
            )
            for p in counted
        )
        await db.flush()
        await db.refresh(count)
        return await count_out(db, count)

    @get("/", summary="Stock counts, newest first", opt=requires(STOCK_READ))
    async def list_counts(
        self,
        actor: Member,
        uow: Uow,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[CountOut]:
        page = SORTING.page(select(StockCount), sort, cursor, limit)
        rows = list((await uow.db.scalars(page.query)).all())
        rendered = page.of(rows, lambda c: c)
        return Page(
            items=[await count_out(uow.db, c) for c in rendered.items],
            next_cursor=rendered.next_cursor,
        )

    @get("/{count_id:uuid}", summary="One stock count", opt=requires(STOCK_READ))
    async def get_one(self, count_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> CountOut:
        count = await uow.db.get(StockCount, (actor.tenant, count_id))
        if count is None:
            raise NotFound("No such stock count.")
        return await count_out(uow.db, count)
