"""Notes: notes and their checklist items.

Revision ID: n001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tessera.plugin import enable_tenant_rls, grant_runtime

revision: str = "n001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("notes",)
depends_on: str | Sequence[str] | None = "0002"


def upgrade() -> None:
    op.create_table(
        "notes_note",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_notes_note_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_notes_note")),
        sa.UniqueConstraint("tenant_id", "title", name=op.f("uq_notes_note_tenant_id_title")),
    )
    op.create_index("ix_notes_note_author", "notes_note", ["tenant_id", "author_id"])
    op.create_table(
        "notes_checklist_item",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
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
            ["tenant_id", "note_id"],
            ["notes_note.tenant_id", "notes_note.id"],
            name=op.f("fk_notes_checklist_item_tenant_id_note_id_notes_note"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_notes_checklist_item_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_notes_checklist_item")),
    )
    for table in ("notes_note", "notes_checklist_item"):
        enable_tenant_rls(table)
        grant_runtime(table)


def downgrade() -> None:
    op.drop_table("notes_checklist_item")
    op.drop_table("notes_note")
