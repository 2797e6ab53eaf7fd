"""The fixtures pytest offers wherever tessera is installed (its ``pytest11`` entry point).

Nothing starts until a test asks for a fixture: a suite that uses none pays nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest
import pytest_asyncio

from tessera.plugin.testing.app import TesseraApp, TestDatabase
from tessera.plugin.testing.processes import BackgroundProcesses
from tessera.plugin.testing.tenants import Tenant

TenantFactory = Callable[..., Awaitable[Tenant]]

__all__ = ["tessera_app", "tessera_background", "tessera_database", "tessera_tenant"]


@pytest.fixture(scope="session")
def tessera_database() -> Iterator[TestDatabase]:
    """A database of this test process, migrated with core and every installed plugin."""
    database = TestDatabase.create()
    yield database
    database.drop()


@pytest.fixture(scope="session")
def tessera_app(
    tessera_database: TestDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TesseraApp]:
    """The real app on that database, served over HTTP for this test process."""
    app = TesseraApp(tessera_database.owner_url, tmp_path_factory.mktemp("tessera")).start()
    yield app
    app.stop()


@pytest_asyncio.fixture
async def tessera_tenant(tessera_app: TesseraApp) -> AsyncIterator[TenantFactory]:
    """Makes fresh tenants: ``tenant = await tessera_tenant("contracts")`` (modules to enable)."""
    made: list[Tenant] = []

    async def make(*modules: str) -> Tenant:
        tenant = await Tenant.sign_up(tessera_app, *modules)
        made.append(tenant)
        return tenant

    yield make
    for tenant in made:
        await tenant.close()


@pytest.fixture
def tessera_background(tessera_app: TesseraApp) -> Iterator[BackgroundProcesses]:
    """``tessera scheduler`` and ``tessera worker`` running on the app's database."""
    processes = BackgroundProcesses(tessera_app).start()
    yield processes
    processes.stop()
