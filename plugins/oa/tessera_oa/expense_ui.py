"""What the browser app shows of expenses: menu entries, the screens of categories, claims,
their lines and advances, and the expenses dashboard.

A claim's page lists its lines (the line resource filters by ``claim_id``, a reference to the
claim) and, being an approvable record type, its approvals. Submitting, withdrawing and paying
are routes of their own (docs/modules/oa.md, "Expenses").
"""

from __future__ import annotations

from tessera.plugin import Dashboard, Field, MenuItem, Metric, Resource
from tessera_oa.expense_models import LIMIT_PERIODS, MANAGE, STATUSES, SUBMIT

API = "/api/v1/oa/expenses"
USER = "identity.user"
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)
STATUS = Field("status", "Status", type="enum", read_only=True, options=STATUSES)
MEMBER = Field("user_id", "Member", type="reference", reference=USER, read_only=True)
SUBMITTED = Field("submitted_at", "Submitted on", type="datetime", read_only=True)
DECIDED = Field("decided_at", "Decided on", type="datetime", read_only=True)
PAID = Field("paid_at", "Paid on", type="datetime", read_only=True)
PAID_BY = Field("paid_by", "Paid by", type="reference", reference=USER, read_only=True)
REFERENCE = Field("payment_reference", "Payment reference", read_only=True)

MENU = (
    MenuItem(
        "Expense claims",
        "/oa/expenses/claims",
        icon="receipt",
        permission=SUBMIT,
        order=60,
        resource="oa.expense_claim",
    ),
    MenuItem(
        "Cash advances",
        "/oa/expenses/advances",
        icon="wallet",
        permission=SUBMIT,
        order=61,
        resource="oa.expense_advance",
    ),
    MenuItem(
        "Expense categories",
        "/oa/expenses/categories",
        icon="tags",
        permission=MANAGE,
        order=62,
        resource="oa.expense_category",
    ),
    MenuItem(
        "Expense reports",
        "/oa/expenses/reports",
        icon="bar-chart",
        permission=SUBMIT,
        order=63,
        dashboard="oa.expenses",
    ),
)

CATEGORY = Resource(
    name="oa.expense_category",
    label="Expense category",
    endpoint=f"{API}/categories",
    fields=(
        Field("name", "Name", required=True),
        Field("description", "Description", type="longtext"),
        Field("currency", "Currency"),
        Field("limit_period", "Limit per", type="enum", options=LIMIT_PERIODS),
        Field("limit_amount", "Limit", type="money"),
        Field("receipt_threshold", "Receipt needed above", type="money"),
        Field("only_in_currency", "Only in its currency", type="bool"),
        Field("active", "Active", type="bool"),
        CREATED,
        UPDATED,
    ),
    list_columns=(
        "name",
        "currency",
        "limit_period",
        "limit_amount",
        "receipt_threshold",
        "active",
    ),
    filters=("active",),
    form=(
        ("name",),
        ("description",),
        ("currency", "only_in_currency"),
        ("limit_period", "limit_amount"),
        ("receipt_threshold",),
        ("active",),
    ),
    title_field="name",
    read_permission=SUBMIT,
    write_permission=MANAGE,
    search=True,
    sort_fields=("name", "created_at"),
    deletable=True,
    audit_type="oa_expense_category",
)

CLAIM = Resource(
    name="oa.expense_claim",
    label="Expense claim",
    endpoint=f"{API}/claims",
    fields=(
        Field("title", "Title", required=True),
        Field("description", "Description", type="longtext"),
        Field("advance_id", "Advance deducted", type="reference", reference="oa.expense_advance"),
        MEMBER,
        STATUS,
        Field("total_summary", "Total", read_only=True),
        Field("over_limit", "Over a limit", type="bool", read_only=True),
        Field("line_count", "Lines", type="number", read_only=True),
        SUBMITTED,
        DECIDED,
        PAID,
        PAID_BY,
        REFERENCE,
        CREATED,
        UPDATED,
    ),
    list_columns=("title", "user_id", "status", "total_summary", "over_limit", "submitted_at"),
    filters=("status", "user_id", "over_limit", "submitted_at"),
    form=(("title",), ("description",), ("advance_id",)),
    title_field="title",
    read_permission=SUBMIT,
    write_permission=SUBMIT,
    search=True,
    sort_fields=("title", "created_at", "submitted_at", "updated_at"),
    deletable=True,
    audit_type="oa_expense_claim",
)

LINE = Resource(
    name="oa.expense_line",
    label="Expense line",
    endpoint=f"{API}/lines",
    fields=(
        Field(
            "claim_id",
            "Claim",
            type="reference",
            reference="oa.expense_claim",
            required=True,
            create_only=True,
        ),
        Field(
            "category_id",
            "Category",
            type="reference",
            reference="oa.expense_category",
            required=True,
        ),
        Field("spent_on", "Date", type="date", required=True),
        Field("amount", "Amount", type="money", required=True),
        Field("currency", "Currency", required=True),
        Field("description", "Description"),
        Field(
            "receipt_file_id",
            "Receipt",
            type="file",
            upload_endpoint=f"{API}/receipts",
            download_endpoint=f"{API}/lines/{{id}}/receipt",
        ),
        Field("has_receipt", "Has a receipt", type="bool", read_only=True),
        Field("over_limit", "Over the limit", type="bool", read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("spent_on", "category_id", "amount", "currency", "description", "has_receipt"),
    filters=("claim_id", "category_id", "spent_on"),
    form=(
        ("claim_id",),
        ("category_id", "spent_on"),
        ("amount", "currency"),
        ("description",),
        ("receipt_file_id",),
    ),
    title_field="description",
    read_permission=SUBMIT,
    write_permission=SUBMIT,
    sort_fields=("spent_on", "amount", "created_at"),
    deletable=True,
    audit_type="oa_expense_line",
)

ADVANCE = Resource(
    name="oa.expense_advance",
    label="Cash advance",
    endpoint=f"{API}/advances",
    fields=(
        Field("amount", "Amount", type="money", required=True),
        Field("currency", "Currency", required=True),
        Field("purpose", "Purpose", type="longtext"),
        Field("user_id", "Member", type="reference", reference=USER, create_only=True),
        STATUS,
        Field(
            "applied_claim_id",
            "Deducted from",
            type="reference",
            reference="oa.expense_claim",
            read_only=True,
        ),
        SUBMITTED,
        DECIDED,
        PAID,
        PAID_BY,
        REFERENCE,
        CREATED,
        UPDATED,
    ),
    list_columns=("amount", "currency", "purpose", "user_id", "status", "applied_claim_id"),
    filters=("status", "user_id", "submitted_at"),
    form=(("amount", "currency"), ("purpose",)),
    title_field="purpose",
    read_permission=SUBMIT,
    write_permission=SUBMIT,
    sort_fields=("created_at", "submitted_at", "amount"),
    deletable=True,
    audit_type="oa_expense_advance",
)

RESOURCES = (CATEGORY, CLAIM, LINE, ADVANCE)

DASHBOARD = Dashboard(
    name="oa.expenses",
    label="Expenses",
    order=60,
    metrics=(
        Metric(
            "oa.expenses_by_category",
            "Expenses per category and month",
            f"{API}/reports/by-category",
            SUBMIT,
            display="bar",
            period="last_365_days",
        ),
    ),
)
