"""The Accounting module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    UI,
    Actor,
    EventHandler,
    EventType,
    Manifest,
    ModuleContext,
    Permission,
    RecordFact,
    Service,
    hookimpl,
)
from tessera_accounting import documents_hooks as documents
from tessera_accounting import (
    event_types,
    expense_posting,
    permissions,
    report_routes,
    translations,
    ui,
)
from tessera_accounting.chart_routes import AccountsController, JournalsController
from tessera_accounting.entry_routes import EntriesController
from tessera_accounting.ledger import LEDGER
from tessera_accounting.models import MODELS
from tessera_accounting.rate_routes import RatesController
from tessera_accounting.reference_services import COMPANY_CURRENCY, TAX_RATES
from tessera_accounting.report_routes import ReportsController
from tessera_accounting.seeding import seed_books
from tessera_accounting.settings_routes import SettingsController
from tessera_accounting.tax_routes import TaxesController


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="accounting",
        label="Accounting",
        version="0.1.0",
        api=">=1.1,<2",
        description="Chart of accounts, journals, invoices and bills, payments, taxes, currencies, financial reports",
    )


@hookimpl
def tessera_event_types() -> Sequence[EventType]:
    return event_types.EVENT_TYPES


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [*MODELS, *documents.DOCUMENT_MODELS]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [
        AccountsController,
        JournalsController,
        EntriesController,
        SettingsController,
        RatesController,
        TaxesController,
        ReportsController,
        # Partners, invoices, payments and aging (documents_hooks).
        *documents.DOCUMENT_ROUTES,
    ]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return [*permissions.PERMISSIONS, *documents.DOCUMENT_PERMISSIONS]


@hookimpl
def tessera_services() -> Sequence[Service]:
    return [
        Service("accounting.ledger", LEDGER),
        Service("accounting.taxes", TAX_RATES),
        Service("accounting.currencies", COMPANY_CURRENCY),
        *documents.DOCUMENT_SERVICES,
    ]


@hookimpl
def tessera_event_handlers() -> Sequence[EventHandler]:
    return [*expense_posting.HANDLERS]


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=(*ui.MENU, *documents.DOCUMENT_MENUS),
        resources=(*ui.RESOURCES, *documents.DOCUMENT_RESOURCES),
        dashboards=(ui.DASHBOARD, *documents.DOCUMENT_DASHBOARDS),
        messages=(*report_routes.MESSAGES, *documents.DOCUMENT_MESSAGES),
        # The ledger's own translations win where both translate a text.
        translations={"zh": {**documents.DOCUMENTS_ZH, **translations.ZH}},
    )


@hookimpl
async def tessera_record_facts(
    db: AsyncSession, actor: Actor, record_type: str, record_id: str
) -> Sequence[RecordFact]:
    """A CRM account's receivables (documents_facts)."""
    return await documents.receivable_facts(db, actor, record_type, record_id)


@hookimpl
async def tessera_on_enable(module: ModuleContext) -> None:
    await seed_books(module.db, module.tenant_id)
