"""Exporting and importing a large tenant: seconds, rows per second, archive size, and the
process's peak memory (which should not grow with the tenant: rows and files stream).

Makes a migrated database, copies it empty as the target, fills one tenant in the source with
CRM accounts (each also writes its audit entry, hash-chained, as the app would) and files, then
times ``export_tenant`` and ``import_tenant`` — what ``tessera tenants export``/``import`` run.

    uv run python -m bench.tenant_portability [--rows 200000] [--files 20] [--file-mib 4]

PostgreSQL is TESSERA_BENCH_DATABASE_URL (a superuser URL) or an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import resource
import secrets
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from tessera.db.embedded import EmbeddedPostgres
from tessera.db.migrations import upgrade
from tessera.db.roles import drop_database, ensure_owner_database
from tessera.modules.registry import installed_plugins
from tessera.settings import Settings
from tessera.storage.backends import LocalStorage
from tessera.storage.names import object_key
from tessera.tenants.portability import Deployment, export_tenant, import_tenant

MiB = 1024 * 1024


def settings_for(owner_url: str, data_dir: Path) -> Settings:
    return Settings(env="test", database_url=owner_url, data_dir=data_dir)


async def databases(admin_url: str) -> tuple[str, str]:
    """A migrated source and an empty copy of it as the target (owner URLs)."""
    name = f"tessera_bench_{uuid.uuid4().hex[:8]}"
    source = await ensure_owner_database(admin_url, "tessera", name)
    settings = settings_for(source, Path(tempfile.mkdtemp()))
    await asyncio.to_thread(
        upgrade,
        settings.migrations_dir,
        source,
        app_role=settings.app_db_role,
        plugin_version_dirs=installed_plugins().migration_dirs(),
    )
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}_to" TEMPLATE "{name}" OWNER tessera')
        await conn.execute("GRANT SET ON PARAMETER session_replication_role TO tessera")
    finally:
        await conn.close()
    return source, make_url(source).set(database=f"{name}_to").render_as_string(False)


async def fill(owner_url: str, files_dir: Path, rows: int, files: int, file_mib: int) -> str:
    """A tenant with ``rows`` CRM accounts (and their audit entries) and ``files`` files."""
    tenant_id, slug = uuid.uuid4(), f"bench-{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute(
            "INSERT INTO tenant (id, slug, name) VALUES ($1, $2, 'Bench')", tenant_id, slug
        )
        async with conn.transaction():
            await conn.execute("SELECT set_config('tessera.tenant_id', $1, true)", str(tenant_id))
            await conn.execute(
                "INSERT INTO crm_account (tenant_id, id, name, name_key, email, address, tags, notes) "
                "SELECT $1, gen_random_uuid(), 'Account ' || g, 'account ' || g, "
                "'a' || g || '@example.com', '{\"city\": \"Hangzhou\"}', '{vip}', repeat('n', 200) "
                "FROM generate_series(1, $2) g",
                tenant_id, rows,
            )  # fmt: skip
            store = LocalStorage(files_dir)
            for _ in range(files):
                file_id = uuid.uuid4()
                content = secrets.token_bytes(file_mib * MiB)
                key = object_key(tenant_id, file_id)
                await store.write(
                    key,
                    _once(content),
                    content_type="application/octet-stream",
                    max_size=len(content),
                )
                await conn.execute(
                    "INSERT INTO stored_file (tenant_id, id, key, filename, content_type, size, sha256) "
                    "VALUES ($1, $2, $3, 'f.bin', 'application/octet-stream', $4, $5)",
                    tenant_id, file_id, key, len(content), hashlib.sha256(content).hexdigest(),
                )  # fmt: skip
    finally:
        await conn.close()
    return slug


async def _once(content: bytes) -> AsyncIterator[bytes]:
    yield content


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(admin_url: str, rows: int, files: int, file_mib: int) -> None:
    source_url, target_url = await databases(admin_url)
    scratch = Path(tempfile.mkdtemp(prefix="tessera-bench-"))
    try:
        slug = await fill(source_url, scratch / "source" / "files", rows, files, file_mib)
        source = Deployment.from_settings(settings_for(source_url, scratch / "source"))
        target = Deployment.from_settings(settings_for(target_url, scratch / "target"))
        archive = scratch / "tenant.tar"
        before = peak_mib()
        started = time.perf_counter()
        manifest = await export_tenant(source, slug, archive)
        exported = time.perf_counter() - started
        after_export = peak_mib()
        started = time.perf_counter()
        await import_tenant(target, archive)
        imported = time.perf_counter() - started
        total_rows = sum(t.rows for t in manifest.tables)
        size = archive.stat().st_size / MiB
        print(
            f"tenant: {total_rows} rows in {len(manifest.tables)} tables, {files} files of {file_mib} MiB"
        )
        print(
            f"export: {exported:.1f} s ({total_rows / exported:,.0f} rows/s), archive {size:.0f} MiB"
        )
        print(f"import: {imported:.1f} s ({total_rows / imported:,.0f} rows/s)")
        print(
            f"peak RSS: {before:.0f} MiB before, {after_export:.0f} after export, {peak_mib():.0f} after import"
        )
    finally:
        for url in (source_url, target_url):
            await drop_database(admin_url, str(make_url(url).database))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--file-mib", type=int, default=4)
    args = parser.parse_args()
    admin_url = os.environ.get("TESSERA_BENCH_DATABASE_URL")
    embedded = None
    if not admin_url:
        embedded = EmbeddedPostgres(Path(tempfile.gettempdir()) / "tessera-bench-pg")
        admin_url = embedded.admin_url
    try:
        asyncio.run(run(admin_url, args.rows, args.files, args.file_mib))
    finally:
        if embedded is not None:
            embedded.stop()


if __name__ == "__main__":
    main()
