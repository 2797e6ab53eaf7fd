"""A tenant's books as the rest of the module looks them up: settings, journals, accounts by
code or role, exchange rates."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Conflict, Invalid
from tessera_accounting.models import (
    Account,
    AccountingSettings,
    AccountRole,
    CurrencyRate,
    Journal,
)


async def settings_of(db: AsyncSession, tenant_id: uuid.UUID) -> AccountingSettings:
    found = await db.scalar(
        select(AccountingSettings).where(AccountingSettings.tenant_id == tenant_id)
    )
    if found is None:
        raise Conflict("Accounting is not set up for this tenant: enable the module first.")
    return found


async def company_currency(db: AsyncSession, tenant_id: uuid.UUID) -> str:
    return (await settings_of(db, tenant_id)).company_currency


async def journal_by_code(
    db: AsyncSession, tenant_id: uuid.UUID, code: object, field: str = "journal"
) -> Journal:
    if not isinstance(code, str) or not code.strip():
        raise Invalid(field, "names a journal by its code, such as 'MISC'")
    journal = await db.scalar(
        select(Journal).where(Journal.tenant_id == tenant_id, Journal.code == code.strip().upper())
    )
    if journal is None:
        raise Invalid(field, f"no journal has the code {code!r}")
    if not journal.active:
        raise Invalid(field, f"the journal {journal.code} is archived")
    return journal


async def account_by_ref(
    db: AsyncSession, tenant_id: uuid.UUID, ref: object, field: str
) -> Account:
    """The account a role (``receivable``) or an account code (``1122``) names."""
    if not isinstance(ref, str) or not ref.strip():
        raise Invalid(field, "names an account by its code or a role, such as 'receivable'")
    ref = ref.strip()
    role_account = (
        select(AccountRole.account_id)
        .where(AccountRole.tenant_id == tenant_id, AccountRole.role == ref)
        .scalar_subquery()
    )
    account = await db.scalar(
        select(Account).where(Account.tenant_id == tenant_id, Account.id == role_account)
    ) or await db.scalar(select(Account).where(Account.tenant_id == tenant_id, Account.code == ref))
    if account is None:
        raise Invalid(field, f"no account has the code or role {ref!r}")
    if not account.active:
        raise Invalid(field, f"the account {account.code} is archived")
    return account


async def rate_on(
    db: AsyncSession, tenant_id: uuid.UUID, currency: str, day: date
) -> Decimal | None:
    """The company-currency value of one unit of ``currency`` on ``day``: the latest rate
    entered on or before it; None if there is none."""
    rate = await db.scalar(
        select(CurrencyRate.rate)
        .where(
            CurrencyRate.tenant_id == tenant_id,
            CurrencyRate.currency == currency,
            CurrencyRate.date <= day,
        )
        .order_by(CurrencyRate.date.desc())
        .limit(1)
    )
    return None if rate is None else Decimal(rate)
