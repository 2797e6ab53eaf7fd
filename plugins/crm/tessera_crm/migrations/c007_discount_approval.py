"""CRM: discount approval of deals (discount, approval state and the approval it speaks of);
indexes for the reports (deals by close date, expected close, and pipeline with creation).

Revision ID: c007
Revises: c004
Create Date: 2026-11-26 00:24:55.827186
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c007"
down_revision: str | None = "c004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "crm_deal",
        sa.Column("discount", sa.Numeric(precision=5, scale=2), server_default="0", nullable=False),
    )
    op.add_column(
        "crm_deal",
        sa.Column("approval", sa.String(length=10), server_default="none", nullable=False),
    )
    op.add_column("crm_deal", sa.Column("approval_id", sa.Uuid(), nullable=True))
    op.create_check_constraint(
        op.f("ck_crm_deal_discount"), "crm_deal", "discount BETWEEN 0 AND 100"
    )
    op.create_check_constraint(
        op.f("ck_crm_deal_approval"),
        "crm_deal",
        "approval IN ('none', 'pending', 'approved', 'rejected')",
    )
    op.create_index("ix_crm_deal_closed_at", "crm_deal", ["tenant_id", "closed_at"], unique=False)
    op.create_index(
        "ix_crm_deal_expected_close", "crm_deal", ["tenant_id", "expected_close"], unique=False
    )
    op.create_index(
        "ix_crm_deal_pipeline_created",
        "crm_deal",
        ["tenant_id", "pipeline_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_crm_deal_pipeline_created", table_name="crm_deal")
    op.drop_index("ix_crm_deal_expected_close", table_name="crm_deal")
    op.drop_index("ix_crm_deal_closed_at", table_name="crm_deal")
    op.drop_constraint(op.f("ck_crm_deal_approval"), "crm_deal", type_="check")
    op.drop_constraint(op.f("ck_crm_deal_discount"), "crm_deal", type_="check")
    op.drop_column("crm_deal", "approval_id")
    op.drop_column("crm_deal", "approval")
    op.drop_column("crm_deal", "discount")
