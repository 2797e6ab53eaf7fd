"""The tenant's company profile: what its printed documents say about it.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.db.rls import enable_tenant_rls, grant_runtime

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_profile",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), server_default="", nullable=False),
        sa.Column("tax_id", sa.String(length=50), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=50), server_default="", nullable=False),
        sa.Column("email", sa.String(length=254), server_default="", nullable=False),
        sa.Column("logo_file_id", sa.Uuid(), nullable=True),
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
            "length(btrim(legal_name)) > 0", name=op.f("ck_company_profile_legal_name")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_company_profile_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "logo_file_id"],
            ["stored_file.tenant_id", "stored_file.id"],
            name=op.f("fk_company_profile_tenant_id_logo_file_id_stored_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_company_profile")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_company_profile_tenant_id")),
    )
    enable_tenant_rls("company_profile")
    # No DELETE: a profile is changed, never removed.
    grant_runtime("company_profile", "SELECT, INSERT, UPDATE")


def downgrade() -> None:
    op.drop_table("company_profile")
