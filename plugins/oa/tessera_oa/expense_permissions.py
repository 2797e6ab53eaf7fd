"""The permissions of expenses: every member claims; admins manage categories and see every
claim; finance (the admins by default) pays."""

from __future__ import annotations

from tessera.plugin import BUILTIN_ROLES, Permission
from tessera_oa.expense_models import MANAGE, PAY, SUBMIT

PERMISSIONS = (
    # Scoped: a member reaches their own claims and advances; a custom role may widen it to a
    # team (their reports') or to all.
    Permission(
        SUBMIT,
        "File expense claims and request cash advances",
        default_roles=BUILTIN_ROLES,
        scoped=True,
    ),
    Permission(MANAGE, "Manage expense categories; see every claim and advance"),
    Permission(PAY, "Mark approved expense claims and cash advances paid"),
)
