"""Reservations: stock held for a document of another module (a confirmed sales order).

Holding raises the quant's ``reserved`` under its row lock, never past what is on hand and not
yet held (the quant's CHECK refuses it too); releasing lowers it again; a delivery for the
document consumes it (tessera_inventory.stock). Only stockable goods are held: services and
consumables are always there to deliver.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Conflict, Invalid
from tessera_inventory.models import Location, Reservation
from tessera_inventory.stock import Key, Line, lock_quants


def checked_source(source_type: object, source_id: object) -> tuple[str, str]:
    if not isinstance(source_type, str) or not 1 <= len(source_type.strip()) <= 60:
        raise Invalid("source_type", "is 1 to 60 characters")
    if not isinstance(source_id, str | uuid.UUID) or not 1 <= len(str(source_id).strip()) <= 100:
        raise Invalid("source_id", "is 1 to 100 characters")
    return source_type.strip(), str(source_id).strip()


async def reserve(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    source_type: str,
    source_id: str,
    location: Location,
    lines: list[Line],
) -> list[Reservation]:
    """Hold ``lines`` at ``location`` for the document; 409 if not that much is free."""
    wanted: dict[Key, Decimal] = defaultdict(Decimal)
    skus = {line.product.id: line.product.sku for line in lines}
    for line in lines:
        if line.product.type == "stockable":
            wanted[(line.product.id, location.id)] += line.quantity
    quants = await lock_quants(db, tenant_id, list(wanted))
    for key, quantity in sorted(wanted.items()):
        quant = quants[key]
        free = quant.quantity - quant.reserved
        if quantity > free:
            raise Conflict(
                f"Only {max(free, Decimal(0)).normalize():f} of {skus[key[0]]} free at "
                f"{location.full_name}; {quantity.normalize():f} asked."
            )
        quant.reserved += quantity
    held = await _held(db, source_type, source_id)
    for (product_id, location_id), quantity in wanted.items():
        existing = held.get((product_id, location_id))
        if existing is not None:
            existing.quantity += quantity
            continue
        db.add(
            Reservation(
                tenant_id=tenant_id,
                source_type=source_type,
                source_id=source_id,
                product_id=product_id,
                location_id=location_id,
                quantity=quantity,
            )
        )
    await db.flush()
    return list((await _held(db, source_type, source_id)).values())


async def release(
    db: AsyncSession, tenant_id: uuid.UUID, *, source_type: str, source_id: str
) -> Decimal:
    """Give back all the document still holds; the quantity released (0 if nothing was held)."""
    held = await _held(db, source_type, source_id)
    quants = await lock_quants(db, tenant_id, list(held))
    total = Decimal(0)
    for key, reservation in held.items():
        quants[key].reserved -= reservation.quantity
        total += reservation.quantity
        await db.delete(reservation)
    await db.flush()
    return total


async def _held(db: AsyncSession, source_type: str, source_id: str) -> dict[Key, Reservation]:
    query = select(Reservation).where(
        Reservation.source_type == source_type, Reservation.source_id == source_id
    )
    return {(r.product_id, r.location_id): r for r in await db.scalars(query)}
