"""The Inventory module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tessera.plugin import UI, EventType, Manifest, ModuleContext, Permission, Service, hookimpl
from tessera_inventory import event_types, permissions, seed, translations, ui
from tessera_inventory.catalog import ProductCategoriesController, UnitsController
from tessera_inventory.counts import CountsController
from tessera_inventory.locations import LocationsController, WarehousesController
from tessera_inventory.models import MODELS
from tessera_inventory.pickings import MovesController, PickingsController
from tessera_inventory.pricing import PriceListsController
from tessera_inventory.products import ProductsController
from tessera_inventory.reports import ReportsController
from tessera_inventory.service import STOCK
from tessera_inventory.settings import SettingsController


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="inventory",
        label="Inventory",
        version="0.1.0",
        api=">=1.1,<2",
        description="Products, warehouses and locations, stock moves, reservations, valuation",
        depends=("accounting",),
    )


@hookimpl
def tessera_event_types() -> Sequence[EventType]:
    return event_types.EVENT_TYPES


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return list(MODELS)


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [
        UnitsController,
        ProductCategoriesController,
        ProductsController,
        PriceListsController,
        WarehousesController,
        LocationsController,
        MovesController,
        PickingsController,
        CountsController,
        ReportsController,
        SettingsController,
    ]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return list(permissions.PERMISSIONS)


@hookimpl
def tessera_services() -> Sequence[Service]:
    return [STOCK]


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=ui.MENU,
        resources=ui.RESOURCES,
        dashboards=(ui.DASHBOARD,),
        translations={"zh": translations.ZH},
    )


@hookimpl
async def tessera_on_enable(module: ModuleContext) -> None:
    await seed.seed(module.db, module.tenant_id)
