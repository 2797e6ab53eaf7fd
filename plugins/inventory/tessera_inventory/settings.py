"""The tenant's inventory settings: whether stock may go negative, and the default warehouse
(where the ``inventory.stock`` service receives, delivers and reserves).

Mounted under /api/v1/inventory/settings. Negative stock is a rule the database holds on each
on-hand row (a trigger copies the setting there on every write), so turning it off while some
row is below zero is refused: move stock in first.
"""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, get, patch
from litestar.params import JSONBody
from sqlalchemy import func, select

from tessera.plugin import Conflict, Input, Invalid, Member, Uow, requires
from tessera_inventory.locations import settings_of
from tessera_inventory.models import SETTINGS, STOCK_READ, Quant, Warehouse


class SettingsPatch(Input):
    allow_negative_stock: bool | None = None
    default_warehouse_id: uuid.UUID | None = None


class SettingsOut(msgspec.Struct):
    allow_negative_stock: bool
    default_warehouse_id: uuid.UUID | None


class SettingsController(Controller):
    path = "/settings"
    tags = ["inventory"]

    @get("/", summary="Inventory settings", opt=requires(STOCK_READ))
    async def read(self, actor: Member, uow: Uow) -> SettingsOut:
        settings = await settings_of(uow.db)
        return SettingsOut(settings.allow_negative_stock, settings.default_warehouse_id)

    @patch("/", summary="Change the inventory settings", opt=requires(SETTINGS))
    async def change(self, data: JSONBody[SettingsPatch], actor: Member, uow: Uow) -> SettingsOut:
        settings = await settings_of(uow.db)
        if data.default_warehouse_id is not None:
            if await uow.db.get(Warehouse, (actor.tenant, data.default_warehouse_id)) is None:
                raise Invalid("default_warehouse_id", "is not a known warehouse")
            settings.default_warehouse_id = data.default_warehouse_id
        if data.allow_negative_stock is False and settings.allow_negative_stock:
            negative = await uow.db.scalar(
                select(func.count()).select_from(Quant).where(Quant.quantity < 0)
            )
            if negative:
                raise Conflict(
                    f"{negative} on-hand quantities are below zero: bring them to zero or more "
                    "before refusing negative stock."
                )
        if data.allow_negative_stock is not None:
            settings.allow_negative_stock = data.allow_negative_stock
        await uow.db.flush()
        return SettingsOut(settings.allow_negative_stock, settings.default_warehouse_id)
