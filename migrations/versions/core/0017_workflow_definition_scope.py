"""A workflow definition may be for some records of its type only: its scope.

Submitting picks the active definition whose scope is the record's ``scope_field`` value
(an OA request form's id, say), else the active unscoped one. At most one definition is active
per record type and scope; NULL (no scope) counts as one scope of its own.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("workflow_definition", sa.Column("scope", sa.String(length=100), nullable=True))
    op.drop_index("uq_workflow_definition_active", table_name="workflow_definition")
    op.create_index(
        "uq_workflow_definition_active",
        "workflow_definition",
        ["tenant_id", "record_type", sa.text("coalesce(scope, '')")],
        unique=True,
        postgresql_where=sa.text("active"),
    )


def downgrade() -> None:
    # Scoped definitions would collide with their record type's unscoped one: they go inactive,
    # in every tenant (hence row security lifted, by the table's owner, for this one statement).
    op.execute("ALTER TABLE workflow_definition NO FORCE ROW LEVEL SECURITY")
    op.execute("UPDATE workflow_definition SET active = false WHERE scope IS NOT NULL")
    op.execute("ALTER TABLE workflow_definition FORCE ROW LEVEL SECURITY")
    op.drop_index("uq_workflow_definition_active", table_name="workflow_definition")
    op.drop_column("workflow_definition", "scope")
    op.create_index(
        "uq_workflow_definition_active",
        "workflow_definition",
        ["tenant_id", "record_type"],
        unique=True,
        postgresql_where=sa.text("active"),
    )
