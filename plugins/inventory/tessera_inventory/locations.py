"""Warehouses and the tree of locations.

Mounted under /api/v1/inventory. A warehouse is a view location (its code) with a stock
location below it, where goods are received and delivered from; more internal locations
(shelves, a quality area) may be made under either. Each tenant has one location of each
virtual kind — customers, vendors, inventory adjustment — made when it switches the module on.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Conflict, Input, Invalid, Member, NotFound, Uow, requires, uuid7
from tessera_inventory.catalog import clean
from tessera_inventory.models import (
    LOCATION_KINDS,
    SETTINGS,
    STOCK_READ,
    InventorySettings,
    Location,
    Warehouse,
)

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=8, pattern=r"^[A-Za-z0-9]+$")]
WarehouseName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
LocationName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]


class WarehouseIn(Input):
    code: Code
    name: WarehouseName


class WarehouseOut(msgspec.Struct):
    id: uuid.UUID
    code: str
    name: str
    view_location_id: uuid.UUID
    stock_location_id: uuid.UUID
    is_default: bool


class LocationIn(Input):
    name: LocationName
    parent_id: uuid.UUID
    kind: Annotated[str, msgspec.Meta(description="internal or view")] = "internal"


class LocationOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    full_name: str
    parent_id: uuid.UUID | None
    kind: str
    active: bool


def location_out(location: Location) -> LocationOut:
    return msgspec.convert(location, LocationOut, from_attributes=True)


async def get_location(
    db: AsyncSession, tenant_id: uuid.UUID, location_id: uuid.UUID, field: str
) -> Location:
    """The location named in a body's ``field``; 422 if the tenant has none such."""
    location = await db.get(Location, (tenant_id, location_id))
    if location is None:
        raise Invalid(field, "is not a known location")
    return location


async def virtual(db: AsyncSession, kind: str) -> Location:
    location = await db.scalar(select(Location).where(Location.kind == kind))
    if location is None:
        raise Conflict(f"The tenant has no {kind} location: switch inventory off and on again.")
    return location


async def settings_of(db: AsyncSession) -> InventorySettings:
    settings: InventorySettings | None = await db.scalar(select(InventorySettings))
    if settings is None:
        raise Conflict("Inventory is not set up for this tenant: switch it off and on again.")
    return settings


async def default_stock(db: AsyncSession, tenant_id: uuid.UUID) -> Location:
    """The stock location of the tenant's default warehouse: where services receive into,
    deliver from and reserve."""
    settings = await settings_of(db)
    warehouse = None
    if settings.default_warehouse_id is not None:
        warehouse = await db.get(Warehouse, (tenant_id, settings.default_warehouse_id))
    if warehouse is None:
        raise Conflict("Choose a default warehouse in the inventory settings first.")
    return await get_location(db, tenant_id, warehouse.stock_location_id, "warehouse_id")


async def _warehouse_out(db: AsyncSession, warehouse: Warehouse) -> WarehouseOut:
    settings = await settings_of(db)
    return WarehouseOut(
        id=warehouse.id,
        code=warehouse.code,
        name=warehouse.name,
        view_location_id=warehouse.view_location_id,
        stock_location_id=warehouse.stock_location_id,
        is_default=settings.default_warehouse_id == warehouse.id,
    )


async def _refuse_taken_path(db: AsyncSession, full_name: str) -> None:
    if await db.scalar(select(Location.id).where(Location.full_name == full_name)) is not None:
        raise Conflict(f"A location is already at {full_name!r}.")


class WarehousesController(Controller):
    path = "/warehouses"
    tags = ["inventory"]

    @get("/", summary="Warehouses", opt=requires(STOCK_READ))
    async def list_warehouses(self, actor: Member, uow: Uow) -> list[WarehouseOut]:
        rows = await uow.db.scalars(select(Warehouse).order_by(Warehouse.code))
        return [await _warehouse_out(uow.db, w) for w in rows]

    @post("/", status_code=HTTP_201_CREATED, summary="Add a warehouse", opt=requires(SETTINGS))
    async def create(self, data: JSONBody[WarehouseIn], actor: Member, uow: Uow) -> WarehouseOut:
        code, name = data.code.upper(), " ".join(data.name.split())
        if not name:
            raise Invalid("name", "must not be blank")
        taken = await uow.db.scalar(
            select(Warehouse.id).where((Warehouse.code == code) | (Warehouse.name == name))
        )
        if taken is not None:
            raise Conflict(f"A warehouse already has the code {code!r} or the name {name!r}.")
        await _refuse_taken_path(uow.db, code)
        view = Location(tenant_id=actor.tenant, id=uuid7(), name=code, full_name=code, kind="view")
        stock = Location(
            tenant_id=actor.tenant,
            id=uuid7(),
            name="Stock",
            full_name=f"{code}/Stock",
            kind="internal",
            parent_id=view.id,
        )
        uow.db.add_all([view, stock])
        await uow.db.flush()
        warehouse = Warehouse(
            tenant_id=actor.tenant,
            code=code,
            name=name,
            view_location_id=view.id,
            stock_location_id=stock.id,
        )
        uow.db.add(warehouse)
        await uow.db.flush()
        return await _warehouse_out(uow.db, warehouse)

    @get("/{warehouse_id:uuid}", summary="One warehouse", opt=requires(STOCK_READ))
    async def get_one(
        self, warehouse_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> WarehouseOut:
        warehouse = await uow.db.get(Warehouse, (actor.tenant, warehouse_id))
        if warehouse is None:
            raise NotFound("No such warehouse.")
        return await _warehouse_out(uow.db, warehouse)


class LocationsController(Controller):
    path = "/locations"
    tags = ["inventory"]

    @get("/", summary="Locations, by path", opt=requires(STOCK_READ))
    async def list_locations(
        self,
        actor: Member,
        uow: Uow,
        kind: Annotated[str | None, QueryParameter(description="One kind of location")] = None,
        parent_id: uuid.UUID | None = None,
    ) -> list[LocationOut]:
        query = select(Location).order_by(Location.full_name)
        if kind is not None:
            if kind not in LOCATION_KINDS:
                raise Invalid("kind", f"is one of {', '.join(LOCATION_KINDS)}")
            query = query.where(Location.kind == kind)
        if parent_id is not None:
            query = query.where(Location.parent_id == parent_id)
        return [location_out(loc) for loc in await uow.db.scalars(query)]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Add an internal location (or a folder of them) under another",
        opt=requires(SETTINGS),
    )
    async def create(self, data: JSONBody[LocationIn], actor: Member, uow: Uow) -> LocationOut:
        if data.kind not in ("internal", "view"):
            raise Invalid("kind", "is internal or view: each virtual location exists once")
        parent = await get_location(uow.db, actor.tenant, data.parent_id, "parent_id")
        if parent.kind not in ("internal", "view"):
            raise Invalid("parent_id", f"{parent.full_name} is a virtual location")
        name = clean(data.name)
        full_name = f"{parent.full_name}/{name}"
        await _refuse_taken_path(uow.db, full_name)
        location = Location(
            tenant_id=actor.tenant,
            name=name,
            full_name=full_name,
            kind=data.kind,
            parent_id=parent.id,
        )
        uow.db.add(location)
        await uow.db.flush()
        return location_out(location)

    @get("/{location_id:uuid}", summary="One location", opt=requires(STOCK_READ))
    async def get_one(
        self, location_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> LocationOut:
        location = await uow.db.get(Location, (actor.tenant, location_id))
        if location is None:
            raise NotFound("No such location.")
        return location_out(location)
