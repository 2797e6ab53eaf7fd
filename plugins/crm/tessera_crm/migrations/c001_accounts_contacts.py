"""CRM: accounts and contacts.

Revision ID: c001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "c001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("crm",)
depends_on: str | Sequence[str] | None = "0009"


def upgrade() -> None:
    op.create_table(
        "crm_account",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("email_key", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("phone_key", sa.String(length=40), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("address", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("tags", sa.ARRAY(sa.String(length=50)), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_crm_account_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_crm_account")),
    )
    op.create_index(
        "ix_crm_account_email_key", "crm_account", ["tenant_id", "email_key"], unique=False
    )
    op.create_index(
        "ix_crm_account_name_key", "crm_account", ["tenant_id", "name_key"], unique=False
    )
    op.create_index("ix_crm_account_owner", "crm_account", ["tenant_id", "owner_id"], unique=False)
    op.create_index(
        "ix_crm_account_phone_key", "crm_account", ["tenant_id", "phone_key"], unique=False
    )
    op.create_table(
        "crm_contact",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("email_key", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("phone_key", sa.String(length=40), nullable=True),
        sa.Column("tags", sa.ARRAY(sa.String(length=50)), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["tenant_id", "account_id"],
            ["crm_account.tenant_id", "crm_account.id"],
            name=op.f("fk_crm_contact_tenant_id_account_id_crm_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_crm_contact_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_crm_contact")),
    )
    op.create_index(
        "ix_crm_contact_account", "crm_contact", ["tenant_id", "account_id"], unique=False
    )
    op.create_index(
        "ix_crm_contact_email_key", "crm_contact", ["tenant_id", "email_key"], unique=False
    )
    op.create_index("ix_crm_contact_owner", "crm_contact", ["tenant_id", "owner_id"], unique=False)
    op.create_index(
        "ix_crm_contact_phone_key", "crm_contact", ["tenant_id", "phone_key"], unique=False
    )
    for table in ("crm_account", "crm_contact"):
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    op.drop_index("ix_crm_contact_phone_key", table_name="crm_contact")
    op.drop_index("ix_crm_contact_owner", table_name="crm_contact")
    op.drop_index("ix_crm_contact_email_key", table_name="crm_contact")
    op.drop_index("ix_crm_contact_account", table_name="crm_contact")
    op.drop_table("crm_contact")
    op.drop_index("ix_crm_account_phone_key", table_name="crm_account")
    op.drop_index("ix_crm_account_owner", table_name="crm_account")
    op.drop_index("ix_crm_account_name_key", table_name="crm_account")
    op.drop_index("ix_crm_account_email_key", table_name="crm_account")
    op.drop_table("crm_account")
