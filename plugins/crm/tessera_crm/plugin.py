"""The CRM module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tessera.plugin import BUILTIN_ROLES, Manifest, ModuleContext, Permission, hookimpl
from tessera_crm.accounts import AccountsController
from tessera_crm.contacts import ContactsController
from tessera_crm.deals import DealsController
from tessera_crm.imports import ImportsController
from tessera_crm.models import Account, Contact, CrmSettings, Deal, Pipeline, Stage
from tessera_crm.pipelines import PipelinesController, seed_default_pipeline
from tessera_crm.settings import SettingsController


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="crm",
        label="CRM",
        version="0.1.0",
        api=">=1.0,<2",
        description="Accounts, contacts, leads, deals and pipelines, activities, tickets",
    )


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [Account, Contact, Pipeline, Stage, Deal, CrmSettings]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [
        AccountsController,
        ContactsController,
        PipelinesController,
        DealsController,
        SettingsController,
        ImportsController,
    ]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    # Scoped: members (reps) reach their own records, admins and owners everyone's; custom
    # roles can give a manager the team's.
    return [
        Permission("crm.account.read", "See accounts", default_roles=BUILTIN_ROLES, scoped=True),
        Permission(
            "crm.account.write", "Create, change and delete accounts",
            default_roles=BUILTIN_ROLES, scoped=True,
        ),
        Permission("crm.contact.read", "See contacts", default_roles=BUILTIN_ROLES, scoped=True),
        Permission(
            "crm.contact.write", "Create, change and delete contacts",
            default_roles=BUILTIN_ROLES, scoped=True,
        ),
        Permission("crm.deal.read", "See deals and pipelines", default_roles=BUILTIN_ROLES, scoped=True),
        Permission(
            "crm.deal.write", "Create and change deals; mark them won or lost",
            default_roles=BUILTIN_ROLES, scoped=True,
        ),
        Permission("crm.pipeline.manage", "Create pipelines and their stages"),
        Permission("crm.settings.manage", "Change the lead pool, discount and currency rules"),
        # On top of the kind's write permission: one request creates thousands of records.
        Permission("crm.data.import", "Import accounts and contacts from CSV or XLSX files"),
        # On top of the kind's read permission; all roles by default, so that a custom role can
        # leave it out for people who may look but not take the list away.
        Permission("crm.data.export", "Export lists as CSV or XLSX", default_roles=BUILTIN_ROLES),
    ]  # fmt: skip


@hookimpl
async def tessera_on_enable(module: ModuleContext) -> None:
    if module.first_time:
        await seed_default_pipeline(module.db, module.tenant_id)
