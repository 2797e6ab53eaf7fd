"""OA: generic requests — forms admins design (fields as JSONB), requests made from them, and
the files their file fields hold.

Revision ID: o070
Revises: o060
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "o070"
down_revision: str | None = "o060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("oa_request_form", "oa_request", "oa_request_file")
STATUSES = "('draft', 'pending', 'approved', 'rejected', 'returned', 'withdrawn')"


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            name,
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        )
        for name in ("created_at", "updated_at")
    ]


def _tenant(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="RESTRICT"
    )


def _ids() -> list[sa.Column[object]]:
    return [
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
    ]


def _forms() -> None:
    op.create_table(
        "oa_request_form",
        *_ids(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("fields", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("amount_field", sa.String(length=40), nullable=True),
        sa.Column("title_field", sa.String(length=40), nullable=True),
        sa.Column("icon", sa.String(length=40), nullable=True),
        sa.Column("category", sa.String(length=80), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        _tenant("oa_request_form"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_request_form")),
    )
    op.create_index("ix_oa_request_form_active", "oa_request_form", ["tenant_id", "active"])
    op.create_index(
        "uq_oa_request_form_active_name",
        "oa_request_form",
        ["tenant_id", sa.text("lower(name)")],
        unique=True,
        postgresql_where=sa.text("active"),
    )


def _requests() -> None:
    op.create_table(
        "oa_request",
        *_ids(),
        sa.Column("form_id", sa.Uuid(), nullable=False),
        sa.Column("requester_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("values", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("approval_id", sa.Uuid(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(f"status IN {STATUSES}", name=op.f("ck_oa_request_status")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "form_id"],
            ["oa_request_form.tenant_id", "oa_request_form.id"],
            name=op.f("fk_oa_request_tenant_id_form_id_oa_request_form"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "requester_id"],
            ["identity_membership.tenant_id", "identity_membership.user_id"],
            name=op.f("fk_oa_request_tenant_id_requester_id_identity_membership"),
            ondelete="SET NULL (requester_id)",
        ),
        _tenant("oa_request"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_request")),
    )
    op.create_index("ix_oa_request_requester", "oa_request", ["tenant_id", "requester_id", "id"])
    op.create_index("ix_oa_request_form", "oa_request", ["tenant_id", "form_id", "status"])
    op.create_table(
        "oa_request_file",
        *_ids(),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("field_key", sa.String(length=40), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "request_id"],
            ["oa_request.tenant_id", "oa_request.id"],
            name=op.f("fk_oa_request_file_tenant_id_request_id_oa_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "file_id"],
            ["stored_file.tenant_id", "stored_file.id"],
            name=op.f("fk_oa_request_file_tenant_id_file_id_stored_file"),
            ondelete="RESTRICT",
        ),
        _tenant("oa_request_file"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_request_file")),
    )
    op.create_index("ix_oa_request_file_request", "oa_request_file", ["tenant_id", "request_id"])
    op.create_index("ix_oa_request_file_file", "oa_request_file", ["tenant_id", "file_id"])


def upgrade() -> None:
    _forms()
    _requests()
    for table in TABLES:
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
