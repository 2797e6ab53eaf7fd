"""The CRM module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tessera.plugin import (
    BUILTIN_ROLES,
    UI,
    Approvable,
    BackgroundJob,
    EventHandler,
    EventType,
    Manifest,
    ModuleContext,
    Permission,
    Schedule,
    WorkflowTemplate,
    hookimpl,
)
from tessera_crm import approval, event_types, sales_orders, translations, ui
from tessera_crm.accounts import AccountsController
from tessera_crm.activities import ActivitiesController
from tessera_crm.contacts import ContactsController
from tessera_crm.deals import DealsController
from tessera_crm.imports import ImportsController
from tessera_crm.lead_conversion import LeadConversionController
from tessera_crm.lead_pool import RETURN_TO_POOL, LeadPoolController
from tessera_crm.leads import LeadsController
from tessera_crm.models import (
    Account,
    Activity,
    Contact,
    CrmSettings,
    Deal,
    DealLine,
    Lead,
    Pipeline,
    Stage,
    Ticket,
)
from tessera_crm.pipelines import PipelinesController, StagesController, seed_default_pipeline
from tessera_crm.reminders import REMINDERS
from tessera_crm.reports import ReportsController
from tessera_crm.search import SearchController
from tessera_crm.settings import SettingsController
from tessera_crm.sla import SLA_SCHEDULE
from tessera_crm.ticket_timeline import TicketTimelineController
from tessera_crm.tickets import TicketsController
from tessera_crm.timeline import TimelineController


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="crm",
        label="CRM",
        version="0.1.0",
        api=">=1.1,<2",
        description="Accounts, contacts, leads, deals and pipelines, activities, tickets",
    )


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [Account, Contact, Pipeline, Stage, Deal, DealLine, CrmSettings, Lead, Activity, Ticket]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [
        AccountsController,
        ContactsController,
        PipelinesController,
        StagesController,
        DealsController,
        SettingsController,
        SearchController,
        LeadsController,
        LeadPoolController,
        LeadConversionController,
        ReportsController,
        ActivitiesController,
        TicketsController,
        TicketTimelineController,
        TimelineController,
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
        Permission(
            "crm.lead.read", "See leads (and the lead pool, whatever the scope)",
            default_roles=BUILTIN_ROLES, scoped=True,
        ),
        Permission(
            "crm.lead.write", "Create, change, convert and delete leads; claim and release them",
            default_roles=BUILTIN_ROLES, scoped=True,
        ),
        Permission("crm.lead.assign", "Give leads to members"),
        # Not scoped itself: reports cover the deals the reader may see (crm.deal.read).
        Permission("crm.report.read", "See sales reports and the dashboard", default_roles=BUILTIN_ROLES),
        Permission(
            "crm.activity.read", "See activities and the calendar",
            default_roles=BUILTIN_ROLES, scoped=True,
        ),
        Permission(
            "crm.activity.write", "Log, change, complete and delete activities",
            default_roles=BUILTIN_ROLES, scoped=True,
        ),
        Permission("crm.ticket.read", "See tickets", default_roles=BUILTIN_ROLES, scoped=True),
        Permission(
            "crm.ticket.write", "Open, change, resolve and delete tickets",
            default_roles=BUILTIN_ROLES, scoped=True,
        ),
        # On top of the kind's write permission: one request creates thousands of records.
        Permission("crm.data.import", "Import accounts and contacts from CSV or XLSX files"),
        # On top of the kind's read permission; all roles by default, so that a custom role can
        # leave it out for people who may look but not take the list away.
        Permission("crm.data.export", "Export lists as CSV or XLSX", default_roles=BUILTIN_ROLES),
    ]  # fmt: skip


@hookimpl
def tessera_jobs() -> Sequence[BackgroundJob | Schedule]:
    return [RETURN_TO_POOL, REMINDERS, SLA_SCHEDULE]


@hookimpl
def tessera_workflows() -> Sequence[Approvable | WorkflowTemplate]:
    return [approval.DEAL, approval.DISCOUNT_APPROVAL]


@hookimpl
def tessera_event_types() -> Sequence[EventType]:
    return event_types.EVENT_TYPES


@hookimpl
def tessera_event_handlers() -> Sequence[EventHandler]:
    return [*approval.HANDLERS, *sales_orders.HANDLERS]


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=ui.MENU,
        resources=(
            ui.ACCOUNT,
            ui.CONTACT,
            ui.LEAD,
            ui.PIPELINE,
            ui.STAGE,
            ui.DEAL,
            ui.ACTIVITY,
            ui.TICKET,
        ),
        dashboards=(ui.SALES,),
        translations={"zh": translations.ZH},
    )


@hookimpl
async def tessera_on_enable(module: ModuleContext) -> None:
    if module.first_time:
        await seed_default_pipeline(module.db, module.tenant_id)
