"""What a tenant gets when it first switches inventory on: its settings, the usual units, the
virtual locations (customers, vendors, inventory adjustment) and a default warehouse."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import uuid7
from tessera_inventory.models import InventorySettings, Location, Uom, UomCategory, Warehouse

#: Category -> (unit, reference units in one, rounding step); the first is the reference.
UNITS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Unit": (("Unit", "1", "1"), ("Dozen", "12", "0.01")),
    "Weight": (("g", "1", "0.01"), ("kg", "1000", "0.001"), ("t", "1000000", "0.000001")),
    "Volume": (("mL", "1", "1"), ("L", "1000", "0.001")),
    "Length": (("cm", "1", "0.1"), ("m", "100", "0.001")),
}


async def seed(db: AsyncSession, tenant_id: uuid.UUID) -> None:
    if await db.scalar(select(InventorySettings.id)) is not None:
        return
    await _units(db, tenant_id)
    # Flushed level by level: without relationships the session does not order the rows.
    partners = _location(db, tenant_id, "Partners", "view", None)
    virtual = _location(db, tenant_id, "Virtual", "view", None)
    view = _location(db, tenant_id, "WH", "view", None)
    await db.flush()
    _location(db, tenant_id, "Customers", "customer", partners)
    _location(db, tenant_id, "Vendors", "vendor", partners)
    _location(db, tenant_id, "Inventory adjustment", "adjustment", virtual)
    stock = _location(db, tenant_id, "Stock", "internal", view)
    await db.flush()
    warehouse = Warehouse(
        tenant_id=tenant_id,
        code="WH",
        name="Main warehouse",
        view_location_id=view.id,
        stock_location_id=stock.id,
    )
    db.add(warehouse)
    await db.flush()
    db.add(InventorySettings(tenant_id=tenant_id, default_warehouse_id=warehouse.id))
    await db.flush()


async def _units(db: AsyncSession, tenant_id: uuid.UUID) -> None:
    categories = {name: UomCategory(tenant_id=tenant_id, id=uuid7(), name=name) for name in UNITS}
    db.add_all(categories.values())
    await db.flush()
    for category_name, units in UNITS.items():
        category = categories[category_name]
        for name, factor, rounding in units:
            db.add(
                Uom(
                    tenant_id=tenant_id,
                    category_id=category.id,
                    name=name,
                    factor=Decimal(factor),
                    rounding=Decimal(rounding),
                )
            )


def _location(
    db: AsyncSession, tenant_id: uuid.UUID, name: str, kind: str, parent: Location | None
) -> Location:
    location = Location(
        tenant_id=tenant_id,
        id=uuid7(),
        name=name,
        kind=kind,
        parent_id=None if parent is None else parent.id,
        full_name=name if parent is None else f"{parent.full_name}/{name}",
    )
    db.add(location)
    return location
