"""Migration helpers that make a table tenant-safe and grant the runtime role its access.

Used by core and plugin migrations alike::

    op.create_table("crm_deal", ...)
    enable_tenant_rls("crm_deal")
    grant_runtime("crm_deal")
"""

from __future__ import annotations

from alembic import op

from tessera.db.roles import RUNTIME_GROUP, quote_ident
from tessera.db.tenant_context import CURRENT_TENANT_SQL

FULL_ACCESS = "SELECT, INSERT, UPDATE, DELETE"


def enable_tenant_rls(table: str) -> None:
    """Enable and force RLS with the one policy every tenant-owned table has."""
    name = quote_ident(table)
    op.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {name} "
        f"USING (tenant_id = {CURRENT_TENANT_SQL}) WITH CHECK (tenant_id = {CURRENT_TENANT_SQL})"
    )


def grant_runtime(table: str, privileges: str = FULL_ACCESS) -> None:
    """Grant the runtime role ``privileges`` on ``table`` (and nothing else)."""
    op.execute(f"GRANT {privileges} ON {quote_ident(table)} TO {quote_ident(RUNTIME_GROUP)}")
