"""CRM: what a deal sells, line by line, and the sales order the ERP made of it.

Revision ID: c009
Revises: c008
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "c009"
down_revision: str | None = "c008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crm_deal_line",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deal_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.Numeric(18, 4), nullable=False),
        sa.Column("unit_price", sa.Numeric(18, 2), nullable=False),
        sa.Column("discount", sa.Numeric(5, 2), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_crm_deal_line_quantity")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_crm_deal_line_unit_price")),
        sa.CheckConstraint("discount BETWEEN 0 AND 100", name=op.f("ck_crm_deal_line_discount")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "deal_id"],
            ["crm_deal.tenant_id", "crm_deal.id"],
            name=op.f("fk_crm_deal_line_tenant_id_deal_id_crm_deal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_crm_deal_line_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_crm_deal_line")),
        sa.UniqueConstraint(
            "tenant_id",
            "deal_id",
            "position",
            name=op.f("uq_crm_deal_line_tenant_id_deal_id_position"),
        ),
    )
    enable_tenant_rls("crm_deal_line")
    grant_runtime("crm_deal_line", "SELECT, INSERT, DELETE")
    op.add_column("crm_deal", sa.Column("sales_order_id", sa.Uuid(), nullable=True))
    op.add_column("crm_deal", sa.Column("sales_order_number", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("crm_deal", "sales_order_number")
    op.drop_column("crm_deal", "sales_order_id")
    op.drop_table("crm_deal_line")
