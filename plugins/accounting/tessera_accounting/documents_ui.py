"""What the browser app shows of partners, invoices and payments: menu entries, their screens,
and the receivables dashboard.

An invoice's lines are edited as a table (the ``lines`` field type) with each line's amount
shown while editing (the server computes the real one, taxes and rounding included); posting
and cancelling are its page's buttons, and its PDF a link in English or Chinese.
"""

from __future__ import annotations

from tessera.plugin import Action, Dashboard, Document, Field, MenuItem, Metric, Resource
from tessera_accounting.invoice_models import INVOICE_POST, INVOICE_READ, INVOICE_WRITE, STATUSES
from tessera_accounting.invoice_pdf import STATUS_TEXT, TITLES
from tessera_accounting.models import REPORT
from tessera_accounting.partners import PARTNER_KINDS, PARTNER_READ, PARTNER_WRITE
from tessera_accounting.payment_models import DIRECTIONS, PAYMENT_WRITE

API = "/api/v1/accounting"
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)

MENUS = (
    MenuItem(
        "Customers and vendors",
        "/accounting/partners",
        icon="team",
        permission=PARTNER_READ,
        order=120,
        resource="accounting.partner",
    ),
    MenuItem(
        "Invoices and bills",
        "/accounting/invoices",
        icon="file-text",
        permission=INVOICE_READ,
        order=121,
        resource="accounting.invoice",
    ),
    MenuItem(
        "Payments",
        "/accounting/payments",
        icon="wallet",
        permission=INVOICE_READ,
        order=122,
        resource="accounting.payment",
    ),
    MenuItem(
        "Receivables",
        "/accounting/receivables",
        icon="bar-chart",
        permission=REPORT,
        order=123,
        dashboard="accounting.receivables",
    ),
)

PARTNER = Resource(
    name="accounting.partner",
    label="Partner",
    endpoint=f"{API}/partners",
    fields=(
        Field("name", "Name", required=True),
        Field("kind", "Kind", type="enum", options=PARTNER_KINDS, required=True),
        Field("email", "Email"),
        Field("phone", "Phone"),
        Field("tax_id", "Tax ID"),
        Field("address", "Address", type="longtext"),
        Field("currency", "Currency"),
        Field("payment_terms_days", "Payment terms (days)", type="number"),
        Field("crm_account_id", "CRM account"),
        Field("active", "Active", type="bool"),
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "kind", "email", "phone", "currency", "payment_terms_days", "active"),
    filters=("kind", "active"),
    form=(
        ("name", "kind"),
        ("email", "phone"),
        ("tax_id", "currency"),
        ("address",),
        ("payment_terms_days", "crm_account_id"),
        ("active",),
    ),
    title_field="name",
    read_permission=PARTNER_READ,
    write_permission=PARTNER_WRITE,
    search=True,
    sort_fields=("name", "created_at"),
    audit_type="accounting_partner",
)

INVOICE_ACTIONS = (
    Action(
        "post",
        "Post",
        "{id}/post",
        INVOICE_POST,
        when=(("status", ("draft",)),),
        confirm="Post it? A posted invoice is numbered and booked; it can no longer change.",
    ),
    Action(
        "cancel",
        "Cancel",
        "{id}/cancel",
        INVOICE_POST,
        when=(("status", ("draft", "posted")),),
        confirm="Cancel it? A posted invoice is undone by a reversing entry.",
        danger=True,
    ),
)

INVOICE_LINES = Field(
    "lines",
    "Lines",
    type="lines",
    required=True,
    line_fields=(
        Field("description", "Description", required=True),
        Field("quantity", "Quantity", type="number", required=True),
        Field("unit_price", "Unit price", type="money", required=True),
        Field("discount", "Discount %", type="number"),
        # A tax's code (VAT-S …) and an account's code or role; empty: none, and sales/purchase.
        Field("tax", "Tax code"),
        Field("account", "Account"),
        Field("product_id", "Product"),
        Field("subtotal", "Amount", type="money", read_only=True),
    ),
    line_amount=("quantity", "unit_price", "discount"),
)

INVOICE = Resource(
    name="accounting.invoice",
    label="Invoice",
    endpoint=f"{API}/invoices",
    fields=(
        Field("number", "Number", read_only=True),
        Field("kind", "Kind", type="enum", options=("customer", "vendor"), create_only=True),
        Field(
            "partner_id", "Partner", type="reference", reference="accounting.partner", required=True
        ),
        Field("status", "Status", type="enum", options=STATUSES, read_only=True),
        Field("date", "Date", type="date"),
        Field("due_date", "Due date", type="date"),
        Field("currency", "Currency"),
        Field("reference", "Reference"),
        Field("untaxed", "Untaxed amount", type="money", read_only=True),
        Field("tax", "Tax", type="money", read_only=True),
        Field("total", "Total", type="money", read_only=True),
        Field("residual", "Amount due", type="money", read_only=True),
        INVOICE_LINES,
        Field("notes", "Notes", type="longtext"),
        Field("posted_at", "Posted on", type="datetime", read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=(
        "number",
        "kind",
        "partner_id",
        "date",
        "due_date",
        "currency",
        "total",
        "residual",
        "status",
    ),
    filters=("kind", "status", "partner_id"),
    form=(
        ("kind", "partner_id"),
        ("date", "due_date"),
        ("currency", "reference"),
        ("lines",),
        ("notes",),
    ),
    title_field="number",
    read_permission=INVOICE_READ,
    write_permission=INVOICE_WRITE,
    search=True,
    sort_fields=("date", "due_date", "number", "created_at"),
    audit_type="accounting_invoice",
    actions=INVOICE_ACTIONS,
    documents=(Document("pdf", "Print", "{id}/pdf", INVOICE_READ, languages=("en", "zh")),),
)

#: What a payment settles: the partner's open invoices, each with the amount paid of it (in the
#: invoice's currency); the API takes them as ``allocations``.
PAYMENT_ALLOCATIONS = Field(
    "allocations",
    "Invoices paid",
    type="lines",
    create_only=True,
    line_fields=(
        Field(
            "invoice_id", "Invoice", type="reference", reference="accounting.invoice", required=True
        ),
        Field("invoice_number", "Number", read_only=True),
        Field("amount", "Amount", type="money", required=True),
    ),
)

PAYMENT = Resource(
    name="accounting.payment",
    label="Payment",
    endpoint=f"{API}/payments",
    fields=(
        Field("number", "Number", read_only=True),
        Field("direction", "Direction", type="enum", options=DIRECTIONS, create_only=True),
        Field(
            "partner_id",
            "Partner",
            type="reference",
            reference="accounting.partner",
            create_only=True,
        ),
        Field("date", "Date", type="date", create_only=True),
        Field("amount", "Amount", type="money", create_only=True),
        Field("currency", "Currency", create_only=True),
        Field("reference", "Reference", create_only=True),
        Field("exchange_difference", "Exchange difference", type="money", read_only=True),
        PAYMENT_ALLOCATIONS,
    ),
    list_columns=("number", "direction", "partner_id", "date", "amount", "currency"),
    filters=("partner_id",),
    form=(
        ("direction", "partner_id"),
        ("date", "amount", "currency"),
        ("reference",),
        ("allocations",),
    ),
    title_field="number",
    read_permission=INVOICE_READ,
    write_permission=PAYMENT_WRITE,
    editable=False,
    audit_type="accounting_payment",
)

DASHBOARD = Dashboard(
    name="accounting.receivables",
    label="Receivables and payables",
    order=120,
    metrics=(
        Metric(
            "accounting.receivable_total",
            "Owed by customers",
            f"{API}/reports/aging",
            REPORT,
            value="totals.total",
            params=(("kind", "receivable"),),
        ),
        Metric(
            "accounting.receivable_overdue",
            "Owed by customers, over 90 days overdue",
            f"{API}/reports/aging",
            REPORT,
            value="totals.over_90",
            params=(("kind", "receivable"),),
        ),
        Metric(
            "accounting.payable_total",
            "Owed to vendors",
            f"{API}/reports/aging",
            REPORT,
            value="totals.total",
            params=(("kind", "payable"),),
        ),
    ),
)

#: Texts the invoice PDF and the aging workbook print (translated by the routes).
PRINTED = (
    *TITLES.values(),
    *STATUS_TEXT.values(),
    "Tax ID",
    "Number",
    "Date",
    "Due date",
    "Currency",
    "Status",
    "Reference",
    "Bill to",
    "Vendor",
    "Description",
    "Quantity",
    "Unit price",
    "Discount %",
    "Tax",
    "Amount",
    "Untaxed amount",
    "Total",
    "Amount due",
    "Notes",
    "Partner",
    "Current",
    "1-30 days",
    "31-60 days",
    "61-90 days",
    "Over 90 days",
    "Invoices",
    "Aged receivables",
    "Aged payables",
)

RESOURCES = (PARTNER, INVOICE, PAYMENT)
