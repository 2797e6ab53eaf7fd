"""CRM: leads, owned by reps or waiting in the pool (owner NULL), and converted into an
account, a contact and perhaps a deal.

Revision ID: c004
Revises: c003
Create Date: 2026-11-26 00:25:08.918403
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "c004"
down_revision: str | None = "c003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crm_lead",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("email_key", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("phone_key", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("tags", postgresql.ARRAY(sa.String(length=50)), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column(
            "last_touched_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("returned_to_pool_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("converted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("converted_account_id", sa.Uuid(), nullable=True),
        sa.Column("converted_contact_id", sa.Uuid(), nullable=True),
        sa.Column("converted_deal_id", sa.Uuid(), nullable=True),
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
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('simple'::regconfig, coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company, '') || ' ' || coalesce(email, '') || ' ' || coalesce(translate(email, '@.', '  '), '') || ' ' || coalesce(phone_key, ''))",
                persisted=True,
            ),
            nullable=True,
        ),
        sa.CheckConstraint(
            "source IN ('web', 'referral', 'event', 'cold_call', 'advertising', 'partner', 'other')",
            name=op.f("ck_crm_lead_source"),
        ),
        sa.CheckConstraint(
            "status IN ('new', 'contacted', 'qualified', 'unqualified', 'converted')",
            name=op.f("ck_crm_lead_status"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "converted_account_id"],
            ["crm_account.tenant_id", "crm_account.id"],
            name=op.f("fk_crm_lead_tenant_id_converted_account_id_crm_account"),
            ondelete="SET NULL (converted_account_id)",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "converted_contact_id"],
            ["crm_contact.tenant_id", "crm_contact.id"],
            name=op.f("fk_crm_lead_tenant_id_converted_contact_id_crm_contact"),
            ondelete="SET NULL (converted_contact_id)",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "converted_deal_id"],
            ["crm_deal.tenant_id", "crm_deal.id"],
            name=op.f("fk_crm_lead_tenant_id_converted_deal_id_crm_deal"),
            ondelete="SET NULL (converted_deal_id)",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_crm_lead_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_crm_lead")),
    )
    op.create_index("ix_crm_lead_company", "crm_lead", ["tenant_id", "company", "id"], unique=False)
    op.create_index("ix_crm_lead_email_key", "crm_lead", ["tenant_id", "email_key"], unique=False)
    op.create_index(
        "ix_crm_lead_last_name", "crm_lead", ["tenant_id", "last_name", "id"], unique=False
    )
    op.create_index(
        "ix_crm_lead_last_touched", "crm_lead", ["tenant_id", "last_touched_at", "id"], unique=False
    )
    op.create_index("ix_crm_lead_owner", "crm_lead", ["tenant_id", "owner_id"], unique=False)
    op.create_index("ix_crm_lead_phone_key", "crm_lead", ["tenant_id", "phone_key"], unique=False)
    op.create_index(
        "ix_crm_lead_search", "crm_lead", ["search_vector"], unique=False, postgresql_using="gin"
    )
    enable_tenant_rls("crm_lead")
    grant_runtime("crm_lead")


def downgrade() -> None:
    op.drop_index("ix_crm_lead_search", table_name="crm_lead", postgresql_using="gin")
    op.drop_index("ix_crm_lead_phone_key", table_name="crm_lead")
    op.drop_index("ix_crm_lead_owner", table_name="crm_lead")
    op.drop_index("ix_crm_lead_last_touched", table_name="crm_lead")
    op.drop_index("ix_crm_lead_last_name", table_name="crm_lead")
    op.drop_index("ix_crm_lead_email_key", table_name="crm_lead")
    op.drop_index("ix_crm_lead_company", table_name="crm_lead")
    op.drop_table("crm_lead")
