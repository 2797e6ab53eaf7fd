"""OA: expenses — categories, cash advances, claims and their lines (receipts as stored files).

Revision ID: o050
Revises: o004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "o050"
down_revision: str | None = "o004"
branch_labels: str | Sequence[str] | None = None
# Receipts refer to the core's stored files (stored_file, core revision 0015).
depends_on: str | Sequence[str] | None = "0015"

TABLES = ("oa_expense_category", "oa_expense_advance", "oa_expense_claim", "oa_expense_line")
STATUSES = "status IN ('draft', 'submitted', 'approved', 'rejected', 'paid')"


def _tenant(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="RESTRICT"
    )


def _key(table: str) -> tuple[Any, ...]:
    return (
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
    )


def _timestamps() -> tuple[Any, ...]:
    return tuple(
        sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)
        for name in ("created_at", "updated_at")
    )


def _money(name: str, *, nullable: bool = False) -> Any:
    return sa.Column(name, sa.Numeric(14, 2), nullable=nullable)


def _payment() -> list[Any]:
    """What a claim and an advance share from submission to payment."""
    return [
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("approval_id", sa.Uuid(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_by", sa.Uuid(), nullable=True),
        sa.Column("payment_reference", sa.String(length=120), nullable=True),
    ]


def _categories() -> None:
    table = "oa_expense_category"
    op.create_table(
        table,
        *_key(table),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("limit_period", sa.String(length=10), nullable=False),
        _money("limit_amount", nullable=True),
        _money("receipt_threshold", nullable=True),
        sa.Column("only_in_currency", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        _tenant(table),
        sa.CheckConstraint(
            "limit_period IN ('none', 'line', 'month')", name=op.f(f"ck_{table}_limit_period")
        ),
        sa.CheckConstraint(
            "(limit_period = 'none') = (limit_amount IS NULL)",
            name=op.f(f"ck_{table}_limit_amount"),
        ),
        sa.CheckConstraint("limit_amount > 0", name=op.f(f"ck_{table}_limit_positive")),
        sa.CheckConstraint("receipt_threshold >= 0", name=op.f(f"ck_{table}_receipt_threshold")),
        sa.CheckConstraint(
            "currency IS NOT NULL OR (limit_amount IS NULL AND receipt_threshold IS NULL "
            "AND NOT only_in_currency)",
            name=op.f(f"ck_{table}_currency"),
        ),
    )
    op.create_index(
        "uq_oa_expense_category_name", table, ["tenant_id", sa.text("lower(name)")], unique=True
    )


def _advances() -> None:
    table = "oa_expense_advance"
    op.create_table(
        table,
        *_key(table),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        _money("amount"),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("purpose", sa.String(length=500), nullable=False),
        *_payment(),
        *_timestamps(),
        _tenant(table),
        sa.CheckConstraint(STATUSES, name=op.f(f"ck_{table}_status")),
        sa.CheckConstraint("amount > 0", name=op.f(f"ck_{table}_amount")),
    )
    op.create_index("ix_oa_expense_advance_user", table, ["tenant_id", "user_id"])


def _claims() -> None:
    table = "oa_expense_claim"
    op.create_table(
        table,
        *_key(table),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("over_limit", sa.Boolean(), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("advance_id", sa.Uuid(), nullable=True),
        *_payment(),
        *_timestamps(),
        _tenant(table),
        sa.ForeignKeyConstraint(
            ["tenant_id", "advance_id"],
            ["oa_expense_advance.tenant_id", "oa_expense_advance.id"],
            name=op.f(f"fk_{table}_tenant_id_advance_id_oa_expense_advance"),
        ),
        sa.UniqueConstraint(
            "tenant_id", "advance_id", name=op.f(f"uq_{table}_tenant_id_advance_id")
        ),
        sa.CheckConstraint(STATUSES, name=op.f(f"ck_{table}_status")),
    )
    op.create_index("ix_oa_expense_claim_user", table, ["tenant_id", "user_id"])
    op.create_index("ix_oa_expense_claim_status", table, ["tenant_id", "status", "submitted_at"])


def _lines() -> None:
    table = "oa_expense_line"
    op.create_table(
        table,
        *_key(table),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        _money("amount"),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("receipt_file_id", sa.Uuid(), nullable=True),
        sa.Column("over_limit", sa.Boolean(), nullable=False),
        *_timestamps(),
        _tenant(table),
        sa.ForeignKeyConstraint(
            ["tenant_id", "claim_id"],
            ["oa_expense_claim.tenant_id", "oa_expense_claim.id"],
            name=op.f(f"fk_{table}_tenant_id_claim_id_oa_expense_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "category_id"],
            ["oa_expense_category.tenant_id", "oa_expense_category.id"],
            name=op.f(f"fk_{table}_tenant_id_category_id_oa_expense_category"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "receipt_file_id"],
            ["stored_file.tenant_id", "stored_file.id"],
            name=op.f(f"fk_{table}_tenant_id_receipt_file_id_stored_file"),
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint("amount > 0", name=op.f(f"ck_{table}_amount")),
    )
    op.create_index("ix_oa_expense_line_claim", table, ["tenant_id", "claim_id"])
    op.create_index("ix_oa_expense_line_category", table, ["tenant_id", "category_id", "spent_on"])
    op.create_index("ix_oa_expense_line_receipt", table, ["tenant_id", "receipt_file_id"])


def upgrade() -> None:
    _categories()
    _advances()
    _claims()
    _lines()
    for table in TABLES:
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
