"""The permissions of sales and purchasing. Members read sales; the owner and admins do the
rest by default, and a tenant gives its salespeople and buyers custom roles."""

from __future__ import annotations

from tessera.plugin import BUILTIN_ROLES, Permission
from tessera_sales_purchase.models import (
    PURCHASE_APPROVE,
    PURCHASE_READ,
    PURCHASE_WRITE,
    SALE_CONFIRM,
    SALE_READ,
    SALE_WRITE,
    SETTINGS,
)

PERMISSIONS = (
    Permission(
        SALE_READ, "See quotations, sales orders and payment plans", default_roles=BUILTIN_ROLES
    ),
    Permission(SALE_WRITE, "Make and change quotations; deliver, invoice and cancel sales orders"),
    Permission(SALE_CONFIRM, "Confirm quotations as sales orders"),
    Permission(PURCHASE_READ, "See requests for quotation and purchase orders"),
    Permission(PURCHASE_WRITE, "Make purchase orders; receive goods and record vendor bills"),
    Permission(
        PURCHASE_APPROVE,
        "Approve purchase orders above the threshold (the default workflow asks the admins)",
    ),
    Permission(SETTINGS, "Set the purchase approval threshold and the bill price tolerance"),
)
