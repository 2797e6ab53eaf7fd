"""Expenses: receipt files attached to claims.

Revision ID: x002
Revises: x001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "x002"
down_revision: str | None = "x001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0020"


def upgrade() -> None:
    op.create_table(
        "expenses_receipt",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["tenant_id", "claim_id"],
            ["expenses_claim.tenant_id", "expenses_claim.id"],
            name=op.f("fk_expenses_receipt_tenant_id_claim_id_expenses_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "file_id"],
            ["stored_file.tenant_id", "stored_file.id"],
            name=op.f("fk_expenses_receipt_tenant_id_file_id_stored_file"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_expenses_receipt_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_expenses_receipt")),
    )
    op.create_index("ix_expenses_receipt_file", "expenses_receipt", ["tenant_id", "file_id"])
    op.create_index("ix_expenses_receipt_claim", "expenses_receipt", ["tenant_id", "claim_id"])
    enable_tenant_rls("expenses_receipt")
    grant_runtime("expenses_receipt")


def downgrade() -> None:
    op.drop_table("expenses_receipt")
