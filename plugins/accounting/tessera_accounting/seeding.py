"""What a tenant's books start with: settings, journals, and a chart from a template (accounts,
roles, taxes)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Conflict, Invalid
from tessera_accounting.chart_templates import JOURNALS, TEMPLATES, ChartTemplate
from tessera_accounting.models import (
    Account,
    AccountingSettings,
    AccountRole,
    Journal,
    Tax,
)
from tessera_accounting.posting import entry_count

DEFAULT_TEMPLATE = "generic"


def template_named(name: object, field: str = "chart_template") -> ChartTemplate:
    if not isinstance(name, str) or name not in TEMPLATES:
        raise Invalid(field, f"is one of {', '.join(sorted(TEMPLATES))}")
    return TEMPLATES[name]


async def seed_books(db: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Settings, journals and the default chart, for whatever of them the tenant lacks (enabling
    again after disabling finds them all in place)."""
    settings = await db.scalar(
        select(AccountingSettings).where(AccountingSettings.tenant_id == tenant_id)
    )
    if settings is None:
        settings = AccountingSettings(
            tenant_id=tenant_id,
            company_currency="CNY",
            chart_template=DEFAULT_TEMPLATE,
            allow_future_dates=True,
        )
        db.add(settings)
    await _seed_journals(db, tenant_id)
    has_chart = await db.scalar(select(Account.id).where(Account.tenant_id == tenant_id).limit(1))
    if has_chart is None:
        await seed_chart(db, tenant_id, template_named(settings.chart_template))
    await db.flush()


async def _seed_journals(db: AsyncSession, tenant_id: uuid.UUID) -> None:
    existing = set(
        (await db.scalars(select(Journal.code).where(Journal.tenant_id == tenant_id))).all()
    )
    db.add_all(
        Journal(tenant_id=tenant_id, code=code, name=name, name_zh=name_zh, kind=kind, active=True)
        for code, (kind, name, name_zh) in JOURNALS.items()
        if code not in existing
    )


async def seed_chart(db: AsyncSession, tenant_id: uuid.UUID, template: ChartTemplate) -> None:
    """The template's accounts, every role pointed at one of them, and its taxes."""
    ids: dict[str, uuid.UUID] = {}
    for spec in template.accounts:
        account = Account(
            tenant_id=tenant_id,
            code=spec.code,
            name=spec.name,
            name_zh=spec.name_zh,
            type=spec.type,
            subtype=spec.subtype,
            parent_id=ids[spec.parent] if spec.parent else None,
            active=True,
            reconcilable=spec.subtype in ("receivable", "payable"),
        )
        db.add(account)
        await db.flush()
        ids[spec.code] = account.id
    db.add_all(
        AccountRole(tenant_id=tenant_id, role=role, account_id=ids[code])
        for role, code in template.roles.items()
    )
    db.add_all(
        Tax(
            tenant_id=tenant_id,
            code=tax.code,
            name=tax.name,
            name_zh=tax.name_zh,
            kind=tax.kind,
            rate=tax.rate,
            inclusive=tax.inclusive,
            account_id=ids[tax.account],
            active=True,
        )
        for tax in template.taxes
    )
    await db.flush()


async def reseed_chart(db: AsyncSession, tenant_id: uuid.UUID, name: object) -> None:
    """Replace the chart (accounts, roles, taxes) by another template's, while no entry exists."""
    template = template_named(name)
    if await entry_count(db, tenant_id):
        raise Conflict("The chart can be replaced only while no journal entry exists.")
    for model in (AccountRole, Tax):
        await db.execute(delete(model).where(model.tenant_id == tenant_id))
    # Children first: an account's parent is another account.
    accounts = list((await db.scalars(select(Account).where(Account.tenant_id == tenant_id))).all())
    for account in accounts:
        account.parent_id = None
    await db.flush()
    await db.execute(delete(Account).where(Account.tenant_id == tenant_id))
    await seed_chart(db, tenant_id, template)
    settings = await db.scalar(
        select(AccountingSettings).where(AccountingSettings.tenant_id == tenant_id)
    )
    if settings is not None:
        settings.chart_template = template.name
    await db.flush()
