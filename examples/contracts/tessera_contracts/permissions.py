"""The permissions of contracts. Every member reads contracts; the owner and admins do the rest
by default, and a tenant gives its sales and finance people custom roles."""

from __future__ import annotations

from tessera.plugin import BUILTIN_ROLES, Permission
from tessera_contracts.models import APPROVE, PAY, READ, SETTINGS, WRITE

PERMISSIONS = (
    Permission(
        READ, "See contracts, their payment plans and payments", default_roles=BUILTIN_ROLES
    ),
    Permission(WRITE, "Make, change, sign and close contracts"),
    Permission(PAY, "Record payments against contracts' instalments"),
    Permission(
        APPROVE,
        "Approve contracts above the threshold (the default workflow asks the admins)",
    ),
    Permission(SETTINGS, "Set the approval threshold and when reminders go out"),
)
