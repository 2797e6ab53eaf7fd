"""CRM: activities (with due dates and reminders) about CRM records; tickets with an SLA.

Revision ID: c005
Revises: c007
Create Date: 2026-11-26 00:26:49.715430
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "c005"
down_revision: str | None = "c007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crm_activity",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.CheckConstraint(
            "kind IN ('call', 'email', 'meeting', 'note', 'task')",
            name=op.f("ck_crm_activity_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "account_id"],
            ["crm_account.tenant_id", "crm_account.id"],
            name=op.f("fk_crm_activity_tenant_id_account_id_crm_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_crm_activity_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_crm_activity")),
    )
    op.create_index(
        "ix_crm_activity_account",
        "crm_activity",
        ["tenant_id", "account_id", "created_at"],
        unique=False,
    )
    op.create_index("ix_crm_activity_due", "crm_activity", ["tenant_id", "due_at"], unique=False)
    op.create_index(
        "ix_crm_activity_owner", "crm_activity", ["tenant_id", "owner_id"], unique=False
    )
    op.create_index(
        "ix_crm_activity_record",
        "crm_activity",
        ["tenant_id", "record_type", "record_id"],
        unique=False,
    )
    op.create_index(
        "ix_crm_activity_remind",
        "crm_activity",
        ["tenant_id", "remind_at"],
        unique=False,
        postgresql_where=sa.text("reminded_at IS NULL AND done_at IS NULL"),
    )
    op.create_table(
        "crm_ticket",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("sla_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("breached_at", sa.DateTime(timezone=True), nullable=True),
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
                "to_tsvector('simple'::regconfig, coalesce(subject, '') || ' ' || coalesce(description, ''))",
                persisted=True,
            ),
            nullable=True,
        ),
        sa.CheckConstraint(
            "priority IN ('low', 'normal', 'high', 'urgent')", name=op.f("ck_crm_ticket_priority")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'pending', 'resolved', 'closed')", name=op.f("ck_crm_ticket_status")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "account_id"],
            ["crm_account.tenant_id", "crm_account.id"],
            name=op.f("fk_crm_ticket_tenant_id_account_id_crm_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "contact_id"],
            ["crm_contact.tenant_id", "crm_contact.id"],
            name=op.f("fk_crm_ticket_tenant_id_contact_id_crm_contact"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_crm_ticket_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_crm_ticket")),
    )
    op.create_index(
        "ix_crm_ticket_account",
        "crm_ticket",
        ["tenant_id", "account_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_crm_ticket_assignee", "crm_ticket", ["tenant_id", "assignee_id"], unique=False
    )
    op.create_index(
        "ix_crm_ticket_contact", "crm_ticket", ["tenant_id", "contact_id"], unique=False
    )
    op.create_index(
        "ix_crm_ticket_search",
        "crm_ticket",
        ["search_vector"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(
        "ix_crm_ticket_sla",
        "crm_ticket",
        ["tenant_id", "sla_due_at"],
        unique=False,
        postgresql_where=sa.text("breached_at IS NULL AND status IN ('open', 'pending')"),
    )
    for table in ("crm_activity", "crm_ticket"):
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    op.drop_index(
        "ix_crm_ticket_sla",
        table_name="crm_ticket",
        postgresql_where=sa.text("breached_at IS NULL AND status IN ('open', 'pending')"),
    )
    op.drop_index("ix_crm_ticket_search", table_name="crm_ticket", postgresql_using="gin")
    op.drop_index("ix_crm_ticket_contact", table_name="crm_ticket")
    op.drop_index("ix_crm_ticket_assignee", table_name="crm_ticket")
    op.drop_index("ix_crm_ticket_account", table_name="crm_ticket")
    op.drop_table("crm_ticket")
    op.drop_index(
        "ix_crm_activity_remind",
        table_name="crm_activity",
        postgresql_where=sa.text("reminded_at IS NULL AND done_at IS NULL"),
    )
    op.drop_index("ix_crm_activity_record", table_name="crm_activity")
    op.drop_index("ix_crm_activity_owner", table_name="crm_activity")
    op.drop_index("ix_crm_activity_due", table_name="crm_activity")
    op.drop_index("ix_crm_activity_account", table_name="crm_activity")
    op.drop_table("crm_activity")
