"""Gapless document numbers: the last number of each series, per tenant and year.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.db.rls import enable_tenant_rls, grant_runtime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_sequence",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("series", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_number >= 1", name=op.f("ck_document_sequence_last_number")),
        sa.CheckConstraint(
            "series ~ '^[A-Z][A-Z0-9]{0,9}$'", name=op.f("ck_document_sequence_series")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_document_sequence_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_document_sequence")),
        sa.UniqueConstraint(
            "tenant_id",
            "series",
            "year",
            name=op.f("uq_document_sequence_tenant_id_series_year"),
        ),
    )
    enable_tenant_rls("document_sequence", audited=False)
    grant_runtime("document_sequence", "SELECT, INSERT, UPDATE")


def downgrade() -> None:
    op.drop_table("document_sequence")
