"""Database roles: the owner runs migrations; the runtime role owns nothing.

Migrations grant table privileges to the group role :data:`RUNTIME_GROUP`; the login role the
application connects as (``TESSERA_APP_DB_ROLE``) is a member of it. The login role is never a
superuser, never has BYPASSRLS and owns no table, so forced row-level security holds for it.
"""

from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy.engine import make_url

RUNTIME_GROUP = "tessera_runtime"
#: The group of the dispatcher (event relay and scheduler): it reads the outbox of every tenant
#: and nothing else. Its login role is the app role's name with ``_dispatch`` appended.
DISPATCH_GROUP = "tessera_dispatch"


def dispatch_role(app_role: str) -> str:
    return f"{app_role}_dispatch"


class UnsafeRuntimeRole(RuntimeError):
    """The configured runtime role could bypass row-level security."""


_ROLE_ATTRIBUTES = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


async def ensure_runtime_roles(
    conn: asyncpg.Connection, login_role: str, password: str | None
) -> None:
    """Create or correct the runtime and dispatch roles and their database-level grants."""
    await _ensure_login_role(conn, RUNTIME_GROUP, login_role, password)
    await _ensure_login_role(conn, DISPATCH_GROUP, dispatch_role(login_role), password)


async def _ensure_login_role(
    conn: asyncpg.Connection, group_role: str, login_role: str, password: str | None
) -> None:
    for attempt in range(5):
        try:
            await _ensure_runtime_roles(conn, group_role, login_role, password)
            return
        except (
            asyncpg.UniqueViolationError,
            asyncpg.DuplicateObjectError,
            asyncpg.InternalServerError,
        ):
            # Roles are cluster-wide: two databases migrating at once may race on them.
            await asyncio.sleep(0.1 * (attempt + 1))
    await _ensure_runtime_roles(conn, group_role, login_role, password)


async def _ensure_runtime_roles(
    conn: asyncpg.Connection, group_role: str, login_role: str, password: str | None
) -> None:
    group, login = quote_ident(group_role), quote_ident(login_role)
    if not await _role_exists(conn, group_role):
        await conn.execute(f"CREATE ROLE {group} NOLOGIN {_ROLE_ATTRIBUTES}")
    secret = f" PASSWORD {quote_literal(password)}" if password else ""
    existing = await conn.fetchrow(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1", login_role
    )
    if existing is None:
        await conn.execute(f"CREATE ROLE {login} LOGIN {_ROLE_ATTRIBUTES}{secret}")
    elif existing["rolsuper"] or existing["rolbypassrls"]:
        raise UnsafeRuntimeRole(
            f"the runtime role {login_role!r} is a superuser or has BYPASSRLS; "
            "row-level security would not protect tenants. Use another TESSERA_APP_DB_ROLE."
        )
    elif secret:
        await conn.execute(f"ALTER ROLE {login}{secret}")
    is_member = await conn.fetchval("SELECT pg_has_role($1, $2, 'MEMBER')", login_role, group_role)
    if not is_member:
        await conn.execute(f"GRANT {group} TO {login}")
    database = await conn.fetchval("SELECT current_database()")
    await conn.execute(f"GRANT CONNECT ON DATABASE {quote_ident(database)} TO {group}")
    await conn.execute(f"GRANT USAGE ON SCHEMA public TO {group}")


async def _role_exists(conn: asyncpg.Connection, role: str) -> bool:
    return bool(await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role))


async def ensure_owner_database(admin_url: str, owner_role: str, database: str) -> str:
    """As a superuser or CREATEROLE+CREATEDB admin: an owner role and a database it owns.

    Returns the owner's URL of that database (same server as ``admin_url``).
    """
    conn = await asyncpg.connect(admin_url)
    try:
        if not await _role_exists(conn, owner_role):
            await conn.execute(
                f"CREATE ROLE {quote_ident(owner_role)} LOGIN CREATEROLE NOSUPERUSER NOBYPASSRLS"
            )
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            await conn.execute(
                f"CREATE DATABASE {quote_ident(database)} OWNER {quote_ident(owner_role)}"
                " ENCODING 'UTF8' TEMPLATE template0"
            )
    finally:
        await conn.close()
    url = make_url(admin_url).set(username=owner_role, password=None, database=database)
    return url.render_as_string(hide_password=False)


async def drop_database(admin_url: str, database: str) -> None:
    """Drop ``database`` even if sessions are still connected (test and bench databases)."""
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {quote_ident(database)} WITH (FORCE)")
    finally:
        await conn.close()
