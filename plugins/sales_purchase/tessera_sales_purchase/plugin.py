"""The Sales & Purchasing module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    UI,
    Actor,
    Approvable,
    EventHandler,
    EventType,
    Manifest,
    ModuleContext,
    Permission,
    TimelineCursor,
    TimelineEntry,
    WorkflowTemplate,
    hookimpl,
)
from tessera_sales_purchase import deals, event_types, purchase_approval, timeline, translations, ui
from tessera_sales_purchase.documents import (
    TEXTS,
    PurchaseDocumentsController,
    SaleDocumentsController,
)
from tessera_sales_purchase.models import (
    DocumentLine,
    Instalment,
    OrderDocument,
    PurchaseLine,
    PurchaseOrder,
    SaleLine,
    SaleOrder,
    SalesSettings,
)
from tessera_sales_purchase.payment_plans import PaymentPlanController
from tessera_sales_purchase.permissions import PERMISSIONS
from tessera_sales_purchase.purchase_routes import PurchaseOrdersController
from tessera_sales_purchase.reports import SalesReportsController
from tessera_sales_purchase.sale_routes import SaleOrdersController
from tessera_sales_purchase.settings import SettingsController, settings_of


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="sales_purchase",
        label="Sales & Purchasing",
        version="0.1.0",
        api=">=1.1,<2",
        description="Quotations, sales orders, deliveries, purchase orders, receipts, bills and payment plans",
        depends=("accounting", "inventory"),
    )


@hookimpl
def tessera_event_types() -> Sequence[EventType]:
    return event_types.EVENT_TYPES


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [
        SalesSettings,
        SaleOrder,
        SaleLine,
        PurchaseOrder,
        PurchaseLine,
        OrderDocument,
        DocumentLine,
        Instalment,
    ]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [
        SaleOrdersController,
        PaymentPlanController,
        PurchaseOrdersController,
        SalesReportsController,
        SettingsController,
        SaleDocumentsController,
        PurchaseDocumentsController,
    ]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return PERMISSIONS


@hookimpl
def tessera_event_handlers() -> Sequence[EventHandler]:
    return [*deals.HANDLERS, *purchase_approval.HANDLERS]


@hookimpl
def tessera_workflows() -> Sequence[Approvable | WorkflowTemplate]:
    return [purchase_approval.PURCHASE_ORDER, purchase_approval.PURCHASE_APPROVAL]


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=ui.MENU,
        resources=ui.RESOURCES,
        dashboards=(ui.DASHBOARD,),
        translations={"zh": translations.ZH},
        messages=TEXTS,
    )


@hookimpl
async def tessera_on_enable(module: ModuleContext) -> None:
    await settings_of(module.db, module.tenant_id)


@hookimpl
async def tessera_timeline(
    db: AsyncSession,
    actor: Actor,
    record_type: str,
    record_id: str,
    before: TimelineCursor | None,
    limit: int,
) -> Sequence[TimelineEntry]:
    return await timeline.account_timeline(db, actor, record_type, record_id, before, limit)
