"""The Sales & Purchasing module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tessera.plugin import Manifest, hookimpl
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


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="sales_purchase",
        label="Sales & Purchasing",
        version="0.1.0",
        api=">=1.0,<2",
        description="Quotations, sales orders, deliveries, purchase orders, receipts, bills and payment plans",
        depends=("accounting", "inventory"),
    )


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
