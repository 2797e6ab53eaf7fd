"""What the browser app shows of supplier bills: a menu entry and the bill's screens, its
lines edited as a table with each line's amount and the total shown while editing, and its PDF
in English or Chinese."""

from __future__ import annotations

from tessera.plugin import Document, Field, MenuItem, Resource
from tessera_test_expenses.bills import BILLS, CATEGORIES

LINES = Field(
    "lines",
    "Lines",
    type="lines",
    required=True,
    line_fields=(
        Field("description", "Description"),
        Field("category", "Category", type="enum", options=CATEGORIES),
        Field("quantity", "Quantity", type="number", required=True),
        Field("unit_price", "Unit price", type="money", required=True),
        Field("discount", "Discount %", type="number"),
        # The server's own figure, on the bill's page; the form shows its estimate instead.
        Field("amount", "Amount", type="money", read_only=True),
    ),
    line_amount=("quantity", "unit_price", "discount"),
)

BILL = Resource(
    name="expenses.bill",
    label="Supplier bill",
    endpoint="/api/v1/expenses/bills",
    fields=(
        Field("supplier", "Supplier", required=True),
        Field("currency", "Currency", required=True),
        Field("billed_on", "Billed on", type="date"),
        LINES,
        Field("total", "Total", type="money", read_only=True),
        Field(
            "owner_id", "Recorded by", type="reference", reference="identity.user", read_only=True
        ),
    ),
    list_columns=("supplier", "billed_on", "total", "lines"),
    form=(("supplier", "currency"), ("billed_on",), ("lines",)),
    title_field="supplier",
    read_permission=BILLS,
    write_permission=BILLS,
    documents=(Document("pdf", "PDF", "{id}/pdf", BILLS, languages=("en", "zh")),),
)

MENU = MenuItem(
    "Supplier bills", "/expenses/bills", icon="file-text", permission=BILLS, resource=BILL.name
)

TRANSLATIONS = {
    "Supplier bills": "供应商账单",
    "Supplier bill": "供应商账单",
    "Supplier": "供应商",
    "Currency": "币种",
    "Billed on": "账单日期",
    "Lines": "明细行",
    "Description": "说明",
    "Category": "类别",
    "Travel": "差旅",
    "Meals": "餐饮",
    "Supplies": "办公用品",
    "Quantity": "数量",
    "Unit price": "单价",
    "Discount %": "折扣 %",
    "Amount": "金额",
    "Total": "合计",
    "Recorded by": "登记人",
    "Record and change supplier bills": "登记和修改供应商账单",
}
