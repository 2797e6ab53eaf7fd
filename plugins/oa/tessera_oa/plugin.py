"""The OA module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tessera.plugin import BUILTIN_ROLES, UI, Manifest, Permission, hookimpl
from tessera_oa import ui
from tessera_oa.departments import DepartmentsController
from tessera_oa.models import Department, DepartmentMember


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="oa",
        label="Office",
        version="0.1.0",
        api=">=1.0,<2",
        description="Departments, leave, approvals, expenses, announcements, tasks, documents",
    )


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [Department, DepartmentMember]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [DepartmentsController]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return [
        Permission(
            "oa.department.read", "See departments and who is in them", default_roles=BUILTIN_ROLES
        ),
        Permission("oa.department.manage", "Create, change and delete departments; place members"),
    ]


@hookimpl
def tessera_ui() -> UI:
    return UI(menus=ui.MENU, resources=(ui.DEPARTMENT,))
