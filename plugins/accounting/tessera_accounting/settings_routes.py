"""The tenant's accounting settings, account roles and chart, under /api/v1/accounting/settings.

The company currency and the chart template can change only while no journal entry exists: every
amount in the books is in that currency, and the entries name the chart's accounts.
"""

from __future__ import annotations

import uuid
from datetime import date

import msgspec
from litestar import Controller, get, patch, post, put
from litestar.params import JSONBody
from sqlalchemy import select

from tessera.plugin import (
    Conflict,
    Input,
    Invalid,
    Member,
    Uow,
    checked_currency,
    requires,
)
from tessera_accounting.books import settings_of
from tessera_accounting.chart_templates import TEMPLATES
from tessera_accounting.models import MANAGE, READ, ROLES, Account, AccountingSettings, AccountRole
from tessera_accounting.posting import entry_count
from tessera_accounting.seeding import reseed_chart


class SettingsOut(msgspec.Struct):
    company_currency: str
    lock_date: date | None
    chart_template: str
    allow_future_dates: bool
    templates: list[str]


class SettingsPatch(Input):
    company_currency: str | None = None
    lock_date: date | msgspec.UnsetType | None = msgspec.UNSET
    allow_future_dates: bool | None = None


class ChartIn(Input):
    template: str


# Not "RoleOut": the core has one, and OpenAPI names clashing schemas by their full module paths,
# which breaks the browser app's typed client (generated with every first-party plugin).
class AccountRoleOut(msgspec.Struct):
    role: str
    account_id: uuid.UUID
    account_code: str


class RolesIn(Input):
    #: Role -> account id; roles left out keep their account.
    roles: dict[str, uuid.UUID]


def settings_out(settings: AccountingSettings) -> SettingsOut:
    return SettingsOut(
        company_currency=settings.company_currency,
        lock_date=settings.lock_date,
        chart_template=settings.chart_template,
        allow_future_dates=settings.allow_future_dates,
        templates=sorted(TEMPLATES),
    )


async def roles_of(uow: Uow, tenant_id: uuid.UUID) -> list[AccountRoleOut]:
    rows = await uow.db.execute(
        select(AccountRole.role, Account.id, Account.code)
        .join(
            Account,
            (Account.tenant_id == AccountRole.tenant_id) & (Account.id == AccountRole.account_id),
        )
        .where(AccountRole.tenant_id == tenant_id)
        .order_by(AccountRole.role)
    )
    return [AccountRoleOut(role, account_id, code) for role, account_id, code in rows]


class SettingsController(Controller):
    path = "/settings"
    tags = ["accounting"]

    @get("/", summary="Accounting settings", opt=requires(READ))
    async def get_settings(self, actor: Member, uow: Uow) -> SettingsOut:
        return settings_out(await settings_of(uow.db, actor.tenant))

    @patch(
        "/",
        summary="Change the lock date, the company currency (only before the first entry) and "
        "whether entries may be dated ahead",
        opt=requires(MANAGE),
    )
    async def change(self, data: JSONBody[SettingsPatch], actor: Member, uow: Uow) -> SettingsOut:
        settings = await settings_of(uow.db, actor.tenant)
        if data.company_currency is not None:
            currency = checked_currency(data.company_currency, "company_currency")
            if currency != settings.company_currency and await entry_count(uow.db, actor.tenant):
                raise Conflict(
                    "The company currency can change only while no journal entry exists."
                )
            settings.company_currency = currency
        if data.lock_date is not msgspec.UNSET:
            settings.lock_date = data.lock_date
        if data.allow_future_dates is not None:
            settings.allow_future_dates = data.allow_future_dates
        await uow.db.flush()
        return settings_out(settings)

    @post(
        "/chart",
        status_code=200,
        summary="Replace the chart of accounts by a template's (only while no entry exists)",
        opt=requires(MANAGE),
    )
    async def reseed(self, data: JSONBody[ChartIn], actor: Member, uow: Uow) -> SettingsOut:
        await reseed_chart(uow.db, actor.tenant, data.template)
        return settings_out(await settings_of(uow.db, actor.tenant))

    @get("/roles", summary="Which account each role names", opt=requires(READ))
    async def get_roles(self, actor: Member, uow: Uow) -> list[AccountRoleOut]:
        return await roles_of(uow, actor.tenant)

    @put("/roles", summary="Point roles at other accounts", opt=requires(MANAGE))
    async def set_roles(
        self, data: JSONBody[RolesIn], actor: Member, uow: Uow
    ) -> list[AccountRoleOut]:
        for role, account_id in data.roles.items():
            field = f"roles.{role}"
            if role not in ROLES:
                raise Invalid(field, f"is not a role; roles are {', '.join(ROLES)}")
            account = await uow.db.get(Account, (actor.tenant, account_id))
            if account is None:
                raise Invalid(field, "is not an account of this company")
            if not account.active:
                raise Invalid(field, f"the account {account.code} is archived")
            found = await uow.db.scalar(select(AccountRole).where(AccountRole.role == role))
            if found is None:
                uow.db.add(AccountRole(tenant_id=actor.tenant, role=role, account_id=account.id))
            else:
                found.account_id = account.id
        await uow.db.flush()
        return await roles_of(uow, actor.tenant)
