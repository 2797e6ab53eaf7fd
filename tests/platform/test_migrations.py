"""Migrations: empty -> head, head -> base -> head, and the models match the migrations."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from tessera.db.engine import asyncpg_url, plain_url
from tessera.db.migrations import downgrade, is_at_heads, script_heads, upgrade
from tessera.db.roles import drop_database, ensure_owner_database
from tessera.metadata import load_metadata
from tessera.modules.registry import installed_plugins
from tessera.settings import Settings

MIGRATIONS = Settings().migrations_dir
PLUGIN_DIRS = tuple(installed_plugins().migration_dirs())


@pytest.fixture
async def scratch_database(admin_url: str) -> AsyncIterator[str]:
    """An empty database of its own, owned by the owner role, dropped afterwards."""
    name = f"tessera_mig_{uuid.uuid4().hex[:10]}"
    yield await ensure_owner_database(admin_url, "tessera", name)
    await drop_database(admin_url, name)


async def _tables(url: str) -> set[str]:
    conn = await asyncpg.connect(plain_url(url))
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r["tablename"] for r in rows}
    finally:
        await conn.close()


async def _applied(url: str) -> set[str]:
    conn = await asyncpg.connect(plain_url(url))
    try:
        return {
            r["version_num"] for r in await conn.fetch("SELECT version_num FROM alembic_version")
        }
    finally:
        await conn.close()


async def _differences(url: str) -> list[Any]:
    engine = create_async_engine(asyncpg_url(url), poolclass=NullPool)
    metadata = load_metadata()

    def compare(sync_conn: Any) -> list[Any]:
        context = MigrationContext.configure(
            sync_conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))

    try:
        async with engine.connect() as conn:
            return await conn.run_sync(compare)
    finally:
        await engine.dispose()


def _upgrade(url: str) -> None:
    upgrade(MIGRATIONS, url, app_role="tessera_app", plugin_version_dirs=PLUGIN_DIRS)


async def test_plugin_branches_are_part_of_the_heads() -> None:
    assert len(script_heads(MIGRATIONS, PLUGIN_DIRS)) == 1 + len(PLUGIN_DIRS)


def _at_heads(applied: set[str]) -> bool:
    return is_at_heads(MIGRATIONS, applied, PLUGIN_DIRS)


async def test_a_plugin_revision_that_depends_on_the_core_head_absorbs_it() -> None:
    heads = set(script_heads(MIGRATIONS, PLUGIN_DIRS))
    assert _at_heads(heads)
    # The expenses branch depends on the newest core revision (it needs stored files, 0015;
    # it names the head so that this case is covered): alembic then keeps only the plugin's
    # revision in the version table (x003, the branch's head, which follows x002), and that
    # is still "at head". A new core revision moves x002's depends_on along.
    core_head = "0020"
    assert core_head in heads, "move x002's depends_on and core_head to the new core head"
    assert _at_heads(heads - {core_head})
    assert not _at_heads(heads - {"x003"})
    assert not _at_heads({"0006", "n001", "x001"} - {"x001"})
    assert not _at_heads(heads | {"zzzz"})


async def test_empty_to_head_to_base_to_head(scratch_database: str) -> None:
    model_tables = set(load_metadata().tables)
    await asyncio.to_thread(_upgrade, scratch_database)
    assert _at_heads(await _applied(scratch_database))
    assert model_tables <= await _tables(scratch_database)

    await asyncio.to_thread(downgrade, MIGRATIONS, scratch_database, "base", PLUGIN_DIRS)
    assert await _tables(scratch_database) == {"alembic_version"}
    assert await _applied(scratch_database) == set()

    await asyncio.to_thread(_upgrade, scratch_database)
    assert _at_heads(await _applied(scratch_database))
    assert await _differences(scratch_database) == []


async def test_models_match_migrations(owner_url: str) -> None:
    """Autogenerate against the test database (migrated to head) finds nothing to do."""
    differences = await _differences(owner_url)
    assert differences == [], "models and migrations differ; write a migration:\n" + "\n".join(
        map(str, differences)
    )
