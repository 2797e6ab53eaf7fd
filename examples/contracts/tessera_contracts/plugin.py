"""The contracts plugin's hooks: the entry point ``contracts = "tessera_contracts.plugin"``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    UI,
    Actor,
    Approvable,
    BackgroundJob,
    EventHandler,
    EventType,
    Manifest,
    ModuleContext,
    Permission,
    RecordFact,
    Schedule,
    WorkflowTemplate,
    hookimpl,
)
from tessera_contracts import approval, event_types, facts, reminders, translations, ui
from tessera_contracts.models import Contract, ContractSettings, Instalment, Payment
from tessera_contracts.permissions import PERMISSIONS
from tessera_contracts.routes import (
    ContractsController,
    RemindersController,
    ReportsController,
    SettingsController,
)
from tessera_contracts.service import settings_of


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="contracts",
        label="Contracts",
        version="0.1.0",
        api=">=1.1,<2",
        description=(
            "Contracts with CRM accounts, approval above an amount, payment plans with reminders"
        ),
        depends=("crm",),
    )


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [ContractSettings, Contract, Instalment, Payment]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [ContractsController, SettingsController, RemindersController, ReportsController]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return PERMISSIONS


@hookimpl
def tessera_event_types() -> Sequence[EventType]:
    return event_types.EVENT_TYPES


@hookimpl
def tessera_event_handlers() -> Sequence[EventHandler]:
    return approval.HANDLERS


@hookimpl
def tessera_workflows() -> Sequence[Approvable | WorkflowTemplate]:
    return [approval.CONTRACT, approval.CONTRACT_APPROVAL]


@hookimpl
def tessera_jobs() -> Sequence[BackgroundJob | Schedule]:
    return [reminders.REMINDERS]


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=ui.MENU,
        resources=ui.RESOURCES,
        dashboards=(ui.DASHBOARD,),
        translations={"zh": translations.ZH},
        messages=facts.FACT_TEXTS,
    )


@hookimpl
async def tessera_on_enable(module: ModuleContext) -> None:
    await settings_of(module.db, module.tenant_id)


@hookimpl
async def tessera_record_facts(
    db: AsyncSession, actor: Actor, record_type: str, record_id: str
) -> Sequence[RecordFact]:
    """On a CRM account's page: its active contracts and what is still to be received."""
    return await facts.account_facts(db, actor, record_type, record_id)
