"""What the browser app shows of contracts — from this metadata alone, no JavaScript: the menu,
the contract screens (list, board by status, calendar by signing day, form with the payment
plan as a table of lines, the buttons that sign, close and record a payment) and a dashboard
of what is due by month."""

from __future__ import annotations

from tessera.plugin import Action, Dashboard, Field, MenuItem, Metric, Resource
from tessera_contracts.models import INSTALMENT_STATES, PAY, READ, STATES, WRITE

API = "/api/v1/contracts"

#: The payment plan as the form edits it: what the API takes back as ``instalments``.
INSTALMENTS = Field(
    "instalments",
    "Payment plan",
    type="lines",
    line_fields=(
        Field("due_date", "Due date", type="date", required=True),
        Field("amount", "Amount", type="money", required=True),
        Field("paid", "Paid", type="money", read_only=True),
        Field("status", "Status", type="enum", read_only=True, options=INSTALMENT_STATES),
    ),
)

FLOW = (
    Action(
        "sign",
        "Sign",
        "{id}/sign",
        WRITE,
        when=(("status", ("draft", "rejected")),),
        confirm="Sign this contract? Above the approval threshold it goes for approval.",
    ),
    Action(
        "pay",
        "Record payment",
        "{id}/payments",
        PAY,
        when=(("status", ("active",)),),
        body_fields=(
            Field("instalment", "Instalment no.", type="number", required=True),
            Field("amount", "Amount", type="money", required=True),
            Field("paid_on", "Paid on", type="date", required=True),
            Field("note", "Note"),
        ),
    ),
    Action(
        "close",
        "Close",
        "{id}/close",
        WRITE,
        when=(("status", ("active",)),),
        confirm="Close this contract?",
        danger=True,
    ),
)

CONTRACT = Resource(
    name="contracts.contract",
    label="Contract",
    endpoint=f"{API}/contracts",
    fields=(
        Field("number", "Number", required=True),
        Field("title", "Title", required=True),
        Field("account_id", "Account", type="reference", reference="crm.account", required=True),
        Field("status", "Status", type="enum", read_only=True, options=STATES),
        Field("currency", "Currency", required=True),
        Field("amount", "Amount", type="money", required=True),
        Field("signed_on", "Signed on", type="date", read_only=True),
        Field("owner_id", "Owner", type="reference", reference="identity.user"),
        INSTALMENTS,
        Field("paid", "Paid", type="money", read_only=True),
        Field("outstanding", "Outstanding", type="money", read_only=True),
        Field("created_at", "Created", type="datetime", read_only=True),
        Field("updated_at", "Changed", type="datetime", read_only=True),
    ),
    list_columns=("number", "title", "account_id", "status", "amount", "currency", "signed_on"),
    filters=("status", "account_id"),
    form=(
        ("number", "title"),
        ("account_id", "owner_id"),
        ("currency", "amount"),
        ("instalments",),
    ),
    kanban_by="status",
    calendar_by="signed_on",
    title_field="number",
    read_permission=READ,
    write_permission=WRITE,
    search=True,
    sort_fields=("number", "signed_on", "amount", "created_at"),
    deletable=True,
    audit_type="contracts_contract",
    actions=FLOW,
)

RESOURCES = (CONTRACT,)

DASHBOARD = Dashboard(
    name="contracts.receivables",
    label="Contract receivables",
    order=75,
    metrics=(
        Metric(
            "contracts.due_by_month",
            "Due by month",
            f"{API}/reports/due-by-month",
            READ,
            display="bar",
        ),
    ),
)

MENU = (
    MenuItem(
        "Contracts",
        "/contracts/contracts",
        icon="file-text",
        permission=READ,
        order=75,
        resource="contracts.contract",
    ),
    MenuItem(
        "Contract receivables",
        "/contracts/receivables",
        icon="bar-chart",
        permission=READ,
        order=76,
        dashboard="contracts.receivables",
    ),
)
