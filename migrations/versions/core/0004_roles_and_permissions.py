"""Roles and permissions: custom roles, their grants, who holds them; the reporting line.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.db.rls import enable_tenant_rls, grant_runtime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "access_role",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("description", sa.String(length=400), nullable=False),
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
            name=op.f("fk_access_role_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_access_role")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_access_role_tenant_id_name")),
    )
    op.create_table(
        "access_member_role",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("membership_id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "membership_id"],
            ["identity_membership.tenant_id", "identity_membership.id"],
            name=op.f("fk_access_member_role_tenant_id_membership_id_identity_membership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "role_id"],
            ["access_role.tenant_id", "access_role.id"],
            name=op.f("fk_access_member_role_tenant_id_role_id_access_role"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_access_member_role_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_access_member_role")),
        sa.UniqueConstraint(
            "tenant_id",
            "membership_id",
            "role_id",
            name=op.f("uq_access_member_role_tenant_id_membership_id_role_id"),
        ),
    )
    op.create_table(
        "access_role_grant",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.Column("permission", sa.String(length=120), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.CheckConstraint(
            "scope IN ('own', 'team', 'all')", name=op.f("ck_access_role_grant_scope")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "role_id"],
            ["access_role.tenant_id", "access_role.id"],
            name=op.f("fk_access_role_grant_tenant_id_role_id_access_role"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_access_role_grant_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_access_role_grant")),
        sa.UniqueConstraint(
            "tenant_id",
            "role_id",
            "permission",
            name=op.f("uq_access_role_grant_tenant_id_role_id_permission"),
        ),
    )
    op.add_column("identity_membership", sa.Column("manager_id", sa.Uuid(), nullable=True))
    op.create_index(
        "ix_identity_membership_manager",
        "identity_membership",
        ["tenant_id", "manager_id"],
        unique=False,
    )
    op.create_foreign_key(
        op.f("fk_identity_membership_tenant_id_manager_id_identity_membership"),
        "identity_membership",
        "identity_membership",
        ["tenant_id", "manager_id"],
        ["tenant_id", "id"],
    )
    for table in ("access_role", "access_role_grant", "access_member_role"):
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_identity_membership_tenant_id_manager_id_identity_membership"),
        "identity_membership",
        type_="foreignkey",
    )
    op.drop_index("ix_identity_membership_manager", table_name="identity_membership")
    op.drop_column("identity_membership", "manager_id")
    op.drop_table("access_role_grant")
    op.drop_table("access_member_role")
    op.drop_table("access_role")
