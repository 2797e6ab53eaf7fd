"""The tenant's settings of sales and purchasing, at /api/v1/sales_purchase/settings."""

from __future__ import annotations

import uuid
from decimal import Decimal

import msgspec
from litestar import Controller, get, patch
from litestar.params import JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Input, Invalid, Member, Uow, requires
from tessera_sales_purchase.amounts import Number, decimal_of, percent_of
from tessera_sales_purchase.models import PURCHASE_READ, SETTINGS, SalesSettings


class SettingsOut(msgspec.Struct):
    #: Purchase orders above this total, in the company's currency, need approval (null: none).
    approval_threshold: Decimal | None
    #: How far (percent) a vendor bill's unit price may be from the order's.
    price_tolerance: Decimal


class SettingsPatch(Input):
    approval_threshold: Number | msgspec.UnsetType | None = msgspec.UNSET
    price_tolerance: Number | msgspec.UnsetType = msgspec.UNSET


async def settings_of(
    db: AsyncSession, tenant_id: uuid.UUID, *, lock: bool = False
) -> SalesSettings:
    """The tenant's settings row, made with the defaults the first time it is asked for."""
    query = select(SalesSettings)
    if lock:
        query = query.with_for_update()
    found = (await db.scalars(query)).one_or_none()
    if found is None:
        found = SalesSettings(tenant_id=tenant_id, singleton=True, price_tolerance=Decimal(0))
        db.add(found)
        await db.flush()
    return found


def settings_out(found: SalesSettings) -> SettingsOut:
    return SettingsOut(found.approval_threshold, found.price_tolerance)


class SettingsController(Controller):
    path = "/settings"
    tags = ["sales_purchase"]

    @get(
        "/",
        summary="When purchase orders need approval; bill price tolerance",
        opt=requires(PURCHASE_READ),
    )
    async def read(self, actor: Member, uow: Uow) -> SettingsOut:
        return settings_out(await settings_of(uow.db, actor.tenant))

    @patch(
        "/", summary="Change the approval threshold or the price tolerance", opt=requires(SETTINGS)
    )
    async def change(self, data: JSONBody[SettingsPatch], actor: Member, uow: Uow) -> SettingsOut:
        found = await settings_of(uow.db, actor.tenant, lock=True)
        if not isinstance(data.approval_threshold, msgspec.UnsetType):
            threshold = data.approval_threshold
            if threshold is None:
                found.approval_threshold = None
            else:
                value = decimal_of(threshold, "approval_threshold", places=2)
                if value < 0:
                    raise Invalid("approval_threshold", "must not be negative")
                found.approval_threshold = value
        if not isinstance(data.price_tolerance, msgspec.UnsetType):
            found.price_tolerance = percent_of(data.price_tolerance, "price_tolerance")
        await uow.db.flush()
        return settings_out(found)
