"""CRM: pipelines with ordered stages, and deals on them.

Revision ID: c002
Revises: c001
Create Date: 2026-11-25 20:38:02.987778
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "c002"
down_revision: str | None = "c001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crm_pipeline",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
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
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_crm_pipeline_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_crm_pipeline")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_crm_pipeline_tenant_id_name")),
    )
    op.create_table(
        "crm_stage",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pipeline_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.CheckConstraint("probability BETWEEN 0 AND 100", name=op.f("ck_crm_stage_probability")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "pipeline_id"],
            ["crm_pipeline.tenant_id", "crm_pipeline.id"],
            name=op.f("fk_crm_stage_tenant_id_pipeline_id_crm_pipeline"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_crm_stage_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_crm_stage")),
        sa.UniqueConstraint(
            "tenant_id", "pipeline_id", "name", name=op.f("uq_crm_stage_tenant_id_pipeline_id_name")
        ),
    )
    op.create_table(
        "crm_deal",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("pipeline_id", sa.Uuid(), nullable=False),
        sa.Column("stage_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("expected_close", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("lost_reason", sa.String(length=500), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
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
        sa.CheckConstraint("status IN ('open', 'won', 'lost')", name=op.f("ck_crm_deal_status")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_crm_deal_amount")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "account_id"],
            ["crm_account.tenant_id", "crm_account.id"],
            name=op.f("fk_crm_deal_tenant_id_account_id_crm_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "pipeline_id"],
            ["crm_pipeline.tenant_id", "crm_pipeline.id"],
            name=op.f("fk_crm_deal_tenant_id_pipeline_id_crm_pipeline"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "stage_id"],
            ["crm_stage.tenant_id", "crm_stage.id"],
            name=op.f("fk_crm_deal_tenant_id_stage_id_crm_stage"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_crm_deal_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_crm_deal")),
    )
    op.create_index("ix_crm_deal_account", "crm_deal", ["tenant_id", "account_id"], unique=False)
    op.create_index("ix_crm_deal_owner", "crm_deal", ["tenant_id", "owner_id"], unique=False)
    op.create_index("ix_crm_deal_stage", "crm_deal", ["tenant_id", "stage_id"], unique=False)
    for table in ("crm_pipeline", "crm_stage", "crm_deal"):
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    op.drop_index("ix_crm_deal_stage", table_name="crm_deal")
    op.drop_index("ix_crm_deal_owner", table_name="crm_deal")
    op.drop_index("ix_crm_deal_account", table_name="crm_deal")
    op.drop_table("crm_deal")
    op.drop_table("crm_stage")
    op.drop_table("crm_pipeline")
