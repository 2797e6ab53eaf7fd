"""OA documents: folders, their shares, documents and their versions (files through the core's
stored_file).

Revision ID: o030
Revises: o050
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "o030"
down_revision: str | None = "o050"
branch_labels: str | Sequence[str] | None = None
# stored_file, which versions refer to.
depends_on: str | Sequence[str] | None = "0015"

MEMBER = ["identity_membership.tenant_id", "identity_membership.user_id"]
TABLES = ("oa_folder", "oa_folder_share", "oa_document", "oa_document_version")


def _timestamps() -> list[sa.Column[object]]:
    return [
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
    ]


def _tenant(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="RESTRICT"
    )


def _refers(
    table: str, column: str, target: str, ondelete: str | None, target_column: str = "id"
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.{target_column}"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete=ondelete,
    )


def _folders() -> None:
    op.create_table(
        "oa_folder",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        *_timestamps(),
        _refers("oa_folder", "parent_id", "oa_folder", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "created_by"],
            MEMBER,
            name=op.f("fk_oa_folder_tenant_id_created_by_identity_membership"),
            ondelete="SET NULL (created_by)",
        ),
        _tenant("oa_folder"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_folder")),
    )
    op.create_index("ix_oa_folder_parent", "oa_folder", ["tenant_id", "parent_id"])
    op.create_index("ix_oa_folder_creator", "oa_folder", ["tenant_id", "created_by"])
    op.create_index(
        "uq_oa_folder_sibling_name",
        "oa_folder",
        ["tenant_id", "parent_id", sa.text("lower(name)")],
        unique=True,
        postgresql_where=sa.text("parent_id IS NOT NULL"),
    )
    op.create_index(
        "uq_oa_folder_top_name",
        "oa_folder",
        ["tenant_id", sa.text("lower(name)")],
        unique=True,
        postgresql_where=sa.text("parent_id IS NULL"),
    )


def _shares() -> None:
    op.create_table(
        "oa_folder_share",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("folder_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("role_id", sa.Uuid(), nullable=True),
        sa.Column("department_id", sa.Uuid(), nullable=True),
        sa.Column("access", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "num_nonnulls(user_id, role, role_id, department_id) = 1",
            name=op.f("ck_oa_folder_share_grantee"),
        ),
        sa.CheckConstraint(
            "role IN ('owner', 'admin', 'member')", name=op.f("ck_oa_folder_share_role")
        ),
        sa.CheckConstraint("access IN ('read', 'write')", name=op.f("ck_oa_folder_share_access")),
        _refers("oa_folder_share", "folder_id", "oa_folder", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "user_id"],
            MEMBER,
            name=op.f("fk_oa_folder_share_tenant_id_user_id_identity_membership"),
            ondelete="CASCADE",
        ),
        _refers("oa_folder_share", "role_id", "access_role", "CASCADE"),
        _refers("oa_folder_share", "department_id", "oa_department", "CASCADE"),
        _tenant("oa_folder_share"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_folder_share")),
    )
    for name, column in (
        ("user", "user_id"),
        ("role", "role"),
        ("custom_role", "role_id"),
        ("department", "department_id"),
    ):
        op.create_index(
            f"uq_oa_folder_share_{name}",
            "oa_folder_share",
            ["tenant_id", column, "folder_id"],
            unique=True,
            postgresql_where=sa.text(f"{column} IS NOT NULL"),
        )
    op.create_index("ix_oa_folder_share_folder", "oa_folder_share", ["tenant_id", "folder_id"])


def _documents() -> None:
    op.create_table(
        "oa_document",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("folder_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("version >= 1", name=op.f("ck_oa_document_version")),
        _refers("oa_document", "folder_id", "oa_folder", "CASCADE"),
        _tenant("oa_document"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_document")),
    )
    op.create_index(
        "uq_oa_document_folder_name",
        "oa_document",
        ["tenant_id", "folder_id", sa.text("lower(name)")],
        unique=True,
    )
    op.create_index("ix_oa_document_updated", "oa_document", ["tenant_id", "updated_at"])
    op.create_table(
        "oa_document_version",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_oa_document_version_number")),
        _refers("oa_document_version", "document_id", "oa_document", "CASCADE"),
        _refers("oa_document_version", "file_id", "stored_file", "RESTRICT"),
        _tenant("oa_document_version"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_document_version")),
        sa.UniqueConstraint(
            "tenant_id",
            "document_id",
            "number",
            name=op.f("uq_oa_document_version_tenant_id_document_id_number"),
        ),
    )
    op.create_index("ix_oa_document_version_file", "oa_document_version", ["tenant_id", "file_id"])


def upgrade() -> None:
    _folders()
    _shares()
    _documents()
    for table in TABLES:
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
