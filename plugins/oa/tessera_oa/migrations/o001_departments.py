"""OA: departments and who is in them.

Revision ID: o001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "o001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("oa",)
# The newest core revision when the module began: OA is built against the current core.
depends_on: str | Sequence[str] | None = "0014"

#: Members are named by user id; the core's membership table is unique on these two.
MEMBER = ["identity_membership.tenant_id", "identity_membership.user_id"]


def upgrade() -> None:
    # A trusted extension (the database's owner may create it): exclusion constraints over
    # time ranges of one tenant's rows (leave, room bookings) compare tenant_id with '='.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table(
        "oa_department",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("head_user_id", sa.Uuid(), nullable=True),
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
            ["tenant_id", "head_user_id"],
            MEMBER,
            name=op.f("fk_oa_department_tenant_id_head_user_id_identity_membership"),
            ondelete="SET NULL (head_user_id)",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "parent_id"],
            ["oa_department.tenant_id", "oa_department.id"],
            name=op.f("fk_oa_department_tenant_id_parent_id_oa_department"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_oa_department_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_department")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_oa_department_tenant_id_name")),
    )
    op.create_index("ix_oa_department_parent", "oa_department", ["tenant_id", "parent_id"])
    op.create_table(
        "oa_department_member",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("department_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "department_id"],
            ["oa_department.tenant_id", "oa_department.id"],
            name=op.f("fk_oa_department_member_tenant_id_department_id_oa_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "user_id"],
            MEMBER,
            name=op.f("fk_oa_department_member_tenant_id_user_id_identity_membership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_oa_department_member_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_department_member")),
        sa.UniqueConstraint(
            "tenant_id", "user_id", name=op.f("uq_oa_department_member_tenant_id_user_id")
        ),
    )
    op.create_index(
        "ix_oa_department_member_department",
        "oa_department_member",
        ["tenant_id", "department_id", "user_id"],
    )
    for table in ("oa_department", "oa_department_member"):
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    op.drop_index("ix_oa_department_member_department", table_name="oa_department_member")
    op.drop_table("oa_department_member")
    op.drop_index("ix_oa_department_parent", table_name="oa_department")
    op.drop_table("oa_department")
    # btree_gist stays: other objects may have come to use it.
