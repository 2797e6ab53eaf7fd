"""What the tenant export/import tests share: fresh databases, the target's state counted, and
archives taken apart and put back together (to damage them on purpose)."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg

from tessera.db.roles import drop_database
from tests.events_support import clone_database, database_url

#: Tenant-owned tables whose rows stay in the source deployment (see the operations guide).
LEFT_BEHIND = {"identity_session"}


@asynccontextmanager
async def fresh_database(admin_url: str, owner_url: str, template: str) -> AsyncIterator[str]:
    """A migrated, empty database of its own (the owner's URL), dropped afterwards."""
    name = await clone_database(admin_url, template)
    try:
        yield database_url(owner_url, name)
    finally:
        await drop_database(admin_url, name)


async def allow_restoring(admin_url: str) -> None:
    """What an operator grants once so that an import can restore rows without their
    triggers firing (PostgreSQL 15+)."""
    conn = await asyncpg.connect(admin_url)
    try:
        # Two test processes granting at once collide on the catalog row ("tuple concurrently
        # updated"): the second waits for the first's commit.
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('tessera-test-grants'))")
            await conn.execute("GRANT SET ON PARAMETER session_replication_role TO tessera")
    finally:
        await conn.close()


async def tenant_tables(conn: asyncpg.Connection) -> set[str]:
    """Every table with a tenant_id column, as information_schema tells it."""
    rows = await conn.fetch(
        "SELECT c.table_name FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_schema, table_name) "
        "WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' "
        "AND t.table_type = 'BASE TABLE'"
    )
    return {r[0] for r in rows}


async def database_state(admin_url: str, database: str) -> dict[str, int]:
    """Every public table of ``database`` and its row count (as a superuser: all tenants)."""
    conn = await asyncpg.connect(database_url(admin_url, database))
    try:
        names = [
            r[0]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {n: await conn.fetchval(f'SELECT count(*) FROM "{n}"') for n in sorted(names)}
    finally:
        await conn.close()


def stored_files(root: Path) -> dict[str, bytes]:
    """Every file under a local store, by its key."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".partial" not in p.parts
    }


def read_members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:*") as tar:
        members = {}
        for info in tar:
            handle = tar.extractfile(info)
            assert handle is not None
            members[info.name] = handle.read()
    return members


def write_members(archive: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(archive, "w") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def manifest_of(members: dict[str, bytes]) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(members["manifest.json"])
    return manifest


def rewrite(
    source: Path,
    target: Path,
    change: Callable[[dict[str, bytes], dict[str, Any]], None],
    *,
    reseal: bool = False,
) -> None:
    """A copy of an archive with ``change`` applied to its members and manifest; ``reseal``
    recomputes the manifest's checksums and row counts, as a forger would."""
    members = read_members(source)
    manifest = manifest_of(members)
    change(members, manifest)
    if reseal:
        for table in manifest["tables"]:
            content = members[table["file"]]
            table["sha256"] = hashlib.sha256(content).hexdigest()
            table["rows"] = content.count(b"\n")
    members["manifest.json"] = json.dumps(manifest).encode()
    write_members(target, members)
