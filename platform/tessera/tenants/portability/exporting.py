"""Exporting one tenant: every row it owns, its people's accounts and its files' bytes, read in
one REPEATABLE READ, READ ONLY transaction so the archive is one consistent snapshot."""

from __future__ import annotations

import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from tessera import __version__
from tessera.db.engine import plain_url
from tessera.db.roles import quote_ident
from tessera.db.tenant_context import TENANT_SETTING
from tessera.storage.backends import MissingObject
from tessera.tenants.portability.archive import (
    ArchiveError,
    FileEntry,
    HashingWriter,
    Manifest,
    TableEntry,
    file_member,
    table_member,
    write_archive,
)
from tessera.tenants.portability.catalogue import (
    TENANT_TABLE,
    USER_TABLE,
    Catalogue,
    Table,
    migration_heads,
    read_catalogue,
)
from tessera.tenants.portability.deployment import Deployment


async def export_tenant(deployment: Deployment, slug: str, target: Path) -> Manifest:
    """Write the tenant ``slug`` to the archive ``target``; its manifest is returned."""
    conn = await asyncpg.connect(plain_url(deployment.owner_url))
    try:
        with tempfile.TemporaryDirectory(prefix="tessera-export-") as scratch:
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                manifest, members = await _snapshot(conn, deployment, slug, Path(scratch))
            deployment.progress(f"writing {target}")
            write_archive(target, manifest, members)
    finally:
        await conn.close()
    return manifest


async def _snapshot(
    conn: asyncpg.Connection, deployment: Deployment, slug: str, scratch: Path
) -> tuple[Manifest, dict[str, Path]]:
    tenant = await conn.fetchrow("SELECT id, slug, name FROM tenant WHERE slug = $1", slug)
    if tenant is None:
        raise ArchiveError(f"no tenant has the slug {slug!r}")
    tenant_id: uuid.UUID = tenant["id"]
    # The owner is subject to the forced policies too: enter the tenant to see its rows.
    await conn.execute("SELECT set_config($1, $2, true)", TENANT_SETTING, str(tenant_id))
    catalogue = await read_catalogue(conn)
    manifest = Manifest(
        tessera_version=__version__,
        tenant={"id": str(tenant_id), "slug": tenant["slug"], "name": tenant["name"]},
        exported_at=datetime.now(UTC).isoformat(),
        alembic_heads=await migration_heads(
            conn, deployment.migrations_dir, deployment.plugin_version_dirs
        ),
    )
    members: dict[str, Path] = {}
    for table in catalogue.carried():
        query, arguments = _rows_query(catalogue, table, tenant_id)
        entry, path = await _copy_out(conn, table, query, arguments, scratch)
        manifest.tables.append(entry)
        members[entry.file] = path
        deployment.progress(f"{table.name}: {entry.rows} rows")
    for file_entry, path in await _files(conn, deployment, scratch):
        manifest.files.append(file_entry)
        members[file_entry.file] = path
    deployment.progress(f"files: {len(manifest.files)}")
    return manifest, members


def _rows_query(catalogue: Catalogue, table: Table, tenant_id: uuid.UUID) -> tuple[str, list[str]]:
    """The SELECT of the tenant's rows of ``table`` (the tenant row, its people's accounts)."""
    select = f"SELECT {table.column_list()} FROM {table.quoted}"
    order = f" ORDER BY {table.ordering()}"
    if table.name == TENANT_TABLE:
        return f"{select} WHERE id = $1::uuid{order}", [str(tenant_id)]
    if table.name == USER_TABLE:
        # Every account a row of the tenant points at: members, and any other user key.
        referring = " UNION ".join(
            f"SELECT {quote_ident(k.columns[0])} FROM {quote_ident(k.table)}"
            f" WHERE tenant_id = $1::uuid"
            for k in catalogue.keys_into(USER_TABLE)
            if len(k.columns) == 1
        )
        if not referring:
            return f"{select} WHERE false", []
        return f"{select} WHERE id IN ({referring}){order}", [str(tenant_id)]
    return f"{select} WHERE tenant_id = $1::uuid{order}", [str(tenant_id)]


async def _copy_out(
    conn: asyncpg.Connection, table: Table, query: str, arguments: list[str], scratch: Path
) -> tuple[TableEntry, Path]:
    path = scratch / f"{table.name}.csv"
    with path.open("xb") as handle:
        writer = HashingWriter(handle)
        status = await conn.copy_from_query(query, *arguments, output=writer.awrite, format="csv")
    rows = int(status.split()[-1])
    entry = TableEntry(
        name=table.name,
        file=table_member(table.name),
        columns=list(table.columns),
        rows=rows,
        sha256=writer.sha256,
    )
    return entry, path


async def _files(
    conn: asyncpg.Connection, deployment: Deployment, scratch: Path
) -> list[tuple[FileEntry, Path]]:
    """Each stored file's bytes, checked against the checksum taken when it was uploaded."""
    copied = []
    folder = scratch / "files"
    folder.mkdir()
    rows = await conn.fetch("SELECT id, key, sha256 FROM stored_file ORDER BY id")
    for number, row in enumerate(rows):
        path = folder / str(number)
        try:
            opened = await deployment.storage.open(row["key"])
        except MissingObject:
            raise ArchiveError(
                f"file {row['id']} has no bytes in the store (key {row['key']!r})"
            ) from None
        with path.open("xb") as handle:
            writer = HashingWriter(handle)
            try:
                async for chunk in opened.chunks:
                    writer.write(chunk)
            finally:
                await opened.close()
        if writer.sha256 != row["sha256"]:
            raise ArchiveError(
                f"the stored bytes of file {row['id']} do not match the checksum taken at upload"
            )
        entry = FileEntry(
            key=row["key"], file=file_member(row["key"]), size=writer.size, sha256=writer.sha256
        )
        copied.append((entry, path))
    return copied
