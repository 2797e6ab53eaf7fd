"""Importing a tenant's archive into another deployment, in one transaction.

Rows are restored as they were, ids and all, with ``session_replication_role = replica`` so
that no trigger fires on them: the audit trigger would append entries for rows that already
have theirs, and the ledger's and stock's guards would refuse or recompute posted, final rows.
Foreign-key checks are triggers too, so every foreign key of every restored table is checked
here before the transaction commits. Row-level security still applies (it is not a trigger):
the tenant is entered, and a row of any other tenant could not be written.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import asyncpg

from tessera.db.engine import plain_url
from tessera.db.roles import quote_ident, quote_literal
from tessera.db.tenant_context import TENANT_SETTING
from tessera.storage.backends import CHUNK
from tessera.tenants.portability.archive import (
    ArchiveError,
    Manifest,
    Unpacked,
    table_member,
    unpack,
)
from tessera.tenants.portability.catalogue import (
    USER_TABLE,
    Catalogue,
    ForeignKey,
    Table,
    migration_heads,
    read_catalogue,
)
from tessera.tenants.portability.deployment import Deployment
from tessera.tenants.portability.verification import (
    account_ids,
    check_compatible,
    check_members,
    check_rows,
    check_tables,
)

_STAGING = "tessera_import_rows"
_REPLICA_HINT = (
    "the database owner may not set session_replication_role, which an import needs so that "
    "restored rows do not fire triggers; as a superuser run: "
    "GRANT SET ON PARAMETER session_replication_role TO {role}"
)


async def import_tenant(deployment: Deployment, source: Path) -> Manifest:
    """Recreate the archive's tenant; refuse (changing nothing) if anything is wrong with it."""
    with tempfile.TemporaryDirectory(prefix="tessera-import-") as scratch:
        deployment.progress(f"reading {source}")
        unpacked = await anyio.to_thread.run_sync(unpack, source, Path(scratch))
        check_members(unpacked)
        await anyio.to_thread.run_sync(check_rows, unpacked)
        conn = await asyncpg.connect(plain_url(deployment.owner_url))
        try:
            heads = await migration_heads(
                conn, deployment.migrations_dir, deployment.plugin_version_dirs
            )
            check_compatible(unpacked.manifest, heads)
            catalogue = await read_catalogue(conn)
            check_tables(unpacked.manifest, catalogue)
            await _restore(conn, deployment, catalogue, unpacked)
        finally:
            await conn.close()
    return unpacked.manifest


async def _restore(
    conn: asyncpg.Connection, deployment: Deployment, catalogue: Catalogue, unpacked: Unpacked
) -> None:
    manifest = unpacked.manifest
    async with _files_undone_on_failure(deployment) as written, conn.transaction():
        await _without_triggers(conn)
        # Two imports of one archive at once: the second waits here, then finds the tenant,
        # before it could write (and on failure delete) bytes under the first one's keys.
        await conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", manifest.tenant_id
        )
        await _refuse_existing(conn, manifest)
        await conn.execute("SELECT set_config($1, $2, true)", TENANT_SETTING, manifest.tenant_id)
        for table in catalogue.carried():
            count = await _load(conn, table, unpacked.paths[table_member(table.name)])
            deployment.progress(f"{table.name}: {count} rows")
        await _check_references(conn, catalogue, manifest)
        await _refuse_strangers(conn, catalogue, manifest, account_ids(unpacked))
        await _advance_sequences(conn, catalogue)
        await _write_files(conn, deployment, unpacked, written)


@contextlib.asynccontextmanager
async def _files_undone_on_failure(deployment: Deployment) -> AsyncIterator[list[str]]:
    """The keys written inside the block; if it fails (the commit included), they are removed."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        with anyio.CancelScope(shield=True):
            for key in written:
                await deployment.storage.delete(key)
        raise


async def _without_triggers(conn: asyncpg.Connection) -> None:
    # Asked first: once the SET fails, the transaction answers nothing more.
    role = await conn.fetchval("SELECT current_user")
    try:
        await conn.execute("SET LOCAL session_replication_role = replica")
    except asyncpg.InsufficientPrivilegeError:
        raise ArchiveError(_REPLICA_HINT.format(role=quote_ident(role))) from None


async def _refuse_existing(conn: asyncpg.Connection, manifest: Manifest) -> None:
    found = await conn.fetchrow(
        "SELECT id, slug FROM tenant WHERE id = $1::uuid OR slug = $2",
        manifest.tenant_id,
        manifest.tenant["slug"],
    )
    if found is not None:
        raise ArchiveError(
            f"a tenant with this id or slug already exists here ({found['slug']!r}, "
            f"{found['id']}): nothing was imported"
        )


async def _load(conn: asyncpg.Connection, table: Table, rows: Path) -> int:
    """Copy the rows into a staging table, then insert them, so row-level security applies
    (COPY FROM is refused on a table under forced policies)."""
    await conn.execute(f"CREATE TEMP TABLE {_STAGING} (LIKE public.{table.quoted}) ON COMMIT DROP")
    try:
        await conn.copy_to_table(
            _STAGING, schema_name="pg_temp", source=rows, columns=table.columns, format="csv"
        )
        if table.name == USER_TABLE:
            await _refuse_other_accounts(conn)
        overriding = " OVERRIDING SYSTEM VALUE" if table.has_identity else ""
        new_only = (
            f" WHERE NOT EXISTS (SELECT 1 FROM {table.quoted} u WHERE u.id = s.id)"
            if table.name == USER_TABLE
            else ""
        )
        status = await conn.execute(
            f"INSERT INTO {table.quoted} ({table.column_list()}){overriding} "
            f"SELECT {table.column_list()} FROM pg_temp.{_STAGING} s{new_only}"
        )
    except asyncpg.PostgresError as exc:
        raise ArchiveError(f"the database refused the rows of {table.name}: {exc}") from None
    await conn.execute(f"DROP TABLE pg_temp.{_STAGING}")
    return int(status.split()[-1])


async def _refuse_other_accounts(conn: asyncpg.Connection) -> None:
    """An account is the same account here only if both its id and its email are."""
    clash = await conn.fetchrow(
        f"SELECT s.email, s.id AS theirs, u.id AS ours, u.email AS our_email "
        f"FROM pg_temp.{_STAGING} s JOIN identity_user u ON u.id = s.id OR u.email = s.email "
        f"WHERE u.id <> s.id OR u.email <> s.email LIMIT 1"
    )
    if clash is not None:
        raise ArchiveError(
            f"the account {clash['email']} ({clash['theirs']}) clashes with this deployment's "
            f"account {clash['our_email']} ({clash['ours']}): the same id or email names another "
            "person here; nothing was imported"
        )


async def _check_references(
    conn: asyncpg.Connection, catalogue: Catalogue, manifest: Manifest
) -> None:
    """What the foreign-key triggers would have checked, for the restored rows."""
    restored = {t.name for t in manifest.tables if t.rows}
    for key in catalogue.foreign_keys:
        if key.table in restored and key.table not in catalogue.globals:
            orphan = await conn.fetchval(_orphan_query(key), manifest.tenant_id)
            if orphan:
                raise ArchiveError(
                    f"a row of {key.table} refers to a missing row of {key.parent} "
                    f"({key.name}): nothing was imported"
                )


async def _refuse_strangers(
    conn: asyncpg.Connection, catalogue: Catalogue, manifest: Manifest, accounts: list[str]
) -> None:
    """Every account the archive brings is one a row of the tenant points at: an archive
    cannot slip in accounts of people who are not the tenant's."""
    keys = [k for k in catalogue.keys_into(USER_TABLE) if len(k.columns) == 1]
    unreferenced = " AND ".join(
        f"NOT EXISTS (SELECT 1 FROM {quote_ident(k.table)} r "
        f"WHERE r.tenant_id = $1::uuid AND r.{quote_ident(k.columns[0])} = a.id)"
        for k in keys
    )
    stranger = await conn.fetchval(
        f"SELECT a.id FROM unnest($2::uuid[]) AS a(id) WHERE {unreferenced or 'true'} LIMIT 1",
        manifest.tenant_id,
        accounts,
    )
    if stranger is not None:
        raise ArchiveError(
            f"the archive brings account {stranger}, which no row of the tenant refers to: "
            "nothing was imported"
        )


def _orphan_query(key: ForeignKey) -> str:
    present = " AND ".join(f"c.{quote_ident(c)} IS NOT NULL" for c in key.columns)
    matches = " AND ".join(
        f"p.{quote_ident(pc)} = c.{quote_ident(c)}"
        for c, pc in zip(key.columns, key.parent_columns, strict=True)
    )
    return (
        f"SELECT EXISTS (SELECT 1 FROM {quote_ident(key.table)} c "
        f"WHERE c.tenant_id = $1::uuid AND {present} "
        f"AND NOT EXISTS (SELECT 1 FROM {quote_ident(key.parent)} p WHERE {matches}))"
    )


async def _advance_sequences(conn: asyncpg.Connection, catalogue: Catalogue) -> None:
    """Move serial and identity sequences past the ids just restored (a sequence is not
    transactional: a failed import leaves it advanced, which only leaves a gap)."""
    for table in catalogue.carried():
        for column in table.sequenced:
            await conn.execute(
                f"SELECT setval(s.seq, m.top) "
                f"FROM (SELECT pg_get_serial_sequence({quote_literal(table.quoted)}, "
                f"{quote_literal(column)})::regclass AS seq) s, "
                f"(SELECT max({quote_ident(column)}) AS top FROM {table.quoted}) m "
                f"WHERE m.top > coalesce(pg_sequence_last_value(s.seq), 0)"
            )


async def _write_files(
    conn: asyncpg.Connection, deployment: Deployment, unpacked: Unpacked, written: list[str]
) -> None:
    """Each file's bytes through this deployment's store, for exactly the files restored."""
    types = {r["key"]: r["content_type"] for r in await conn.fetch(_FILES)}
    listed = {f.key for f in unpacked.manifest.files}
    if set(types) != listed:
        raise ArchiveError("the archive's files are not the files its stored_file rows name")
    storage = deployment.storage
    for entry in unpacked.manifest.files:
        if await storage.exists(entry.key):
            raise ArchiveError(f"this store already has bytes under {entry.key!r}")
        written.append(entry.key)
        await storage.write(
            entry.key,
            _chunks(unpacked.paths[entry.file]),
            content_type=types[entry.key],
            max_size=entry.size,
        )
    deployment.progress(f"files: {len(written)}")


_FILES = "SELECT key, content_type FROM stored_file"


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    async with await anyio.open_file(path, "rb") as handle:
        while chunk := await handle.read(CHUNK):
            yield chunk
