"""Upkeep by the dispatcher: it may delete expired sessions, spent link tokens, stale throttles.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from tessera.db.roles import DISPATCH_GROUP, quote_ident

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Platform tables (no tenant, no RLS) the dispatcher's hourly upkeep clears of expired rows.
UPKEEP_TABLES = ("identity_session", "identity_used_token", "identity_login_throttle")


def upgrade() -> None:
    op.create_index(
        op.f("ix_identity_session_expires_at"), "identity_session", ["expires_at"], unique=False
    )
    for table in UPKEEP_TABLES:
        op.execute(f"GRANT SELECT, DELETE ON {table} TO {quote_ident(DISPATCH_GROUP)}")


def downgrade() -> None:
    for table in UPKEEP_TABLES:
        op.execute(f"REVOKE ALL ON {table} FROM {quote_ident(DISPATCH_GROUP)}")
    op.drop_index(op.f("ix_identity_session_expires_at"), table_name="identity_session")
