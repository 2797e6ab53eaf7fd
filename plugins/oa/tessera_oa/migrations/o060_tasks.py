"""OA: tasks and projects — projects and their members, tasks, checklists, comments.

Revision ID: o060
Revises: o030
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "o060"
down_revision: str | None = "o030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Members are named by user id; the core's membership table is unique on these two.
MEMBER = ["identity_membership.tenant_id", "identity_membership.user_id"]
TABLES = ("oa_project", "oa_project_member", "oa_task", "oa_task_checklist_item", "oa_task_comment")


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


def _member(table: str, column: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        MEMBER,
        name=op.f(f"fk_{table}_tenant_id_{column}_identity_membership"),
        ondelete=ondelete,
    )


def _ids() -> list[sa.Column[object]]:
    return [
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
    ]


def _projects() -> None:
    op.create_table(
        "oa_project",
        *_ids(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("status IN ('active', 'archived')", name=op.f("ck_oa_project_status")),
        _member("oa_project", "owner_id", "SET NULL (owner_id)"),
        _tenant("oa_project"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_project")),
    )
    op.create_index("ix_oa_project_status", "oa_project", ["tenant_id", "status"])
    op.create_table(
        "oa_project_member",
        *_ids(),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("role IN ('manager', 'member')", name=op.f("ck_oa_project_member_role")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "project_id"],
            ["oa_project.tenant_id", "oa_project.id"],
            name=op.f("fk_oa_project_member_tenant_id_project_id_oa_project"),
            ondelete="CASCADE",
        ),
        _member("oa_project_member", "user_id", "CASCADE"),
        _tenant("oa_project_member"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_project_member")),
        sa.UniqueConstraint(
            "tenant_id",
            "project_id",
            "user_id",
            name=op.f("uq_oa_project_member_tenant_id_project_id_user_id"),
        ),
    )
    op.create_index(
        "ix_oa_project_member_user", "oa_project_member", ["tenant_id", "user_id", "project_id"]
    )


def _tasks() -> None:
    op.create_table(
        "oa_task",
        *_ids(),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("source_module", sa.String(length=40), nullable=True),
        sa.Column("source_record_type", sa.String(length=100), nullable=True),
        sa.Column("source_record_id", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "(source_module IS NULL) = (source_record_type IS NULL) "
            "AND (source_record_type IS NULL) = (source_record_id IS NULL)",
            name=op.f("ck_oa_task_source"),
        ),
        sa.CheckConstraint(
            "status IN ('todo', 'in_progress', 'done', 'cancelled')",
            name=op.f("ck_oa_task_status"),
        ),
        sa.CheckConstraint(
            "priority IN ('low', 'normal', 'high', 'urgent')", name=op.f("ck_oa_task_priority")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "project_id"],
            ["oa_project.tenant_id", "oa_project.id"],
            name=op.f("fk_oa_task_tenant_id_project_id_oa_project"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "parent_id"],
            ["oa_task.tenant_id", "oa_task.id"],
            name=op.f("fk_oa_task_tenant_id_parent_id_oa_task"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "project_id", "assignee_id"],
            [
                "oa_project_member.tenant_id",
                "oa_project_member.project_id",
                "oa_project_member.user_id",
            ],
            name="fk_oa_task_project_assignee",
            ondelete="SET NULL (assignee_id)",
        ),
        _member("oa_task", "assignee_id", "SET NULL (assignee_id)"),
        _member("oa_task", "created_by", "SET NULL (created_by)"),
        _tenant("oa_task"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_task")),
        sa.UniqueConstraint(
            "tenant_id",
            "source_record_type",
            "source_record_id",
            name=op.f("uq_oa_task_tenant_id_source_record_type_source_record_id"),
        ),
    )
    op.create_index("ix_oa_task_project", "oa_task", ["tenant_id", "project_id", "status"])
    op.create_index("ix_oa_task_parent", "oa_task", ["tenant_id", "parent_id"])
    op.create_index("ix_oa_task_assignee", "oa_task", ["tenant_id", "assignee_id"])
    op.create_index("ix_oa_task_created_by", "oa_task", ["tenant_id", "created_by"])
    op.create_index("ix_oa_task_due", "oa_task", ["tenant_id", "due_date"])


def _task_parts() -> None:
    op.create_table(
        "oa_task_checklist_item",
        *_ids(),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("position >= 0", name=op.f("ck_oa_task_checklist_item_position")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "task_id"],
            ["oa_task.tenant_id", "oa_task.id"],
            name=op.f("fk_oa_task_checklist_item_tenant_id_task_id_oa_task"),
            ondelete="CASCADE",
        ),
        _tenant("oa_task_checklist_item"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_task_checklist_item")),
    )
    op.create_index(
        "ix_oa_task_checklist_item_task",
        "oa_task_checklist_item",
        ["tenant_id", "task_id", "position"],
    )
    op.create_table(
        "oa_task_comment",
        *_ids(),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("mentions", postgresql.ARRAY(sa.Uuid()), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["tenant_id", "task_id"],
            ["oa_task.tenant_id", "oa_task.id"],
            name=op.f("fk_oa_task_comment_tenant_id_task_id_oa_task"),
            ondelete="CASCADE",
        ),
        _member("oa_task_comment", "author_id", "SET NULL (author_id)"),
        _tenant("oa_task_comment"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_oa_task_comment")),
    )
    op.create_index("ix_oa_task_comment_task", "oa_task_comment", ["tenant_id", "task_id", "id"])


def upgrade() -> None:
    _projects()
    _tasks()
    _task_parts()
    for table in TABLES:
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
