"""CRM: full-text search vectors on accounts, contacts and deals; the tenant's CRM settings.

Revision ID: c003
Revises: c002
Create Date: 2026-11-26 00:15:34.339078
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "c003"
down_revision: str | None = "c002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crm_settings",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("lead_pool_days", sa.Integer(), nullable=False),
        sa.Column("discount_threshold", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("default_currency", sa.String(length=3), nullable=False),
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
            "discount_threshold >= 0 AND discount_threshold <= 100",
            name=op.f("ck_crm_settings_discount_threshold"),
        ),
        sa.CheckConstraint(
            "lead_pool_days BETWEEN 0 AND 3650", name=op.f("ck_crm_settings_lead_pool_days")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_crm_settings_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_crm_settings")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_crm_settings_tenant_id")),
    )
    op.add_column(
        "crm_account",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || coalesce(website, '') || ' ' || coalesce(email, '') || ' ' || coalesce(translate(email, '@.', '  '), '') || ' ' || coalesce(phone_key, ''))",
                persisted=True,
            ),
            nullable=True,
        ),
    )
    op.create_index("ix_crm_account_name", "crm_account", ["tenant_id", "name", "id"], unique=False)
    op.create_index(
        "ix_crm_account_search",
        "crm_account",
        ["search_vector"],
        unique=False,
        postgresql_using="gin",
    )
    op.add_column(
        "crm_contact",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('simple'::regconfig, coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(title, '') || ' ' || coalesce(email, '') || ' ' || coalesce(translate(email, '@.', '  '), '') || ' ' || coalesce(phone_key, ''))",
                persisted=True,
            ),
            nullable=True,
        ),
    )
    op.create_index(
        "ix_crm_contact_last_name", "crm_contact", ["tenant_id", "last_name", "id"], unique=False
    )
    op.create_index(
        "ix_crm_contact_search",
        "crm_contact",
        ["search_vector"],
        unique=False,
        postgresql_using="gin",
    )
    op.add_column(
        "crm_deal",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('simple'::regconfig, coalesce(name, ''))", persisted=True),
            nullable=True,
        ),
    )
    op.create_index(
        "ix_crm_deal_search", "crm_deal", ["search_vector"], unique=False, postgresql_using="gin"
    )
    enable_tenant_rls("crm_settings")
    grant_runtime("crm_settings")


def downgrade() -> None:
    op.drop_index("ix_crm_deal_search", table_name="crm_deal", postgresql_using="gin")
    op.drop_column("crm_deal", "search_vector")
    op.drop_index("ix_crm_contact_search", table_name="crm_contact", postgresql_using="gin")
    op.drop_index("ix_crm_contact_last_name", table_name="crm_contact")
    op.drop_column("crm_contact", "search_vector")
    op.drop_index("ix_crm_account_search", table_name="crm_account", postgresql_using="gin")
    op.drop_index("ix_crm_account_name", table_name="crm_account")
    op.drop_column("crm_account", "search_vector")
    op.drop_table("crm_settings")
