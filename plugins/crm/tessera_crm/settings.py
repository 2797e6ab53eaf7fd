"""The tenant's CRM rules (lead pool, discount approval, currency). Under /api/v1/crm/settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, get, put
from litestar.params import JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Input, Invalid, Member, Uow, requires
from tessera_crm.models import CrmSettings

READ, MANAGE = "crm.deal.read", "crm.settings.manage"
Currency = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$", description="ISO 4217 code")]


class SettingsIn(Input):
    #: Leads untouched for this many days go back to the pool; 0 turns the rule off.
    lead_pool_days: Annotated[int, msgspec.Meta(ge=0, le=3650)]
    #: Deals discounted by more than this percentage (0 to 100) need approval before they are
    #: won. Checked by the handler: msgspec bounds only ints and floats.
    discount_threshold: Decimal
    default_currency: Currency


class SettingsOut(msgspec.Struct):
    lead_pool_days: int
    discount_threshold: Decimal
    default_currency: str


async def crm_settings(db: AsyncSession) -> CrmSettings:
    """The current tenant's settings; the defaults (not yet stored) if it never changed them."""
    found = (await db.execute(select(CrmSettings))).scalar_one_or_none()
    if found is not None:
        return found
    return CrmSettings(lead_pool_days=30, discount_threshold=Decimal(15), default_currency="USD")


def checked_threshold(value: Decimal) -> Decimal:
    if not value.is_finite() or not 0 <= value <= 100:
        raise Invalid("discount_threshold", "must be a percentage from 0 to 100")
    if value != value.quantize(Decimal("0.01")):
        raise Invalid("discount_threshold", "has at most two decimal places")
    return value


def settings_out(settings: CrmSettings) -> SettingsOut:
    return msgspec.convert(settings, SettingsOut, from_attributes=True)


class SettingsController(Controller):
    path = "/settings"
    tags = ["crm"]

    @get("/", summary="The tenant's CRM rules", opt=requires(READ))
    async def read(self, actor: Member, uow: Uow) -> SettingsOut:
        return settings_out(await crm_settings(uow.db))

    @put("/", summary="Change the tenant's CRM rules", opt=requires(MANAGE))
    async def change(self, data: JSONBody[SettingsIn], actor: Member, uow: Uow) -> SettingsOut:
        if not (data.discount_threshold.is_finite() and 0 <= data.discount_threshold <= 100):
            raise Invalid("discount_threshold", "is a percentage from 0 to 100")
        settings = await crm_settings(uow.db)
        if settings.tenant_id is None:
            settings.tenant_id = actor.tenant
            uow.db.add(settings)
        settings.lead_pool_days = data.lead_pool_days
        settings.discount_threshold = checked_threshold(data.discount_threshold)
        settings.default_currency = data.default_currency
        await uow.db.flush()
        return settings_out(settings)
