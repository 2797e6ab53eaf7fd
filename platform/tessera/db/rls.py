"""Migration helpers that make a table tenant-safe, audited, and reachable by the runtime role.

Used by core and plugin migrations alike::

    op.create_table("crm_deal", ...)
    enable_tenant_rls("crm_deal")          # isolation, and every change audited
    grant_runtime("crm_deal")
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from tessera.db.roles import DISPATCH_GROUP, RUNTIME_GROUP, quote_ident, quote_literal
from tessera.db.tenant_context import CURRENT_TENANT_SQL

FULL_ACCESS = "SELECT, INSERT, UPDATE, DELETE"


def enable_tenant_rls(table: str, *, audited: bool = True, secrets: Sequence[str] = ()) -> None:
    """Enable and force RLS with the one policy every tenant-owned table has.

    Unless ``audited=False`` (the audit and recycle tables themselves), the table also gets the
    audit trigger; ``secrets`` names columns whose values the audit trail masks.
    """
    name = quote_ident(table)
    op.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {name} "
        f"USING (tenant_id = {CURRENT_TENANT_SQL}) WITH CHECK (tenant_id = {CURRENT_TENANT_SQL})"
    )
    if audited:
        enable_audit(table, secrets=secrets)


def enable_audit(table: str, *, secrets: Sequence[str] = ()) -> None:
    """Record every insert, update and delete of ``table`` in the tenant's audit trail."""
    masked = ",".join(secrets)
    op.execute(
        f"CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON {quote_ident(table)} "
        f"FOR EACH ROW EXECUTE FUNCTION tessera_audit_row({quote_literal(masked)})"
    )


def grant_runtime(table: str, privileges: str = FULL_ACCESS) -> None:
    """Grant the runtime role ``privileges`` on ``table`` (and nothing else)."""
    op.execute(f"GRANT {privileges} ON {quote_ident(table)} TO {quote_ident(RUNTIME_GROUP)}")


def grant_dispatch(table: str, privileges: str) -> None:
    """Let the dispatcher (event relay, scheduler) reach ``table`` across tenants.

    Only the dispatch group gets this policy; the runtime role still sees one tenant at a time.
    """
    name = quote_ident(table)
    op.execute(
        f"CREATE POLICY dispatch_all ON {name} TO {quote_ident(DISPATCH_GROUP)} "
        "USING (true) WITH CHECK (true)"
    )
    op.execute(f"GRANT {privileges} ON {name} TO {quote_ident(DISPATCH_GROUP)}")
