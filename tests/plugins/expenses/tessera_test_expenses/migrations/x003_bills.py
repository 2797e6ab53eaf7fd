"""Expenses: supplier bills and their lines.

Revision ID: x003
Revises: x002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "x003"
down_revision: str | None = "x002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            name,
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        )
        for name in ("created_at", "updated_at")
    ]


def upgrade() -> None:
    op.create_table(
        "expenses_bill",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("billed_on", sa.Date(), nullable=True),
        sa.Column("total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_expenses_bill_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_expenses_bill")),
    )
    op.create_index("ix_expenses_bill_owner", "expenses_bill", ["tenant_id", "owner_id"])
    op.create_table(
        "expenses_bill_line",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bill_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("discount", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_expenses_bill_line_quantity_positive")),
        sa.CheckConstraint(
            "discount >= 0 AND discount <= 100",
            name=op.f("ck_expenses_bill_line_discount_percent"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "bill_id"],
            ["expenses_bill.tenant_id", "expenses_bill.id"],
            name=op.f("fk_expenses_bill_line_tenant_id_bill_id_expenses_bill"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_expenses_bill_line_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_expenses_bill_line")),
        sa.UniqueConstraint(
            "tenant_id",
            "bill_id",
            "position",
            name=op.f("uq_expenses_bill_line_tenant_id_bill_id_position"),
        ),
    )
    for table in ("expenses_bill", "expenses_bill_line"):
        enable_tenant_rls(table)
    grant_runtime("expenses_bill")
    # A line is never changed in place: editing a bill replaces its lines.
    grant_runtime("expenses_bill_line", "SELECT, INSERT, DELETE")


def downgrade() -> None:
    op.drop_table("expenses_bill_line")
    op.drop_index("ix_expenses_bill_owner", table_name="expenses_bill")
    op.drop_table("expenses_bill")
