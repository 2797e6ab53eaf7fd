"""The CRM module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tessera.plugin import BUILTIN_ROLES, Manifest, Permission, hookimpl
from tessera_crm.accounts import AccountsController
from tessera_crm.contacts import ContactsController
from tessera_crm.models import Account, Contact


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="crm",
        label="CRM",
        version="0.1.0",
        api=">=1.0,<2",
        description="Accounts, contacts, leads, deals and pipelines, activities, tickets",
    )


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [Account, Contact]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [AccountsController, ContactsController]


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
    ]  # fmt: skip
