"""Approval centre: who was copied on an approval, files attached to its actions, and the
indexes behind the inbox, "done", and "my requests" lists.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.db.rls import enable_tenant_rls, grant_runtime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Task statuses of the "done" list (the assignee decided or handed the task on).
ACTED = "status IN ('approved', 'rejected', 'returned', 'delegated')"


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="RESTRICT"
    )


def upgrade() -> None:
    op.create_index(
        "ix_workflow_task_pending",
        "workflow_task",
        ["tenant_id", "assignee_user_id", "id"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        "ix_workflow_task_acted",
        "workflow_task",
        ["tenant_id", "assignee_user_id", "acted_at", "id"],
        postgresql_where=sa.text(ACTED),
    )
    op.create_index(
        "ix_workflow_instance_requester",
        "workflow_instance",
        ["tenant_id", "requester_user_id", "id"],
    )

    op.create_table(
        "workflow_cc",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("instance_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "instance_id"],
            ["workflow_instance.tenant_id", "workflow_instance.id"],
            name=op.f("fk_workflow_cc_tenant_id_workflow_instance"),
            ondelete="CASCADE",
        ),
        _tenant_fk("workflow_cc"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_workflow_cc")),
        sa.UniqueConstraint(
            "tenant_id",
            "instance_id",
            "user_id",
            name=op.f("uq_workflow_cc_tenant_id_instance_id_user_id"),
        ),
    )
    op.create_index("ix_workflow_cc_user", "workflow_cc", ["tenant_id", "user_id", "id"])

    op.create_table(
        "workflow_action_file",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "action_id"],
            ["workflow_action.tenant_id", "workflow_action.id"],
            name=op.f("fk_workflow_action_file_tenant_id_workflow_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "file_id"],
            ["stored_file.tenant_id", "stored_file.id"],
            name=op.f("fk_workflow_action_file_tenant_id_stored_file"),
            ondelete="RESTRICT",
        ),
        _tenant_fk("workflow_action_file"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_workflow_action_file")),
        sa.UniqueConstraint(
            "tenant_id", "file_id", name=op.f("uq_workflow_action_file_tenant_id_file_id")
        ),
    )
    op.create_index(
        "ix_workflow_action_file_action", "workflow_action_file", ["tenant_id", "action_id"]
    )
    for table in ("workflow_cc", "workflow_action_file"):
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    op.drop_index("ix_workflow_action_file_action", table_name="workflow_action_file")
    op.drop_table("workflow_action_file")
    op.drop_index("ix_workflow_cc_user", table_name="workflow_cc")
    op.drop_table("workflow_cc")
    op.drop_index("ix_workflow_instance_requester", table_name="workflow_instance")
    op.drop_index("ix_workflow_task_acted", table_name="workflow_task")
    op.drop_index("ix_workflow_task_pending", table_name="workflow_task")
