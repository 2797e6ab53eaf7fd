"""Who may do what in inventory."""

from __future__ import annotations

from tessera.plugin import BUILTIN_ROLES, Permission
from tessera_inventory.models import PRODUCT_READ, PRODUCT_WRITE, SETTINGS, STOCK_MOVE, STOCK_READ

PERMISSIONS = (
    Permission(
        PRODUCT_READ,
        "See products, units of measure, product categories and price lists",
        default_roles=BUILTIN_ROLES,
    ),
    Permission(PRODUCT_WRITE, "Add and change products, units, product categories and price lists"),
    Permission(
        STOCK_READ,
        "See warehouses, locations, pickings, stock on hand and the stock reports",
        default_roles=BUILTIN_ROLES,
    ),
    Permission(STOCK_MOVE, "Receive, deliver, transfer, count and reserve stock"),
    Permission(SETTINGS, "Set up warehouses, locations and the inventory settings"),
)
