"""Alembic, driven from code: the core branch plus any plugin version folders."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.db.engine import plain_url
from tessera.db.roles import ensure_runtime_roles

#: Alembic's record of the applied revisions (one table for the core and every plugin branch).
VERSION_TABLE = "alembic_version"


def alembic_config(
    migrations_dir: Path, owner_url: str, plugin_version_dirs: Sequence[Path] = ()
) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("path_separator", "os")
    locations = [migrations_dir / "versions" / "core", *plugin_version_dirs]
    config.set_main_option("version_locations", ":".join(str(p) for p in locations))
    config.attributes["owner_url"] = owner_url
    return config


def upgrade(
    migrations_dir: Path,
    owner_url: str,
    *,
    app_role: str,
    app_password: str | None = None,
    target: str = "heads",
    plugin_version_dirs: Sequence[Path] = (),
) -> None:
    """Create the runtime roles, then apply migrations up to ``target`` (sync; runs its own loop)."""
    asyncio.run(_ensure_roles(owner_url, app_role, app_password))
    command.upgrade(alembic_config(migrations_dir, owner_url, plugin_version_dirs), target)


def downgrade(
    migrations_dir: Path,
    owner_url: str,
    target: str = "base",
    plugin_version_dirs: Sequence[Path] = (),
) -> None:
    command.downgrade(alembic_config(migrations_dir, owner_url, plugin_version_dirs), target)


async def _ensure_roles(owner_url: str, app_role: str, app_password: str | None) -> None:
    conn = await asyncpg.connect(plain_url(owner_url))
    try:
        await ensure_runtime_roles(conn, app_role, app_password)
    finally:
        await conn.close()


@lru_cache(maxsize=8)
def script_heads(
    migrations_dir: Path, plugin_version_dirs: tuple[Path, ...] = ()
) -> frozenset[str]:
    config = alembic_config(migrations_dir, owner_url="", plugin_version_dirs=plugin_version_dirs)
    script = ScriptDirectory.from_config(config)
    return frozenset(script.get_heads())


@lru_cache(maxsize=64)
def _reached(
    migrations_dir: Path, plugin_version_dirs: tuple[Path, ...], applied: frozenset[str]
) -> frozenset[str]:
    """Every revision that ``applied`` (version-table rows) includes, dependencies too."""
    config = alembic_config(migrations_dir, owner_url="", plugin_version_dirs=plugin_version_dirs)
    script = ScriptDirectory.from_config(config)
    # One walk per row: alembic refuses a walk from revisions that are ancestors of each other.
    return frozenset(r.revision for head in applied for r in script.iterate_revisions(head, "base"))


def is_at_heads(
    migrations_dir: Path, applied: set[str], plugin_version_dirs: tuple[Path, ...] = ()
) -> bool:
    """Whether a database whose version table holds ``applied`` has every revision of the code.

    Not simply ``applied == heads``: a plugin revision that depends on a core head (``0007``)
    absorbs it, so alembic keeps only the plugin's revision in the version table.
    """
    heads = script_heads(migrations_dir, plugin_version_dirs)
    try:
        reached = _reached(migrations_dir, plugin_version_dirs, frozenset(applied))
    except Exception:  # a revision the code does not know: not at this code's heads
        return False
    return heads <= reached


async def database_heads(conn: AsyncConnection) -> set[str]:
    """The revisions applied to the database (empty before the first migration)."""
    exists = await conn.scalar(text("SELECT to_regclass('alembic_version') IS NOT NULL"))
    if not exists:
        return set()
    return set((await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars())
