"""Stored files: one table of file metadata for every plugin, the store's cleanup list, and
each tenant's file size limit.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.db.rls import enable_tenant_rls, grant_runtime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="RESTRICT"
    )


def upgrade() -> None:
    op.create_table(
        "stored_file",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("size >= 0", name=op.f("ck_stored_file_size")),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name=op.f("ck_stored_file_sha256")),
        _tenant_fk("stored_file"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_stored_file")),
    )
    op.create_index("ix_stored_file_created", "stored_file", ["tenant_id", "created_at"])
    enable_tenant_rls("stored_file")
    # No UPDATE: a file's bytes and their name never change; a new version is a new file.
    grant_runtime("stored_file", "SELECT, INSERT, DELETE")

    op.create_table(
        "storage_cleanup",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        _tenant_fk("storage_cleanup"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_storage_cleanup")),
    )
    op.create_index("ix_storage_cleanup_due", "storage_cleanup", ["tenant_id", "not_before"])
    enable_tenant_rls("storage_cleanup", audited=False)
    # UPDATE only for SELECT … FOR UPDATE, which keeps two removers off the same row.
    grant_runtime("storage_cleanup")

    op.create_table(
        "storage_setting",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("max_file_bytes", sa.BigInteger(), nullable=False),
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
        sa.CheckConstraint("max_file_bytes > 0", name=op.f("ck_storage_setting_max_file_bytes")),
        _tenant_fk("storage_setting"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_storage_setting")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_storage_setting_tenant_id")),
    )
    enable_tenant_rls("storage_setting")
    grant_runtime("storage_setting", "SELECT, INSERT, UPDATE")


def downgrade() -> None:
    op.drop_table("storage_setting")
    op.drop_index("ix_storage_cleanup_due", table_name="storage_cleanup")
    op.drop_table("storage_cleanup")
    op.drop_index("ix_stored_file_created", table_name="stored_file")
    op.drop_table("stored_file")
