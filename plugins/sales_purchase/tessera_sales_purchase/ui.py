"""What the browser app shows of sales and purchasing: menus, the order screens (list, kanban
by state, form, the buttons that move an order on) and the sales dashboard.

An order's lines are entered through the API (``lines`` of the order's JSON); the order's page
shows its totals, and the buttons deliver or receive, invoice or bill everything left.
"""

from __future__ import annotations

from tessera.plugin import Action, Dashboard, Document, Field, MenuItem, Metric, Resource
from tessera_sales_purchase.models import (
    PURCHASE_READ,
    PURCHASE_STATES,
    PURCHASE_WRITE,
    SALE_CONFIRM,
    SALE_READ,
    SALE_STATES,
    SALE_WRITE,
)

API = "/api/v1/sales_purchase"
CREATED = Field("created_at", "Created", type="datetime", read_only=True)
UPDATED = Field("updated_at", "Changed", type="datetime", read_only=True)


def _money(name: str, label: str) -> Field:
    return Field(name, label, type="money", read_only=True)


#: An order's lines as its form edits them: what the API takes back on PATCH.
LINES = Field(
    "lines",
    "Lines",
    type="lines",
    line_fields=(
        Field(
            "product_id", "Product", type="reference", reference="inventory.product", required=True
        ),
        Field("description", "Description"),
        Field("quantity", "Quantity", type="number", required=True),
        Field("unit_price", "Unit price", type="money"),
        Field("discount", "Discount %", type="number"),
        Field("tax", "Tax code"),
    ),
    line_amount=("quantity", "unit_price", "discount"),
)


SALE_FLOW = (
    Action("confirm", "Confirm", "{id}/confirm", SALE_CONFIRM, when=(("state", ("quotation",)),)),
    Action(
        "deliver",
        "Deliver all",
        "{id}/deliveries",
        SALE_WRITE,
        when=(("state", ("sale",)),),
        confirm="Deliver everything left on this order?",
    ),
    Action(
        "invoice",
        "Invoice delivered",
        "{id}/invoices",
        SALE_WRITE,
        when=(("state", ("sale",)),),
        confirm="Invoice everything delivered and not yet invoiced?",
    ),
    Action(
        "cancel",
        "Cancel",
        "{id}/cancel",
        SALE_WRITE,
        when=(("state", ("quotation", "sale")),),
        confirm="Cancel this order?",
        danger=True,
    ),
)

PURCHASE_FLOW = (
    Action("confirm", "Confirm", "{id}/confirm", PURCHASE_WRITE, when=(("state", ("rfq",)),)),
    Action(
        "receive",
        "Receive all",
        "{id}/receipts",
        PURCHASE_WRITE,
        when=(("state", ("purchase",)),),
        confirm="Receive everything left on this order?",
    ),
    Action(
        "bill",
        "Record bill",
        "{id}/bills",
        PURCHASE_WRITE,
        when=(("state", ("purchase",)),),
        body_fields=(Field("reference", "Vendor's bill number", required=True),),
    ),
    Action(
        "cancel",
        "Cancel",
        "{id}/cancel",
        PURCHASE_WRITE,
        when=(("state", ("rfq", "to_approve", "purchase")),),
        confirm="Cancel this order?",
        danger=True,
    ),
)

MENU = (
    MenuItem(
        "Sales orders",
        "/sales_purchase/sales/orders",
        icon="shopping-cart",
        permission=SALE_READ,
        order=70,
        resource="sales_purchase.sale_order",
    ),
    MenuItem(
        "Purchase orders",
        "/sales_purchase/purchases/orders",
        icon="truck",
        permission=PURCHASE_READ,
        order=71,
        resource="sales_purchase.purchase_order",
    ),
    MenuItem(
        "Sales reports",
        "/sales_purchase/reports",
        icon="bar-chart",
        permission=SALE_READ,
        order=72,
        dashboard="sales_purchase.sales",
    ),
)

SALE_ORDER = Resource(
    name="sales_purchase.sale_order",
    label="Sales order",
    endpoint=f"{API}/sales/orders",
    fields=(
        Field("name", "Number", read_only=True),
        Field("quotation_number", "Quotation", read_only=True),
        Field("state", "State", type="enum", read_only=True, options=SALE_STATES),
        Field(
            "partner_id",
            "Customer",
            type="reference",
            reference="accounting.partner",
            required=True,
        ),
        Field("currency", "Currency"),
        Field("order_date", "Order date", type="date"),
        Field("validity_date", "Valid until", type="date"),
        Field("note", "Note", type="longtext"),
        LINES,
        _money("untaxed", "Untaxed"),
        _money("tax", "Tax"),
        _money("total", "Total"),
        Field("confirmed_at", "Confirmed on", type="datetime", read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "partner_id", "order_date", "state", "total", "currency"),
    filters=("state",),
    form=(("partner_id",), ("currency", "order_date", "validity_date"), ("lines",), ("note",)),
    kanban_by="state",
    title_field="name",
    read_permission=SALE_READ,
    write_permission=SALE_WRITE,
    search=True,
    sort_fields=("order_date", "created_at", "total"),
    deletable=True,
    audit_type="sales_purchase_sale_order",
    actions=SALE_FLOW,
    documents=(Document("pdf", "Print", "{id}/pdf", SALE_READ, languages=("en", "zh")),),
)

PURCHASE_ORDER = Resource(
    name="sales_purchase.purchase_order",
    label="Purchase order",
    endpoint=f"{API}/purchases/orders",
    fields=(
        Field("name", "Number", read_only=True),
        Field("rfq_number", "Request for quotation", read_only=True),
        Field("state", "State", type="enum", read_only=True, options=PURCHASE_STATES),
        Field(
            "partner_id", "Vendor", type="reference", reference="accounting.partner", required=True
        ),
        Field("currency", "Currency"),
        Field("order_date", "Order date", type="date"),
        Field("note", "Note", type="longtext"),
        LINES,
        _money("untaxed", "Untaxed"),
        _money("tax", "Tax"),
        _money("total", "Total"),
        _money("total_company", "Total in company currency"),
        Field("confirmed_at", "Confirmed on", type="datetime", read_only=True),
        CREATED,
        UPDATED,
    ),
    list_columns=("name", "partner_id", "order_date", "state", "total", "currency"),
    filters=("state",),
    form=(("partner_id",), ("currency", "order_date"), ("lines",), ("note",)),
    kanban_by="state",
    title_field="name",
    read_permission=PURCHASE_READ,
    write_permission=PURCHASE_WRITE,
    search=True,
    sort_fields=("order_date", "created_at", "total"),
    deletable=True,
    audit_type="sales_purchase_purchase_order",
    actions=PURCHASE_FLOW,
    documents=(Document("pdf", "Print", "{id}/pdf", PURCHASE_READ, languages=("en", "zh")),),
)

RESOURCES = (SALE_ORDER, PURCHASE_ORDER)

DASHBOARD = Dashboard(
    name="sales_purchase.sales",
    label="Sales",
    order=70,
    metrics=(
        Metric(
            "sales_purchase.revenue_by_month",
            "Revenue by month",
            f"{API}/sales/reports/revenue",
            SALE_READ,
            display="bar",
            period="last_365_days",
        ),
        Metric(
            "sales_purchase.top_customers",
            "Top customers",
            f"{API}/sales/reports/top-customers",
            SALE_READ,
            display="bar",
            period="last_365_days",
        ),
    ),
)
