"""The Accounting module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tessera.plugin import UI, Manifest, ModuleContext, Permission, Service, hookimpl
from tessera_accounting import documents_hooks as documents
from tessera_accounting import permissions, translations
from tessera_accounting.ledger import LEDGER
from tessera_accounting.models import MODELS
from tessera_accounting.seeding import seed_books


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="accounting",
        label="Accounting",
        version="0.1.0",
        api=">=1.0,<2",
        description="Chart of accounts, journals, invoices and bills, payments, taxes, currencies, financial reports",
    )


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [*MODELS, *documents.DOCUMENT_MODELS]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return [*permissions.PERMISSIONS, *documents.DOCUMENT_PERMISSIONS]


@hookimpl
def tessera_services() -> Sequence[Service]:
    return [Service("accounting.ledger", LEDGER), *documents.DOCUMENT_SERVICES]


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=documents.DOCUMENT_MENUS,
        resources=documents.DOCUMENT_RESOURCES,
        dashboards=documents.DOCUMENT_DASHBOARDS,
        messages=documents.DOCUMENT_MESSAGES,
        translations={"zh": {**documents.DOCUMENTS_ZH, **translations.ZH}},
    )


@hookimpl
async def tessera_on_enable(module: ModuleContext) -> None:
    await seed_books(module.db, module.tenant_id)


# --- Partners, invoices, payments and aging (branch acc-docs) ---------------------------------
# The ledger's own routes, when it has them, join this list (one tessera_routes per plugin).


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [*documents.DOCUMENT_ROUTES]
