"""Test harness: one PostgreSQL, one migrated database per run, one real server per worker.

PostgreSQL is the embedded server (as in ``make dev``) unless TESSERA_TEST_DATABASE_URL names
another one (a superuser URL: the harness creates its own database and roles there). The
controlling pytest process prepares the database once; each xdist worker serves the app on
its own port over real HTTP. Tests never share a tenant: each signs up its own.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import asyncpg
import httpx
import pytest

from tessera.plugin.testing import TestDatabase
from tests.events_support import TEMPLATE_DB_VAR, clone_database, database_url
from tests.support import (
    ADMIN_URL_VAR,
    OWNER_URL_VAR,
    LiveServer,
    make_client,
    test_settings,
)

if TYPE_CHECKING:
    from tessera.db.embedded import EmbeddedPostgres

_embedded: EmbeddedPostgres | None = None
_database_name = ""


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    """In the controlling process only: start PostgreSQL and migrate a fresh database."""
    global _embedded, _database_name
    if _is_worker(config) or os.environ.get(OWNER_URL_VAR):
        return
    from tessera.db.migrations import upgrade
    from tessera.db.roles import ensure_owner_database

    admin_url = os.environ.get("TESSERA_TEST_DATABASE_URL")
    if not admin_url:
        _embedded = _embedded_server(Path(tempfile.gettempdir()) / "tessera-test-pg")
        admin_url = _embedded.admin_url
    _database_name = f"tessera_test_{uuid.uuid4().hex[:10]}"
    owner_url = asyncio.run(ensure_owner_database(admin_url, "tessera", _database_name))
    settings = test_settings(owner_url, Path(tempfile.mkdtemp()))
    from tessera.modules.registry import installed_plugins

    upgrade(
        settings.migrations_dir,
        owner_url,
        app_role=settings.app_db_role,
        plugin_version_dirs=installed_plugins().migration_dirs(),
    )
    # Tests that kill workers or cut brokers off get a copy of this database of their own.
    template = f"{_database_name}_tpl"
    asyncio.run(_copy_database(admin_url, _database_name, template))
    os.environ[ADMIN_URL_VAR] = admin_url
    os.environ[OWNER_URL_VAR] = owner_url
    os.environ[TEMPLATE_DB_VAR] = template


#: Each xdist worker runs real processes (web, dispatcher, workers, schedulers, a plugin's own
#: test run beside them), each with its pool: more at once than PostgreSQL's default 100.
SUITE_CONNECTIONS = 300


def _embedded_server(pgdata: Path) -> EmbeddedPostgres:
    """The embedded server, restarted once with room for :data:`SUITE_CONNECTIONS`."""
    from tessera.db.embedded import EmbeddedPostgres

    server = EmbeddedPostgres(pgdata)
    if asyncio.run(_raise_max_connections(server.admin_url, SUITE_CONNECTIONS)):
        server.stop()  # max_connections takes effect only on a restart
        server = EmbeddedPostgres(pgdata)
    return server


async def _raise_max_connections(admin_url: str, wanted: int) -> bool:
    """Set ``max_connections`` to ``wanted`` if it is lower; whether the server needs a restart."""
    conn = await asyncpg.connect(admin_url)
    try:
        if int(await conn.fetchval("SHOW max_connections")) >= wanted:
            return False
        await conn.execute(f"ALTER SYSTEM SET max_connections = {int(wanted)}")
        return True
    finally:
        await conn.close()


async def _copy_database(admin_url: str, source: str, copy: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}" OWNER tessera')
    finally:
        await conn.close()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _is_worker(config) or not _database_name:
        return

    from tessera.db.roles import drop_database

    asyncio.run(drop_database(os.environ[ADMIN_URL_VAR], _database_name))
    asyncio.run(drop_database(os.environ[ADMIN_URL_VAR], os.environ[TEMPLATE_DB_VAR]))
    if _embedded is not None:
        _embedded.stop()


@pytest.fixture(scope="session")
def owner_url() -> str:
    return os.environ[OWNER_URL_VAR]


@pytest.fixture(scope="session")
def admin_url() -> str:
    return os.environ[ADMIN_URL_VAR]


@pytest.fixture(scope="session")
def live_server(owner_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app, served by uvicorn on a free port, for this worker's tests."""
    server = LiveServer(test_settings(owner_url, tmp_path_factory.mktemp("data")))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def tessera_database(admin_url: str, owner_url: str) -> Iterator[TestDatabase]:
    """The kit's fixtures (tessera.plugin.testing) get a copy of this run's migrated database
    per test process: its background processes then serve no other process's tenants."""
    from tessera.db.roles import drop_database

    name = asyncio.run(clone_database(admin_url, os.environ[TEMPLATE_DB_VAR]))
    yield TestDatabase(admin_url, name, database_url(owner_url, name))
    asyncio.run(drop_database(admin_url, name))


@pytest.fixture
async def client(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(live_server) as c:
        yield c


@pytest.fixture
async def owner_db(owner_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection as the table owner (for setting up and inspecting, never for the app)."""
    from tessera.db.engine import plain_url

    conn = await asyncpg.connect(plain_url(owner_url))
    yield conn
    await conn.close()


@pytest.fixture
async def app_db(live_server: LiveServer) -> AsyncIterator[asyncpg.Connection]:
    """A raw connection as the runtime app role: what the application itself can do."""
    from tessera.db.engine import plain_url
    from tessera.runtime import runtime_database_url

    conn = await asyncpg.connect(plain_url(runtime_database_url(live_server.settings)))
    yield conn
    await conn.close()
