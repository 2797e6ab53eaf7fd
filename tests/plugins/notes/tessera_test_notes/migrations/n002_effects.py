"""Notes: a log of what the plugin's handlers, jobs and schedules did.

Revision ID: n002
Revises: n001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "n002"
down_revision: str | None = "n001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notes_effect",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_notes_effect_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_notes_effect")),
    )
    enable_tenant_rls("notes_effect", audited=False)
    grant_runtime("notes_effect")


def downgrade() -> None:
    op.drop_table("notes_effect")
