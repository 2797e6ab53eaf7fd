"""OA: announcements, whom they address (departments, roles) and read receipts.

Revision ID: o004
Revises: o003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "o004"
down_revision: str | None = "o003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEMBER = ["identity_membership.tenant_id", "identity_membership.user_id"]
TABLES = (
    "oa_announcement",
    "oa_announcement_department",
    "oa_announcement_role",
    "oa_announcement_read",
)


def _keys(table: str) -> list[sa.Column[Any] | sa.Constraint]:
    return [
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f(f"fk_{table}_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
    ]


def _to(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete="CASCADE",
    )


def _member(table: str, column: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        MEMBER,
        name=op.f(f"fk_{table}_tenant_id_{column}_identity_membership"),
        ondelete=ondelete,
    )


def _pair(table: str, column: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(
        "tenant_id",
        "announcement_id",
        column,
        name=op.f(f"uq_{table}_tenant_id_announcement_id_{column}"),
    )


def upgrade() -> None:
    op.create_table(
        "oa_announcement",
        *_keys("oa_announcement"),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("roles", sa.ARRAY(sa.String(length=20)), nullable=False),
        sa.Column("pinned", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("publish_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=True),
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
        _member("oa_announcement", "author_id", "SET NULL (author_id)"),
        sa.CheckConstraint(
            "audience IN ('everyone', 'departments', 'roles')",
            name=op.f("ck_oa_announcement_audience"),
        ),
        sa.CheckConstraint("expires_at > publish_at", name=op.f("ck_oa_announcement_expiry")),
    )
    op.create_index(
        "ix_oa_announcement_due",
        "oa_announcement",
        ["tenant_id", "publish_at"],
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.create_index(
        "ix_oa_announcement_feed", "oa_announcement", ["tenant_id", "pinned", "publish_at", "id"]
    )
    op.create_table(
        "oa_announcement_department",
        *_keys("oa_announcement_department"),
        sa.Column("announcement_id", sa.Uuid(), nullable=False),
        sa.Column("department_id", sa.Uuid(), nullable=False),
        _to("oa_announcement_department", "announcement_id", "oa_announcement"),
        _to("oa_announcement_department", "department_id", "oa_department"),
        _pair("oa_announcement_department", "department_id"),
    )
    op.create_index(
        "ix_oa_announcement_department_department",
        "oa_announcement_department",
        ["tenant_id", "department_id"],
    )
    op.create_table(
        "oa_announcement_role",
        *_keys("oa_announcement_role"),
        sa.Column("announcement_id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        _to("oa_announcement_role", "announcement_id", "oa_announcement"),
        _to("oa_announcement_role", "role_id", "access_role"),
        _pair("oa_announcement_role", "role_id"),
    )
    op.create_index(
        "ix_oa_announcement_role_role", "oa_announcement_role", ["tenant_id", "role_id"]
    )
    op.create_table(
        "oa_announcement_read",
        *_keys("oa_announcement_read"),
        sa.Column("announcement_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        _to("oa_announcement_read", "announcement_id", "oa_announcement"),
        _member("oa_announcement_read", "user_id", "CASCADE"),
        _pair("oa_announcement_read", "user_id"),
    )
    op.create_index(
        "ix_oa_announcement_read_user",
        "oa_announcement_read",
        ["tenant_id", "user_id", "announcement_id"],
    )
    for table in TABLES:
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
