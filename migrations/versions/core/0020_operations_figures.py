"""The dispatch role may count jobs by status and dead letters, for ``/metrics``.

Only counts: the role gets the status column of ``job`` and the failure time of
``event_dead_letter``, never their parameters, payloads or errors. The partial index keeps
counting the unfinished and failed jobs cheap however many succeeded ones accumulate.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from tessera.db.roles import DISPATCH_GROUP, quote_ident

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTED = {"job": "status", "event_dead_letter": "failed_at"}


def upgrade() -> None:
    group = quote_ident(DISPATCH_GROUP)
    for table, column in _COUNTED.items():
        op.execute(f"CREATE POLICY dispatch_count ON {table} FOR SELECT TO {group} USING (true)")
        op.execute(f"GRANT SELECT ({column}) ON {table} TO {group}")
    op.execute("CREATE INDEX ix_job_unfinished ON job (status) WHERE status <> 'succeeded'")


def downgrade() -> None:
    op.execute("DROP INDEX ix_job_unfinished")
    group = quote_ident(DISPATCH_GROUP)
    for table, column in _COUNTED.items():
        op.execute(f"REVOKE SELECT ({column}) ON {table} FROM {group}")
        op.execute(f"DROP POLICY dispatch_count ON {table}")
