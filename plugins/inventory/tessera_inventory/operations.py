"""The four operations on stock, as the routes and the ``inventory.stock`` service call them:
receive from a vendor, deliver to a customer, transfer between internal locations, adjust to a
count. Each is one picking (tessera_inventory.stock) in the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Invalid, emit
from tessera_inventory.locations import default_stock, virtual
from tessera_inventory.models import Location, Move, Picking, Product
from tessera_inventory.stock import Line, Transfer, execute, resolve_lines
from tessera_inventory.valuation import ledger

DELIVERY_DONE = "inventory.delivery.done"


def _internal(location: Location, field: str) -> Location:
    if location.kind != "internal":
        raise Invalid(field, f"{location.full_name} is not an internal location")
    return location


async def receive(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    lines: Sequence[Mapping[str, Any]],
    on: date,
    reference: str = "",
    location: Location | None = None,
    source: tuple[str, str] | None = None,
    created_by: uuid.UUID | None = None,
    skip_services: bool = False,
) -> Picking:
    """Goods in from the vendor location at their unit cost (company currency)."""
    currency = await ledger().company_currency(db, tenant_id)
    resolved = await resolve_lines(
        db, tenant_id, lines, costed=True, currency=currency, skip_services=skip_services
    )
    destination = _internal(location or await default_stock(db, tenant_id), "location_id")
    transfer = Transfer(
        "receipt",
        await virtual(db, "vendor"),
        destination,
        on,
        reference,
        document=source,
        created_by=created_by,
    )
    return await execute(db, tenant_id, transfer, resolved)


async def deliver(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    lines: Sequence[Mapping[str, Any]],
    on: date,
    reference: str = "",
    location: Location | None = None,
    source: tuple[str, str] | None = None,
    created_by: uuid.UUID | None = None,
    skip_services: bool = False,
) -> Picking:
    """Goods out to the customer location at the moving average; a delivery for a document
    consumes what was reserved for it. Emits ``inventory.delivery.done``."""
    resolved = await resolve_lines(db, tenant_id, lines, skip_services=skip_services)
    origin = _internal(location or await default_stock(db, tenant_id), "location_id")
    transfer = Transfer(
        "delivery",
        origin,
        await virtual(db, "customer"),
        on,
        reference,
        document=source,
        created_by=created_by,
        consume_reservations=source is not None,
    )
    picking = await execute(db, tenant_id, transfer, resolved)
    await emit(db, tenant_id, DELIVERY_DONE, await delivery_payload(db, picking))
    return picking


async def transfer(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    lines: Sequence[Mapping[str, Any]],
    on: date,
    source: Location,
    destination: Location,
    reference: str = "",
    created_by: uuid.UUID | None = None,
) -> Picking:
    """Goods from one internal location to another: not valued, the average unchanged."""
    resolved = await resolve_lines(db, tenant_id, lines)
    moving = Transfer(
        "transfer",
        _internal(source, "from_location_id"),
        _internal(destination, "to_location_id"),
        on,
        reference,
        created_by=created_by,
    )
    return await execute(db, tenant_id, moving, resolved)


async def adjust(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    location: Location,
    differences: Sequence[tuple[Product, Decimal]],
    on: date,
    reference: str,
    source: tuple[str, str] | None = None,
    created_by: uuid.UUID | None = None,
) -> list[Picking]:
    """Bring ``location`` to a count: gains come in from the adjustment location and losses
    go out to it, at the average cost (one picking each way, none if nothing differs)."""
    adjustment = await virtual(db, "adjustment")
    pickings: list[Picking] = []
    for sign, origin, destination in ((1, adjustment, location), (-1, location, adjustment)):
        lines = [
            Line(product, difference * sign, product.uom_id, difference * sign)
            for product, difference in differences
            if difference * sign > 0
        ]
        if lines:
            moving = Transfer(
                "adjustment",
                origin,
                destination,
                on,
                reference,
                document=source,
                created_by=created_by,
            )
            pickings.append(await execute(db, tenant_id, moving, lines))
    return pickings


async def delivery_payload(db: AsyncSession, picking: Picking) -> dict[str, Any]:
    rows = await db.execute(
        select(Move, Product.sku)
        .join(Product, (Product.tenant_id == Move.tenant_id) & (Product.id == Move.product_id))
        .where(Move.picking_id == picking.id)
        .order_by(Move.id)
    )
    return {
        "picking_id": str(picking.id),
        "number": picking.number,
        "date": picking.date.isoformat(),
        "source_type": picking.source_type,
        "source_id": picking.source_id,
        "reference": picking.reference,
        "cost": str(picking.value),
        "currency": picking.currency,
        "lines": [
            {
                "product_id": str(move.product_id),
                "sku": sku,
                "quantity": str(move.quantity),
                "cost": str(move.value),
            }
            for move, sku in rows
        ],
    }
