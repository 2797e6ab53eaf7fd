"""The tables of sales and purchasing: orders and their lines, what was delivered, received,
invoiced and billed against them, payment plans, and the tenant's settings.

A quotation and its sales order are one row (``state`` moves on), as in Odoo: the lines, the
partner and the totals are the same record before and after confirmation, and the quotation's
number stays beside the order's. Likewise a request for quotation and its purchase order.

Partners and products belong to accounting and inventory: their ids are plain columns here
(another plugin's table is no foreign key target), checked through their services on write.
Quantities done against a line (delivered, invoiced, received, billed) are kept on the line and
bounded by CHECK constraints, so no writer can deliver more than ordered or bill more than
received; the documents that moved them are append-only rows.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, tenant_fk, tenant_unique

SALE_READ, SALE_WRITE = "sales_purchase.sale.read", "sales_purchase.sale.write"
SALE_CONFIRM = "sales_purchase.sale.confirm"
PURCHASE_READ, PURCHASE_WRITE = "sales_purchase.purchase.read", "sales_purchase.purchase.write"
PURCHASE_APPROVE = "sales_purchase.purchase.approve"
SETTINGS = "sales_purchase.settings.manage"

#: quotation -> sale (confirmed) -> done (all delivered and invoiced); cancelled from either
#: of the first two while nothing is delivered or invoiced.
SALE_STATES = ("quotation", "sale", "done", "cancelled")
#: rfq -> to_approve (above the tenant's threshold) -> purchase -> done; rejected by the
#: approval (back to rfq on a returned one); cancelled while nothing is received or billed.
PURCHASE_STATES = ("rfq", "to_approve", "purchase", "done", "rejected", "cancelled")

Money = Numeric(18, 3)
Quantity = Numeric(18, 4)
Price = Numeric(18, 6)
Percent = Numeric(7, 4)


def one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SalesSettings(TenantModel, Timestamps):
    """One row per tenant: when a purchase order needs approval, how far a bill's price may
    stray from the order's."""

    __tablename__ = "sales_purchase_settings"
    __recycle__ = False
    __table_args__ = (
        tenant_unique("singleton"),
        CheckConstraint("singleton", name="singleton"),
        CheckConstraint("approval_threshold IS NULL OR approval_threshold >= 0", name="threshold"),
        CheckConstraint("price_tolerance >= 0 AND price_tolerance <= 100", name="tolerance"),
    )

    singleton: Mapped[bool] = mapped_column(default=True)
    #: Purchase orders whose total (in company currency) exceeds this go through the workflow;
    #: None: none does.
    approval_threshold: Mapped[Decimal | None] = mapped_column(Money)
    #: A bill's unit price may differ from the order's by this percentage.
    price_tolerance: Mapped[Decimal] = mapped_column(Percent, default=Decimal(0))


class SaleOrder(TenantModel, Timestamps):
    __tablename__ = "sales_purchase_sale_order"
    __recycle_permission__ = SALE_WRITE
    __table_args__ = (
        CheckConstraint(one_of("state", SALE_STATES), name="state"),
        CheckConstraint(
            "state IN ('quotation', 'cancelled') OR number IS NOT NULL", name="numbered"
        ),
        tenant_unique("number"),
        tenant_unique("quotation_number"),
        # One quotation per won deal, however often the event comes.
        tenant_unique("deal_id"),
        Index("ix_sales_purchase_sale_order_partner", "tenant_id", "partner_id"),
        Index("ix_sales_purchase_sale_order_crm_account", "tenant_id", "crm_account_id"),
        Index("ix_sales_purchase_sale_order_state", "tenant_id", "state", "order_date"),
    )

    quotation_number: Mapped[str] = mapped_column(String(40))
    number: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default="quotation")
    partner_id: Mapped[uuid.UUID]
    partner_name: Mapped[str] = mapped_column(String(200))
    crm_account_id: Mapped[str | None] = mapped_column(String(100))
    deal_id: Mapped[str | None] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3))
    order_date: Mapped[date]
    validity_date: Mapped[date | None]
    note: Mapped[str] = mapped_column(String(2000), default="")
    untaxed: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    created_by: Mapped[uuid.UUID | None]
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]


class SaleLine(TenantModel, Timestamps):
    __tablename__ = "sales_purchase_sale_line"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("order_id", "sales_purchase_sale_order", ondelete="CASCADE"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
        CheckConstraint("discount >= 0 AND discount <= 100", name="discount"),
        CheckConstraint("delivered >= 0 AND delivered <= quantity", name="delivered"),
        CheckConstraint("invoiced >= 0 AND invoiced <= delivered", name="invoiced"),
        Index("ix_sales_purchase_sale_line_order", "tenant_id", "order_id", "position"),
    )

    order_id: Mapped[uuid.UUID]
    position: Mapped[int]
    product_id: Mapped[uuid.UUID]
    product_type: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal] = mapped_column(Price)
    discount: Mapped[Decimal] = mapped_column(Percent, default=Decimal(0))
    tax_code: Mapped[str | None] = mapped_column(String(40))
    untaxed: Mapped[Decimal] = mapped_column(Money)
    tax: Mapped[Decimal] = mapped_column(Money)
    delivered: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    invoiced: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))


class PurchaseOrder(TenantModel, Timestamps):
    __tablename__ = "sales_purchase_purchase_order"
    __recycle_permission__ = PURCHASE_WRITE
    __table_args__ = (
        CheckConstraint(one_of("state", PURCHASE_STATES), name="state"),
        CheckConstraint(
            "state IN ('rfq', 'to_approve', 'rejected', 'cancelled') OR number IS NOT NULL",
            name="numbered",
        ),
        tenant_unique("number"),
        tenant_unique("rfq_number"),
        Index("ix_sales_purchase_purchase_order_partner", "tenant_id", "partner_id"),
        Index("ix_sales_purchase_purchase_order_state", "tenant_id", "state", "order_date"),
    )

    rfq_number: Mapped[str] = mapped_column(String(40))
    number: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default="rfq")
    partner_id: Mapped[uuid.UUID]
    partner_name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    order_date: Mapped[date]
    note: Mapped[str] = mapped_column(String(2000), default="")
    untaxed: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    #: The total in the company's currency when confirmation was asked: what approval compares.
    total_company: Mapped[Decimal | None] = mapped_column(Money)
    created_by: Mapped[uuid.UUID | None]
    approval_id: Mapped[uuid.UUID | None]
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]


class PurchaseLine(TenantModel, Timestamps):
    __tablename__ = "sales_purchase_purchase_line"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("order_id", "sales_purchase_purchase_order", ondelete="CASCADE"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
        CheckConstraint("discount >= 0 AND discount <= 100", name="discount"),
        CheckConstraint("received >= 0 AND received <= quantity", name="received"),
        CheckConstraint("billed >= 0 AND billed <= received", name="billed"),
        Index("ix_sales_purchase_purchase_line_order", "tenant_id", "order_id", "position"),
    )

    order_id: Mapped[uuid.UUID]
    position: Mapped[int]
    product_id: Mapped[uuid.UUID]
    product_type: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal] = mapped_column(Price)
    discount: Mapped[Decimal] = mapped_column(Percent, default=Decimal(0))
    tax_code: Mapped[str | None] = mapped_column(String(40))
    untaxed: Mapped[Decimal] = mapped_column(Money)
    tax: Mapped[Decimal] = mapped_column(Money)
    received: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    billed: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))


class OrderDocument(TenantModel):
    """A delivery, invoice, receipt or bill made from an order: what the other module made
    (its id and number) and when. Written once, never changed (the runtime role may only
    insert)."""

    __tablename__ = "sales_purchase_document"
    __recycle__ = False
    __table_args__ = (
        CheckConstraint(
            "(kind IN ('delivery', 'invoice') AND sale_order_id IS NOT NULL "
            "AND purchase_order_id IS NULL) OR (kind IN ('receipt', 'bill') "
            "AND purchase_order_id IS NOT NULL AND sale_order_id IS NULL)",
            name="kind",
        ),
        tenant_fk("sale_order_id", "sales_purchase_sale_order"),
        tenant_fk("purchase_order_id", "sales_purchase_purchase_order"),
        Index("ix_sales_purchase_order_document_sale", "tenant_id", "sale_order_id"),
        Index("ix_sales_purchase_order_document_purchase", "tenant_id", "purchase_order_id"),
    )

    kind: Mapped[str] = mapped_column(String(20))
    sale_order_id: Mapped[uuid.UUID | None]
    purchase_order_id: Mapped[uuid.UUID | None]
    #: The other module's record: inventory's picking, accounting's invoice or bill.
    document_id: Mapped[uuid.UUID]
    number: Mapped[str] = mapped_column(String(60))
    document_date: Mapped[date]
    #: Invoices and bills: their total in the order's currency.
    total: Mapped[Decimal | None] = mapped_column(Money)
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]


class DocumentLine(TenantModel):
    """How much of one order line a document moved."""

    __tablename__ = "sales_purchase_document_line"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("document_id", "sales_purchase_document"),
        CheckConstraint("quantity > 0", name="quantity"),
        Index("ix_sales_purchase_document_line_document", "tenant_id", "document_id"),
    )

    document_id: Mapped[uuid.UUID]
    #: A sale line or a purchase line, as the document's kind says.
    line_id: Mapped[uuid.UUID]
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal] = mapped_column(Price)


class Instalment(TenantModel, Timestamps):
    """One due amount of a sales order's payment plan (回款计划)."""

    __tablename__ = "sales_purchase_instalment"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("order_id", "sales_purchase_sale_order", ondelete="CASCADE"),
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("percent IS NULL OR (percent > 0 AND percent <= 100)", name="percent"),
        Index("ix_sales_purchase_instalment_order", "tenant_id", "order_id", "due_date"),
    )

    order_id: Mapped[uuid.UUID]
    position: Mapped[int]
    due_date: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Money)
    #: Given as a share of the total (kept to show it so), or None when given as an amount.
    percent: Mapped[Decimal | None] = mapped_column(Percent)
    note: Mapped[str] = mapped_column(String(200), default="")
