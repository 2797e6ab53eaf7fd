"""The Inventory module's hooks."""

from __future__ import annotations

from tessera.plugin import Manifest, hookimpl


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="inventory",
        label="Inventory",
        version="0.1.0",
        api=">=1.0,<2",
        description="Products, warehouses and locations, stock moves, reservations, valuation",
        depends=("accounting",),
    )
