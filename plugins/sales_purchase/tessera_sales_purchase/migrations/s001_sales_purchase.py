"""Sales and purchasing: orders, their lines, the documents made from them, payment plans.

Revision ID: s001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "s001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("sales_purchase",)
depends_on: str | Sequence[str] | None = "0018"

#: Table -> what the application may do with its rows. The documents made from an order and
#: their lines are a record of what happened: written once, never changed or removed.
GRANTS = {
    "sales_purchase_settings": "SELECT, INSERT, UPDATE",
    "sales_purchase_sale_order": "SELECT, INSERT, UPDATE, DELETE",
    "sales_purchase_sale_line": "SELECT, INSERT, UPDATE, DELETE",
    "sales_purchase_purchase_order": "SELECT, INSERT, UPDATE, DELETE",
    "sales_purchase_purchase_line": "SELECT, INSERT, UPDATE, DELETE",
    "sales_purchase_document": "SELECT, INSERT",
    "sales_purchase_document_line": "SELECT, INSERT",
    "sales_purchase_instalment": "SELECT, INSERT, UPDATE, DELETE",
}


def upgrade() -> None:
    op.create_table(
        "sales_purchase_purchase_order",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("rfq_number", sa.String(length=40), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("partner_name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("untaxed", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("tax", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("total_company", sa.Numeric(precision=18, scale=3), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("approval_id", sa.Uuid(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "state IN ('rfq', 'to_approve', 'purchase', 'done', 'rejected', 'cancelled')",
            name=op.f("ck_sales_purchase_purchase_order_state"),
        ),
        sa.CheckConstraint(
            "state IN ('rfq', 'to_approve', 'rejected', 'cancelled') OR number IS NOT NULL",
            name=op.f("ck_sales_purchase_purchase_order_numbered"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_sales_purchase_purchase_order_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sales_purchase_purchase_order")),
        sa.UniqueConstraint(
            "tenant_id", "number", name=op.f("uq_sales_purchase_purchase_order_tenant_id_number")
        ),
        sa.UniqueConstraint(
            "tenant_id",
            "rfq_number",
            name=op.f("uq_sales_purchase_purchase_order_tenant_id_rfq_number"),
        ),
    )
    op.create_index(
        "ix_sales_purchase_purchase_order_partner",
        "sales_purchase_purchase_order",
        ["tenant_id", "partner_id"],
        unique=False,
    )
    op.create_index(
        "ix_sales_purchase_purchase_order_state",
        "sales_purchase_purchase_order",
        ["tenant_id", "state", "order_date"],
        unique=False,
    )
    op.create_table(
        "sales_purchase_sale_order",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("quotation_number", sa.String(length=40), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("partner_name", sa.String(length=200), nullable=False),
        sa.Column("crm_account_id", sa.String(length=100), nullable=True),
        sa.Column("deal_id", sa.String(length=100), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("validity_date", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("untaxed", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("tax", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "state IN ('quotation', 'cancelled') OR number IS NOT NULL",
            name=op.f("ck_sales_purchase_sale_order_numbered"),
        ),
        sa.CheckConstraint(
            "state IN ('quotation', 'sale', 'done', 'cancelled')",
            name=op.f("ck_sales_purchase_sale_order_state"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_sales_purchase_sale_order_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sales_purchase_sale_order")),
        sa.UniqueConstraint(
            "tenant_id", "deal_id", name=op.f("uq_sales_purchase_sale_order_tenant_id_deal_id")
        ),
        sa.UniqueConstraint(
            "tenant_id", "number", name=op.f("uq_sales_purchase_sale_order_tenant_id_number")
        ),
        sa.UniqueConstraint(
            "tenant_id",
            "quotation_number",
            name=op.f("uq_sales_purchase_sale_order_tenant_id_quotation_number"),
        ),
    )
    op.create_index(
        "ix_sales_purchase_sale_order_crm_account",
        "sales_purchase_sale_order",
        ["tenant_id", "crm_account_id"],
        unique=False,
    )
    op.create_index(
        "ix_sales_purchase_sale_order_partner",
        "sales_purchase_sale_order",
        ["tenant_id", "partner_id"],
        unique=False,
    )
    op.create_index(
        "ix_sales_purchase_sale_order_state",
        "sales_purchase_sale_order",
        ["tenant_id", "state", "order_date"],
        unique=False,
    )
    op.create_table(
        "sales_purchase_settings",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("singleton", sa.Boolean(), nullable=False),
        sa.Column("approval_threshold", sa.Numeric(precision=18, scale=3), nullable=True),
        sa.Column("price_tolerance", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "approval_threshold IS NULL OR approval_threshold >= 0",
            name=op.f("ck_sales_purchase_settings_threshold"),
        ),
        sa.CheckConstraint(
            "price_tolerance >= 0 AND price_tolerance <= 100",
            name=op.f("ck_sales_purchase_settings_tolerance"),
        ),
        sa.CheckConstraint("singleton", name=op.f("ck_sales_purchase_settings_singleton")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_sales_purchase_settings_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sales_purchase_settings")),
        sa.UniqueConstraint(
            "tenant_id", "singleton", name=op.f("uq_sales_purchase_settings_tenant_id_singleton")
        ),
    )
    op.create_table(
        "sales_purchase_document",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sale_order_id", sa.Uuid(), nullable=True),
        sa.Column("purchase_order_id", sa.Uuid(), nullable=True),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=3), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind IN ('delivery', 'invoice') AND sale_order_id IS NOT NULL AND purchase_order_id IS NULL) OR (kind IN ('receipt', 'bill') AND purchase_order_id IS NOT NULL AND sale_order_id IS NULL)",
            name=op.f("ck_sales_purchase_document_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "purchase_order_id"],
            ["sales_purchase_purchase_order.tenant_id", "sales_purchase_purchase_order.id"],
            name=op.f(
                "fk_sales_purchase_document_tenant_id_purchase_order_id_sales_purchase_purchase_order"
            ),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "sale_order_id"],
            ["sales_purchase_sale_order.tenant_id", "sales_purchase_sale_order.id"],
            name=op.f(
                "fk_sales_purchase_document_tenant_id_sale_order_id_sales_purchase_sale_order"
            ),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_sales_purchase_document_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sales_purchase_document")),
    )
    op.create_index(
        "ix_sales_purchase_order_document_purchase",
        "sales_purchase_document",
        ["tenant_id", "purchase_order_id"],
        unique=False,
    )
    op.create_index(
        "ix_sales_purchase_order_document_sale",
        "sales_purchase_document",
        ["tenant_id", "sale_order_id"],
        unique=False,
    )
    op.create_table(
        "sales_purchase_instalment",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("percent", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_sales_purchase_instalment_amount")),
        sa.CheckConstraint(
            "percent IS NULL OR (percent > 0 AND percent <= 100)",
            name=op.f("ck_sales_purchase_instalment_percent"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "order_id"],
            ["sales_purchase_sale_order.tenant_id", "sales_purchase_sale_order.id"],
            name=op.f("fk_sales_purchase_instalment_tenant_id_order_id_sales_purchase_sale_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_sales_purchase_instalment_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sales_purchase_instalment")),
    )
    op.create_index(
        "ix_sales_purchase_instalment_order",
        "sales_purchase_instalment",
        ["tenant_id", "order_id", "due_date"],
        unique=False,
    )
    op.create_table(
        "sales_purchase_purchase_line",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("product_type", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("discount", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("tax_code", sa.String(length=40), nullable=True),
        sa.Column("untaxed", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("tax", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("received", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("billed", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "billed >= 0 AND billed <= received",
            name=op.f("ck_sales_purchase_purchase_line_billed"),
        ),
        sa.CheckConstraint(
            "discount >= 0 AND discount <= 100",
            name=op.f("ck_sales_purchase_purchase_line_discount"),
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_sales_purchase_purchase_line_quantity")),
        sa.CheckConstraint(
            "received >= 0 AND received <= quantity",
            name=op.f("ck_sales_purchase_purchase_line_received"),
        ),
        sa.CheckConstraint(
            "unit_price >= 0", name=op.f("ck_sales_purchase_purchase_line_unit_price")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "order_id"],
            ["sales_purchase_purchase_order.tenant_id", "sales_purchase_purchase_order.id"],
            name=op.f(
                "fk_sales_purchase_purchase_line_tenant_id_order_id_sales_purchase_purchase_order"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_sales_purchase_purchase_line_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sales_purchase_purchase_line")),
    )
    op.create_index(
        "ix_sales_purchase_purchase_line_order",
        "sales_purchase_purchase_line",
        ["tenant_id", "order_id", "position"],
        unique=False,
    )
    op.create_table(
        "sales_purchase_sale_line",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("product_type", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("discount", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("tax_code", sa.String(length=40), nullable=True),
        sa.Column("untaxed", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("tax", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("delivered", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("invoiced", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "delivered >= 0 AND delivered <= quantity",
            name=op.f("ck_sales_purchase_sale_line_delivered"),
        ),
        sa.CheckConstraint(
            "discount >= 0 AND discount <= 100", name=op.f("ck_sales_purchase_sale_line_discount")
        ),
        sa.CheckConstraint(
            "invoiced >= 0 AND invoiced <= delivered",
            name=op.f("ck_sales_purchase_sale_line_invoiced"),
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_sales_purchase_sale_line_quantity")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_sales_purchase_sale_line_unit_price")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "order_id"],
            ["sales_purchase_sale_order.tenant_id", "sales_purchase_sale_order.id"],
            name=op.f("fk_sales_purchase_sale_line_tenant_id_order_id_sales_purchase_sale_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_sales_purchase_sale_line_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sales_purchase_sale_line")),
    )
    op.create_index(
        "ix_sales_purchase_sale_line_order",
        "sales_purchase_sale_line",
        ["tenant_id", "order_id", "position"],
        unique=False,
    )
    op.create_table(
        "sales_purchase_document_line",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("line_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_sales_purchase_document_line_quantity")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "document_id"],
            ["sales_purchase_document.tenant_id", "sales_purchase_document.id"],
            name=op.f(
                "fk_sales_purchase_document_line_tenant_id_document_id_sales_purchase_document"
            ),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_sales_purchase_document_line_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sales_purchase_document_line")),
    )
    op.create_index(
        "ix_sales_purchase_document_line_document",
        "sales_purchase_document_line",
        ["tenant_id", "document_id"],
        unique=False,
    )
    for table, privileges in GRANTS.items():
        enable_tenant_rls(table)
        grant_runtime(table, privileges)


def downgrade() -> None:
    for table in (
        "sales_purchase_document_line",
        "sales_purchase_document",
        "sales_purchase_instalment",
        "sales_purchase_sale_line",
        "sales_purchase_purchase_line",
        "sales_purchase_sale_order",
        "sales_purchase_purchase_order",
        "sales_purchase_settings",
    ):
        op.drop_table(table)
