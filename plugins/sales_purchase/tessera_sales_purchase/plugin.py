"""The Sales & Purchasing module's hooks."""

from __future__ import annotations

from tessera.plugin import Manifest, hookimpl


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
