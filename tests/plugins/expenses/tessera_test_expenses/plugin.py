"""The expenses plugin's hooks: a claim is approvable, and tenants get a default workflow;
supplier bills have line items and screens of their own."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tessera.plugin import (
    UI,
    Approvable,
    Manifest,
    Permission,
    Step,
    WorkflowTemplate,
    hookimpl,
)
from tessera_test_expenses.bill_ui import BILL, MENU, TRANSLATIONS
from tessera_test_expenses.bills import BILLS, BillsController
from tessera_test_expenses.models import Bill, BillLine, Claim, Receipt
from tessera_test_expenses.receipts import ReceiptsController
from tessera_test_expenses.routes import ClaimsController

CLAIM = Approvable(
    record_type="expenses.claim",
    model=Claim,
    label="Expense claim",
    fields=("title", "amount", "department", "status"),
    submit_permission="expenses.claim.write",
    owner_field="owner_id",
    user_fields=("owner_id",),
    title_field="title",
    summary_fields=("amount", "department"),
    # A department may have a workflow of its own (tests/platform/test_workflow_scope.py).
    scope_field="department",
)

DEFAULT_WORKFLOW = WorkflowTemplate(
    key="expenses.claim_approval",
    record_type="expenses.claim",
    name="Claim approval",
    steps=(
        Step("Manager", approvers="manager"),
        Step("Finance", approvers="role", role="admin", condition="amount > 10000"),
    ),
    guarded_fields=("amount", "department"),
)


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="expenses",
        label="Expenses",
        version="1.0.0",
        api=">=1.0,<2",
        description="Expense claims, for testing the workflow engine",
    )


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [Claim, Receipt, Bill, BillLine]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [ClaimsController, ReceiptsController, BillsController]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return [
        # Members get it through a custom role, so tests can show a member without it.
        Permission("expenses.claim.write", "Create, edit and submit expense claims", scoped=True),
        Permission(BILLS, "Record and change supplier bills", scoped=True),
    ]


@hookimpl
def tessera_ui() -> UI:
    return UI(menus=(MENU,), resources=(BILL,), translations={"zh": TRANSLATIONS})


@hookimpl
def tessera_workflows() -> Sequence[Approvable | WorkflowTemplate]:
    return [CLAIM, DEFAULT_WORKFLOW]
