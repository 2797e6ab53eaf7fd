"""The OA module's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tessera.plugin import (
    BUILTIN_ROLES,
    UI,
    Approvable,
    EventHandler,
    Manifest,
    Permission,
    WorkflowTemplate,
    hookimpl,
)
from tessera_oa import expense_approval, expense_permissions, expense_translations, expense_ui, ui
from tessera_oa.departments import DepartmentsController
from tessera_oa.expense_advances import AdvancesController
from tessera_oa.expense_categories import CategoriesController
from tessera_oa.expense_claim_routes import ClaimsController
from tessera_oa.expense_line_routes import LinesController, ReceiptsController
from tessera_oa.expense_models import ExpenseAdvance, ExpenseCategory, ExpenseClaim, ExpenseLine
from tessera_oa.expense_reports import ExpenseReportsController
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
    return [
        Department,
        DepartmentMember,
        ExpenseCategory,
        ExpenseAdvance,
        ExpenseClaim,
        ExpenseLine,
    ]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [
        DepartmentsController,
        CategoriesController,
        ClaimsController,
        LinesController,
        ReceiptsController,
        AdvancesController,
        ExpenseReportsController,
    ]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return [
        Permission(
            "oa.department.read", "See departments and who is in them", default_roles=BUILTIN_ROLES
        ),
        Permission("oa.department.manage", "Create, change and delete departments; place members"),
        *expense_permissions.PERMISSIONS,
    ]


@hookimpl
def tessera_workflows() -> Sequence[Approvable | WorkflowTemplate]:
    return [
        expense_approval.CLAIM,
        expense_approval.ADVANCE,
        expense_approval.CLAIM_APPROVAL,
        expense_approval.ADVANCE_APPROVAL,
    ]


@hookimpl
def tessera_event_handlers() -> Sequence[EventHandler]:
    return [*expense_approval.HANDLERS]


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=(*ui.MENU, *expense_ui.MENU),
        resources=(ui.DEPARTMENT, *expense_ui.RESOURCES),
        dashboards=(expense_ui.DASHBOARD,),
        translations={"zh": {**expense_translations.ZH}},
    )
