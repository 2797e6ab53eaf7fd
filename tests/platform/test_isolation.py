"""Tenant isolation is enforced by PostgreSQL itself, not only by the application's queries."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from sqlalchemy import ForeignKeyConstraint, Index, Table, UniqueConstraint, select, text

from tessera.db.base import PLATFORM_TABLES
from tessera.db.engine import Database
from tessera.db.tenant_context import set_tenant
from tessera.metadata import load_metadata
from tessera.security.secrets import digest
from tessera.web.context import SESSION_COOKIE
from tests.support import LiveServer, make_client, sign_up

#: The deliberate platform (not tenant-owned) tables. Adding one is a design decision.
EXPECTED_PLATFORM_TABLES = {
    "tenant",
    "identity_user",
    "identity_session",
    "identity_used_token",
    "identity_login_throttle",
    "job_schedule",
}

METADATA = load_metadata()
TENANT_TABLES = sorted(
    (t for t in METADATA.sorted_tables if t.name not in PLATFORM_TABLES), key=lambda t: t.name
)


def test_platform_tables_are_the_named_few() -> None:
    assert PLATFORM_TABLES == EXPECTED_PLATFORM_TABLES
    for name in PLATFORM_TABLES:
        assert "tenant_id" not in METADATA.tables[name].primary_key.columns, name


@pytest.mark.parametrize("table", TENANT_TABLES, ids=lambda t: t.name)
def test_tenant_owned_table_keys_all_lead_with_tenant_id(table: Table) -> None:
    pk = [c.name for c in table.primary_key.columns]
    assert pk[0] == "tenant_id", f"{table.name}: primary key {pk} must start with tenant_id"
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            cols = [c.name for c in constraint.columns]
            assert "tenant_id" in cols, f"{table.name}: unique {cols} lacks tenant_id"
        if isinstance(constraint, ForeignKeyConstraint):
            target = constraint.referred_table
            if target.name in PLATFORM_TABLES:
                continue
            local = [c.name for c in constraint.columns]
            remote = [e.column.name for e in constraint.elements]
            assert local[0] == "tenant_id" and remote[0] == "tenant_id", (
                f"{table.name}: foreign key {local} -> {target.name}{remote} "
                "can point into another tenant"
            )
    for index in table.indexes:
        assert isinstance(index, Index)
        if index.unique:
            assert "tenant_id" in [c.name for c in index.columns], f"{table.name}: {index.name}"


async def test_every_table_with_tenant_id_has_forced_rls(owner_db: asyncpg.Connection) -> None:
    """Checked in the database itself, so a table made by a migration alone is caught too."""
    rows = await owner_db.fetch(
        """
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
               (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        WHERE c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
        """
    )
    tenant_owned = {r["relname"]: r for r in rows if r["relname"] not in PLATFORM_TABLES}
    assert set(tenant_owned) >= {t.name for t in TENANT_TABLES}
    for name, row in tenant_owned.items():
        assert row["relrowsecurity"] and row["relforcerowsecurity"], f"{name}: RLS not forced"
        assert row["policies"] >= 1, f"{name}: no policy"


def _audited_tables() -> list[str]:
    from tessera.db.base import Base

    classes = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}
    return [t.name for t in TENANT_TABLES if getattr(classes.get(t.name), "__audit__", True)]


async def test_every_audited_table_has_the_audit_trigger(owner_db: asyncpg.Connection) -> None:
    """The database, not the application, records changes: no write can slip past the trail."""
    rows = await owner_db.fetch(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = 'audit' AND NOT t.tgisinternal"
    )
    triggered = {r["relname"] for r in rows}
    missing = sorted(set(_audited_tables()) - triggered)
    assert missing == [], f"tenant-owned tables without the audit trigger: {missing}"
    assert "audit_entry" not in triggered


async def _two_tenants(live_server: LiveServer) -> tuple[str, str]:
    async with make_client(live_server) as a, make_client(live_server) as b:
        return (await sign_up(a)).tenant_id, (await sign_up(b)).tenant_id


async def _counts_by_tenant(conn: asyncpg.Connection, table: str) -> dict[str, int]:
    rows = await conn.fetch(f"SELECT tenant_id::text AS t, count(*) AS n FROM {table} GROUP BY 1")
    return {r["t"]: r["n"] for r in rows}


@pytest.mark.parametrize("table", [t.name for t in TENANT_TABLES])
async def test_raw_sql_as_app_role_sees_only_its_tenant(
    live_server: LiveServer, app_db: asyncpg.Connection, table: str
) -> None:
    tenant_a, tenant_b = await _two_tenants(live_server)
    async with app_db.transaction():
        await app_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_a)
        counts = await _counts_by_tenant(app_db, table)
        assert set(counts) <= {tenant_a}, f"{table}: rows of other tenants visible: {counts}"
        explicit = await app_db.fetchval(
            f"SELECT count(*) FROM {table} WHERE tenant_id = $1", uuid.UUID(tenant_b)
        )
        assert explicit == 0
    # The setting was transaction-local: outside it, nothing at all.
    assert await app_db.fetchval(f"SELECT count(*) FROM {table}") == 0


async def test_no_tenant_context_means_no_rows(
    live_server: LiveServer, app_db: asyncpg.Connection
) -> None:
    await _two_tenants(live_server)
    for table in TENANT_TABLES:
        assert await app_db.fetchval(f"SELECT count(*) FROM {table.name}") == 0, table.name


async def test_a_row_cannot_reference_another_tenants_row(
    live_server: LiveServer, app_db: asyncpg.Connection
) -> None:
    tenant_a, tenant_b = await _two_tenants(live_server)
    async with app_db.transaction():
        await app_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_b)
        membership_b = await app_db.fetchval("SELECT id FROM identity_membership LIMIT 1")
    insert = """
        INSERT INTO identity_api_token (tenant_id, id, membership_id, name, secret_hash, hint)
        VALUES ($1, $2, $3, 'x', '\\x00', 'x')
    """
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        async with app_db.transaction():
            await app_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_a)
            await app_db.execute(insert, uuid.UUID(tenant_a), uuid.uuid4(), membership_b)
    # Writing a row into tenant B while in tenant A's context is refused by the policy.
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with app_db.transaction():
            await app_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_a)
            await app_db.execute(insert, uuid.UUID(tenant_b), uuid.uuid4(), membership_b)


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE identity_membership DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE identity_membership NO FORCE ROW LEVEL SECURITY",
        "ALTER TABLE identity_membership ADD COLUMN sneaky text",
        "DROP POLICY tenant_isolation ON identity_membership",
        "CREATE POLICY open ON identity_membership USING (true)",
        "TRUNCATE identity_membership",
        "DROP TABLE identity_invitation",
        "CREATE TABLE sneaky (id int)",
        "ALTER ROLE CURRENT_USER BYPASSRLS",
    ],
)
async def test_app_role_cannot_weaken_isolation(app_db: asyncpg.Connection, statement: str) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await app_db.execute(statement)


async def test_app_role_cannot_switch_row_security_off(
    live_server: LiveServer, app_db: asyncpg.Connection
) -> None:
    await _two_tenants(live_server)
    await app_db.execute("SET row_security = off")
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
            await app_db.fetchval("SELECT count(*) FROM identity_membership")
    finally:
        await app_db.execute("RESET row_security")


async def test_app_role_is_unprivileged_and_owns_nothing(app_db: asyncpg.Connection) -> None:
    role = await app_db.fetchrow(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles "
        "WHERE rolname = current_user"
    )
    assert role is not None and not any(role.values())
    owned = await app_db.fetchval(
        "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles "
        "WHERE rolname = current_user)"
    )
    assert owned == 0


async def test_pooled_connection_serves_two_tenants_in_turn(live_server: LiveServer) -> None:
    """The tenant setting dies with its transaction, so one pooled connection can be shared."""
    tenant_a, tenant_b = await _two_tenants(live_server)
    from tessera.runtime import runtime_database_url

    database = Database(runtime_database_url(live_server.settings), pool_size=1)
    count = text("SELECT count(*) FROM identity_membership")
    pids = set()
    try:
        for tenant, expected_tenant in ((tenant_a, tenant_a), (None, None), (tenant_b, tenant_b)):
            async with database.transaction() as db:
                pids.add((await db.execute(select(text("pg_backend_pid()")))).scalar_one())
                if tenant is not None:
                    await set_tenant(db, uuid.UUID(tenant))
                visible = (
                    (
                        await db.execute(
                            text("SELECT DISTINCT tenant_id::text FROM identity_membership")
                        )
                    )
                    .scalars()
                    .all()
                )
                assert visible == ([expected_tenant] if expected_tenant else [])
                assert (await db.execute(count)).scalar_one() == (1 if tenant else 0)
    finally:
        await database.dispose()
    assert len(pids) == 1, "the three transactions should have shared one pooled connection"


async def test_hot_read_connections_serve_two_tenants_in_turn(live_server: LiveServer) -> None:
    """A hot read enters its session's tenant for the pooled connection, and the pool skips
    the reset on release: each lookup must replace what the last request on the connection
    entered — an invalid session must leave it in no tenant at all."""
    async with make_client(live_server) as a, make_client(live_server) as b:
        tenant_a, tenant_b = (await sign_up(a)).tenant_id, (await sign_up(b)).tenant_id
        cookies = {tenant_a: a.cookies[SESSION_COOKIE], tenant_b: b.cookies[SESSION_COOKIE]}
    from tessera.runtime import runtime_database_url

    database = Database(runtime_database_url(live_server.settings), pool_size=1)
    pids = set()
    try:
        for tenant in (tenant_a, None, tenant_b, None, tenant_a):
            cookie = cookies[tenant] if tenant else "not-a-session"
            async with database.read_connection() as connection:
                pids.add(await connection.fetchval("SELECT pg_backend_pid()"))
                member = await connection.fetchrow(
                    "SELECT * FROM tessera_session_member($1, '{}'::jsonb, true)", digest(cookie)
                )
                assert (member is not None) == (tenant is not None)
                visible = await connection.fetch(
                    "SELECT DISTINCT tenant_id::text FROM identity_membership"
                )
                assert [row[0] for row in visible] == ([tenant] if tenant else [])
                entered = await connection.fetchval("SELECT current_setting('tessera.context')")
                assert (entered != "") == (tenant is not None)
    finally:
        await database.dispose()
    assert len(pids) == 1, "the requests should have shared one pooled connection"


async def test_a_hot_read_runs_nothing_before_its_session_lookup(live_server: LiveServer) -> None:
    """Until the lookup entered this request's tenant, the pooled connection may still carry
    the last request's: a query there is refused, not run."""
    from tessera.runtime import runtime_database_url
    from tessera.unit_of_work import UnitOfWork

    database = Database(runtime_database_url(live_server.settings), pool_size=1)
    try:
        async with database.read_connection() as connection:
            uow = UnitOfWork(
                db=None,  # type: ignore[arg-type]
                settings=live_server.settings,
                signer=None,  # type: ignore[arg-type]
                side_transaction=database.transaction,
                driver=connection,
            )
            with pytest.raises(RuntimeError, match="before its session lookup"):
                await uow.fetch("SELECT 1")
            uow.entered = True
            assert [tuple(row) for row in await uow.fetch("SELECT 1")] == [(1,)]
    finally:
        await database.dispose()
