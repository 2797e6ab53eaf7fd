"""Reports: the stock balance (per product and internal location, quantity and value at the
moving average, as of now), the history of moves, their XLSX exports, and the stock value
figure of the dashboard.

Mounted under /api/v1/inventory/reports; all need ``inventory.stock.read``.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import IO, Annotated

import anyio
import msgspec
import openpyxl
from litestar import Controller, get
from litestar.params import QueryParameter
from litestar.response import Stream
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from tessera.plugin import (
    DEFAULT_LIMIT,
    CursorQuery,
    Invalid,
    LimitQuery,
    Member,
    Page,
    Uow,
    check_limit,
    decode_cursor,
    page_of,
    requires,
    round_money,
)
from tessera_inventory.models import STOCK_READ, Location, Move, Picking, Product, Quant
from tessera_inventory.valuation import ledger

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows an export holds at most: a report, not a backup.
MAX_EXPORT = 100_000
ProductFilter = Annotated[uuid.UUID | None, QueryParameter(description="One product")]
LocationFilter = Annotated[uuid.UUID | None, QueryParameter(description="One location")]
From = Annotated[dt.date | None, QueryParameter(description="From this day (included)")]
To = Annotated[dt.date | None, QueryParameter(description="To this day (included)")]


class BalanceRow(msgspec.Struct):
    id: uuid.UUID
    product_id: uuid.UUID
    sku: str
    product: str
    location_id: uuid.UUID
    location: str
    quantity: Decimal
    reserved: Decimal
    unit_cost: Decimal
    value: Decimal
    currency: str


class MoveRow(msgspec.Struct):
    id: uuid.UUID
    date: dt.date
    picking_id: uuid.UUID
    number: str
    kind: str
    reference: str
    product_id: uuid.UUID
    sku: str
    product: str
    from_location: str
    to_location: str
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal


class StockValue(msgspec.Struct):
    value: Decimal
    currency: str
    products: int


BALANCE_COLUMNS = (
    "sku",
    "product",
    "location",
    "quantity",
    "reserved",
    "unit_cost",
    "value",
    "currency",
)
MOVE_COLUMNS = (
    "date", "number", "kind", "reference", "sku", "product", "from_location", "to_location",
    "quantity", "unit_cost", "value",
)  # fmt: skip


def _balance_query(
    product_id: uuid.UUID | None, location_id: uuid.UUID | None
) -> Select[Quant, Product, Location]:
    query = (
        select(Quant, Product, Location)
        .join(Product, and_(Product.tenant_id == Quant.tenant_id, Product.id == Quant.product_id))
        .join(
            Location, and_(Location.tenant_id == Quant.tenant_id, Location.id == Quant.location_id)
        )
        .where(Location.kind == "internal", (Quant.quantity != 0) | (Quant.reserved != 0))
        .order_by(Quant.id)
    )
    if product_id is not None:
        query = query.where(Quant.product_id == product_id)
    if location_id is not None:
        query = query.where(Quant.location_id == location_id)
    return query


def _balance_row(quant: Quant, product: Product, location: Location, currency: str) -> BalanceRow:
    value = (
        round_money(quant.quantity * product.cost, currency)
        if product.type == "stockable"
        else Decimal(0)
    )
    return BalanceRow(
        id=quant.id,
        product_id=product.id,
        sku=product.sku,
        product=product.name,
        location_id=location.id,
        location=location.full_name,
        quantity=quant.quantity,
        reserved=quant.reserved,
        unit_cost=product.cost,
        value=value,
        currency=currency,
    )


def _moves_query(
    product_id: uuid.UUID | None,
    location_id: uuid.UUID | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> Select[Move, Picking, Product, str, str]:
    if date_from and date_to and date_from > date_to:
        raise Invalid("date_to", "must not be before date_from")
    source, destination = aliased(Location), aliased(Location)
    query = (
        select(Move, Picking, Product, source.full_name, destination.full_name)
        .join(Picking, and_(Picking.tenant_id == Move.tenant_id, Picking.id == Move.picking_id))
        .join(Product, and_(Product.tenant_id == Move.tenant_id, Product.id == Move.product_id))
        .join(source, and_(source.tenant_id == Move.tenant_id, source.id == Move.from_location_id))
        .join(
            destination,
            and_(destination.tenant_id == Move.tenant_id, destination.id == Move.to_location_id),
        )
        .order_by(Move.id)
    )
    if product_id is not None:
        query = query.where(Move.product_id == product_id)
    if location_id is not None:
        query = query.where(
            (Move.from_location_id == location_id) | (Move.to_location_id == location_id)
        )
    if date_from is not None:
        query = query.where(Move.date >= date_from)
    if date_to is not None:
        query = query.where(Move.date <= date_to)
    return query


def _move_row(
    move: Move, picking: Picking, product: Product, source: str, destination: str
) -> MoveRow:
    return MoveRow(
        id=move.id,
        date=move.date,
        picking_id=picking.id,
        number=picking.number,
        kind=picking.kind,
        reference=picking.reference,
        product_id=product.id,
        sku=product.sku,
        product=product.name,
        from_location=source,
        to_location=destination,
        quantity=move.quantity,
        unit_cost=move.unit_cost,
        value=move.value,
    )


async def _currency(db: AsyncSession, tenant_id: uuid.UUID) -> str:
    return await ledger().company_currency(db, tenant_id)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _workbook(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> IO[bytes]:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(list(header))
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, Decimal):
                # Numbers stay numbers in the sheet, so it can sum them.
                cells.append(WriteOnlyCell(sheet, value=float(value)))
                continue
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", _cell_text(value)))
            cell.data_type = "s"  # text, even if it starts with "=": never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


async def _xlsx(name: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Stream:
    file = await anyio.to_thread.run_sync(_workbook, name, header, rows)
    filename = f"{name}-{dt.datetime.now(dt.UTC).date().isoformat()}.xlsx"
    return Stream(
        iter([file.read()]),
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class ReportsController(Controller):
    path = "/reports"
    tags = ["inventory"]

    @get(
        "/stock-balance",
        summary="On hand and its value per product and location",
        opt=requires(STOCK_READ),
    )
    async def balance(
        self,
        actor: Member,
        uow: Uow,
        product_id: ProductFilter = None,
        location_id: LocationFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[BalanceRow]:
        currency = await _currency(uow.db, actor.tenant)
        query = _balance_query(product_id, location_id).limit(check_limit(limit) + 1)
        if (after := decode_cursor(cursor)) is not None:
            query = query.where(Quant.id > after)
        rows = [_balance_row(q, p, loc, currency) for q, p, loc in await uow.db.execute(query)]
        return page_of(rows, limit, key=lambda r: r.id, render=lambda r: r)

    @get("/stock-balance/export", summary="The stock balance as XLSX", opt=requires(STOCK_READ))
    async def balance_export(
        self,
        actor: Member,
        uow: Uow,
        product_id: ProductFilter = None,
        location_id: LocationFilter = None,
    ) -> Stream:
        currency = await _currency(uow.db, actor.tenant)
        result = await uow.db.execute(_balance_query(product_id, location_id).limit(MAX_EXPORT))
        rows = [_balance_row(q, p, loc, currency) for q, p, loc in result]
        cells = [[getattr(r, c) for c in BALANCE_COLUMNS] for r in rows]
        return await _xlsx("stock-balance", BALANCE_COLUMNS, cells)

    @get("/moves", summary="Stock move history", opt=requires(STOCK_READ))
    async def moves(
        self,
        actor: Member,
        uow: Uow,
        product_id: ProductFilter = None,
        location_id: LocationFilter = None,
        date_from: From = None,
        date_to: To = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[MoveRow]:
        query = _moves_query(product_id, location_id, date_from, date_to).limit(
            check_limit(limit) + 1
        )
        if (after := decode_cursor(cursor)) is not None:
            query = query.where(Move.id > after)
        rows = [_move_row(*row) for row in await uow.db.execute(query)]
        return page_of(rows, limit, key=lambda r: r.id, render=lambda r: r)

    @get("/moves/export", summary="Stock move history as XLSX", opt=requires(STOCK_READ))
    async def moves_export(
        self,
        actor: Member,
        uow: Uow,
        product_id: ProductFilter = None,
        location_id: LocationFilter = None,
        date_from: From = None,
        date_to: To = None,
    ) -> Stream:
        query = _moves_query(product_id, location_id, date_from, date_to).limit(MAX_EXPORT)
        rows = [_move_row(*row) for row in await uow.db.execute(query)]
        cells = [[getattr(r, c) for c in MOVE_COLUMNS] for r in rows]
        return await _xlsx("stock-moves", MOVE_COLUMNS, cells)

    @get("/stock-value", summary="What the stock on hand is worth", opt=requires(STOCK_READ))
    async def stock_value(self, actor: Member, uow: Uow) -> StockValue:
        currency = await _currency(uow.db, actor.tenant)
        per_product = (
            select(Product.id, func.sum(Quant.quantity).label("held"), Product.cost)
            .join(Quant, and_(Quant.tenant_id == Product.tenant_id, Quant.product_id == Product.id))
            .join(
                Location,
                and_(Location.tenant_id == Quant.tenant_id, Location.id == Quant.location_id),
            )
            .where(Location.kind == "internal", Product.type == "stockable")
            .group_by(Product.id, Product.cost)
        )
        total, products = Decimal(0), 0
        for _, held, cost in await uow.db.execute(per_product):
            if held:
                total += round_money(held * cost, currency)
                products += 1
        return StockValue(value=total, currency=currency, products=products)
