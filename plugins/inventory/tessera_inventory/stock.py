"""Stock moves: the one way on-hand quantities change.

Every receipt, delivery, transfer and adjustment is a picking of done moves, written in one
go: the products are locked (shared; a receipt, which moves the average cost, exclusively),
then the on-hand rows (quants) of every internal location touched, always in the same order
so two pickings never deadlock; then the picking takes its number and its journal entry. The
quants' CHECK constraints refuse what the checks here would have refused, whoever writes.

Only internal locations hold quants: customers, vendors and the adjustment location are
where goods come from and go to, not stock of the company's.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Conflict, Invalid, checked_money, next_document_number, uuid7
from tessera_inventory.models import Location, Move, Picking, Product, Quant, Reservation
from tessera_inventory.units import checked_quantity, convert, get_uom
from tessera_inventory.valuation import average_cost, ledger, post_valuation, value_of

SERIES = {"receipt": "IN", "delivery": "OUT", "transfer": "INT", "adjustment": "ADJ"}
Key = tuple[uuid.UUID, uuid.UUID]


@dataclass(frozen=True, slots=True)
class Line:
    """A line resolved: the product, the quantity in its stock unit and as entered."""

    product: Product
    quantity: Decimal
    uom_id: uuid.UUID
    uom_quantity: Decimal
    #: Receipts: the cost of one stock unit in the company's currency (None: the average).
    unit_cost: Decimal | None = None


@dataclass(slots=True)
class Transfer:
    """What a picking is: its kind, where from and to, when, and for which document."""

    kind: str
    source: Location
    destination: Location
    on: date
    reference: str = ""
    #: (source_type, source_id): the other module's document the picking is for.
    document: tuple[str, str] | None = None
    created_by: uuid.UUID | None = None
    #: A delivery for a document consumes what was reserved for it.
    consume_reservations: bool = False


async def resolve_lines(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    lines: Sequence[Mapping[str, Any]],
    *,
    costed: bool = False,
    currency: str | None = None,
    skip_services: bool = False,
) -> list[Line]:
    """``lines`` as given (``product_id``, ``quantity``, ``uom_id``, ``unit_cost``), checked;
    422 naming ``lines[i].<field>``. A service is not goods: refused, or left out if asked."""
    if not lines:
        raise Invalid("lines", "needs at least one line")
    ids = {_uuid(line.get("product_id"), f"lines[{i}].product_id") for i, line in enumerate(lines)}
    products = {p.id: p for p in await db.scalars(select(Product).where(Product.id.in_(ids)))}
    resolved: list[Line] = []
    for i, line in enumerate(lines):
        product = products.get(_uuid(line.get("product_id"), f"lines[{i}].product_id"))
        if product is None:
            raise Invalid(f"lines[{i}].product_id", "is not a known product")
        if product.type == "service":
            if skip_services:
                continue
            raise Invalid(f"lines[{i}].product_id", f"{product.sku} is a service: it has no stock")
        resolved.append(await _line(db, tenant_id, product, line, i, costed, currency))
    if not resolved:
        raise Invalid("lines", "holds no goods, only services")
    return resolved


async def _line(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    product: Product,
    line: Mapping[str, Any],
    i: int,
    costed: bool,
    currency: str | None,
) -> Line:
    entered = checked_quantity(line.get("quantity", ""), f"lines[{i}].quantity")
    uom_id = line.get("uom_id") or product.uom_id
    uom = await get_uom(db, tenant_id, _uuid(uom_id, f"lines[{i}].uom_id"), f"lines[{i}].uom_id")
    stock_uom = await get_uom(db, tenant_id, product.uom_id, f"lines[{i}].uom_id")
    quantity = convert(entered, uom, stock_uom, f"lines[{i}].uom_id")
    unit_cost: Decimal | None = None
    if costed:
        # Without a price, goods come in at the average read under the product's lock
        # (tessera_inventory.stock._moves): the average stays put.
        given = line.get("unit_cost")
        if given is not None:
            per_entered = checked_money(given, str(currency), f"lines[{i}].unit_cost")
            unit_cost = per_entered * entered / quantity
    return Line(product, quantity, uom.id, entered, unit_cost)


def _uuid(value: Any, field: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Invalid(field, "is not a UUID") from None


def _valued(kind: str, line: Line) -> bool:
    return kind != "transfer" and line.product.type == "stockable"


async def execute(
    db: AsyncSession, tenant_id: uuid.UUID, transfer: Transfer, lines: list[Line]
) -> Picking:
    """Move ``lines`` as one done picking; 409 if stock would go below zero or below what is
    reserved for other documents (unless the tenant allows negative stock)."""
    if transfer.source.id == transfer.destination.id:
        raise Invalid("to_location_id", "must differ from the location the goods leave")
    for end, name in (
        (transfer.source, "from_location_id"),
        (transfer.destination, "to_location_id"),
    ):
        if end.kind == "view":
            raise Invalid(name, f"{end.full_name} is a folder of locations, not a place for stock")
    valued = [line for line in lines if _valued(transfer.kind, line)]
    currency = await ledger().company_currency(db, tenant_id) if valued else None
    products = await lock_products(
        db, [line.product.id for line in lines], exclusive=transfer.kind == "receipt"
    )
    costs = (
        await _receive_costs(db, transfer, lines, products) if transfer.kind == "receipt" else {}
    )
    await _apply_quants(db, tenant_id, transfer, lines)
    picking_id = uuid7()
    number = await next_document_number(db, tenant_id, SERIES[transfer.kind], transfer.on.year)
    moves, values = _moves(tenant_id, picking_id, transfer, lines, products, costs, currency)
    for product_id, cost in costs.items():
        products[product_id].cost = cost
    entry = None
    if currency is not None:
        direction = "in" if transfer.destination.kind == "internal" else "out"
        entry = await post_valuation(
            db,
            tenant_id,
            kind=transfer.kind,
            picking_id=picking_id,
            number=number,
            on=transfer.on,
            currency=currency,
            values=[(direction, f"{number} {label}", value) for label, value in values],
        )
    picking = Picking(
        tenant_id=tenant_id,
        id=picking_id,
        number=number,
        kind=transfer.kind,
        date=transfer.on,
        reference=transfer.reference,
        source_type=None if transfer.document is None else transfer.document[0],
        source_id=None if transfer.document is None else transfer.document[1],
        from_location_id=transfer.source.id,
        to_location_id=transfer.destination.id,
        value=sum((v for _, v in values), Decimal(0)),
        currency=currency,
        entry_id=None if entry is None else entry["id"],
        entry_number=None if entry is None else entry["number"],
        created_by=transfer.created_by,
    )
    db.add(picking)
    await db.flush()
    db.add_all(moves)
    await db.flush()
    return picking


async def lock_products(
    db: AsyncSession, product_ids: Sequence[uuid.UUID], *, exclusive: bool
) -> dict[uuid.UUID, Product]:
    """The products, locked in id order: shared by moves that leave the average alone,
    exclusive by receipts, which change it."""
    ids = sorted(set(product_ids))
    query = (
        select(Product)
        .where(Product.id.in_(ids))
        .order_by(Product.id)
        .with_for_update(read=not exclusive)
        .execution_options(populate_existing=True)
    )
    return {p.id: p for p in await db.scalars(query)}


async def _internal_on_hand(
    db: AsyncSession, product_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Decimal]:
    query = (
        select(Quant.product_id, func.sum(Quant.quantity))
        .join(
            Location, (Location.tenant_id == Quant.tenant_id) & (Location.id == Quant.location_id)
        )
        .where(Quant.product_id.in_(product_ids), Location.kind == "internal")
        .group_by(Quant.product_id)
    )
    return {product_id: total for product_id, total in await db.execute(query)}


async def _receive_costs(
    db: AsyncSession, transfer: Transfer, lines: list[Line], products: dict[uuid.UUID, Product]
) -> dict[uuid.UUID, Decimal]:
    """Each stockable product's average cost after the receipt (read under the product lock)."""
    on_hand = await _internal_on_hand(db, list(products))
    costs: dict[uuid.UUID, Decimal] = {}
    for line in lines:
        product = products[line.product.id]
        if product.type != "stockable" or line.unit_cost is None:
            continue
        held = on_hand.get(product.id, Decimal(0))
        cost = costs.get(product.id, product.cost)
        costs[product.id] = average_cost(held, cost, line.quantity, line.quantity * line.unit_cost)
        on_hand[product.id] = held + line.quantity
    return costs


def _moves(
    tenant_id: uuid.UUID,
    picking_id: uuid.UUID,
    transfer: Transfer,
    lines: list[Line],
    products: dict[uuid.UUID, Product],
    costs: dict[uuid.UUID, Decimal],
    currency: str | None,
) -> tuple[list[Move], list[tuple[str, Decimal]]]:
    moves: list[Move] = []
    values: list[tuple[str, Decimal]] = []
    for line in lines:
        product = products[line.product.id]
        unit_cost, value = Decimal(0), Decimal(0)
        if currency is not None and _valued(transfer.kind, line):
            unit_cost = line.unit_cost if line.unit_cost is not None else product.cost
            value = value_of(line.quantity, unit_cost, currency)
            values.append((product.sku, value))
        moves.append(
            Move(
                tenant_id=tenant_id,
                picking_id=picking_id,
                product_id=product.id,
                date=transfer.on,
                quantity=line.quantity,
                uom_id=line.uom_id,
                uom_quantity=line.uom_quantity,
                from_location_id=transfer.source.id,
                to_location_id=transfer.destination.id,
                unit_cost=unit_cost,
                value=value,
            )
        )
    return moves, values


async def lock_quants(
    db: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[Key]
) -> dict[Key, Quant]:
    """The quants of (product, location) ``keys``, made if missing, locked in key order."""
    ordered = sorted(set(keys))
    if not ordered:
        return {}
    await db.execute(
        insert(Quant)
        .values(
            [
                {"tenant_id": tenant_id, "id": uuid7(), "product_id": p, "location_id": loc}
                for p, loc in ordered
            ]
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "product_id", "location_id"])
    )
    query = (
        select(Quant)
        .where(tuple_(Quant.product_id, Quant.location_id).in_(ordered))
        .order_by(Quant.product_id, Quant.location_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {(q.product_id, q.location_id): q for q in await db.scalars(query)}


async def _apply_quants(
    db: AsyncSession, tenant_id: uuid.UUID, transfer: Transfer, lines: list[Line]
) -> None:
    deltas: dict[Key, Decimal] = defaultdict(Decimal)
    names = {line.product.id: line.product.sku for line in lines}
    for line in lines:
        if transfer.source.kind == "internal":
            deltas[(line.product.id, transfer.source.id)] -= line.quantity
        if transfer.destination.kind == "internal":
            deltas[(line.product.id, transfer.destination.id)] += line.quantity
    quants = await lock_quants(db, tenant_id, list(deltas))
    released = await _consume(db, transfer, deltas) if transfer.consume_reservations else {}
    for key, delta in deltas.items():
        quant = quants[key]
        quantity = quant.quantity + delta
        reserved = quant.reserved - released.get(key, Decimal(0))
        if delta < 0 and not quant.allow_negative:
            _refuse_shortage(names[key[0]], transfer.source, quant, -delta, reserved, quantity)
        quant.quantity = quantity
        quant.reserved = reserved
    await db.flush()


def _refuse_shortage(
    sku: str, location: Location, quant: Quant, wanted: Decimal, reserved: Decimal, after: Decimal
) -> None:
    if after < 0:
        raise Conflict(
            f"Not enough {sku} at {location.full_name}: {quant.quantity.normalize():f} on hand, "
            f"{wanted.normalize():f} to move."
        )
    if reserved > after:
        free = quant.quantity - quant.reserved
        raise Conflict(
            f"{sku} at {location.full_name} is reserved for other documents: "
            f"{max(free, Decimal(0)).normalize():f} free, {wanted.normalize():f} to move."
        )


async def _consume(
    db: AsyncSession, transfer: Transfer, deltas: Mapping[Key, Decimal]
) -> dict[Key, Decimal]:
    """Take what leaves out of the reservations of the transfer's document; what was reserved
    beyond the delivered quantity stays reserved (the rest of the order)."""
    if transfer.document is None:
        return {}
    source_type, source_id = transfer.document
    query = (
        select(Reservation)
        .where(
            Reservation.source_type == source_type,
            Reservation.source_id == source_id,
            Reservation.location_id == transfer.source.id,
        )
        .with_for_update()
    )
    released: dict[Key, Decimal] = {}
    for reservation in await db.scalars(query):
        key = (reservation.product_id, reservation.location_id)
        leaving = -deltas.get(key, Decimal(0))
        if leaving <= 0:
            continue
        taken = min(leaving, reservation.quantity)
        released[key] = taken
        if taken == reservation.quantity:
            await db.delete(reservation)
        else:
            reservation.quantity -= taken
    return released
