"""Testing a Tessera plugin as Tessera tests its own: real PostgreSQL, real HTTP, fresh tenants.

Install ``tessera[testing]``; pytest then loads the fixtures of
:mod:`tessera.plugin.testing.pytest_plugin` by itself (its ``pytest11`` entry point):

``tessera_app``
    The real app, served over HTTP, on a database of its own made for the test run and
    migrated with core and every installed plugin's branch. PostgreSQL is the server named
    by ``TESSERA_TEST_DATABASE_URL`` (a superuser URL), else an embedded one.
``tessera_tenant``
    ``tenant = await tessera_tenant("contracts", "crm")``: a freshly signed-up
    :class:`Tenant` with those modules switched on and its owner signed in.
``tessera_background``
    :class:`BackgroundProcesses`: the real ``tessera scheduler`` and ``tessera worker`` on
    the app's database, for tests of schedules and of the worker itself.

A test::

    async def test_a_contract_is_audited(tessera_tenant) -> None:
        tenant = await tessera_tenant("crm", "contracts")
        made = await tenant.owner.post("/api/v1/contracts/contracts", json={...})
        assert made.status_code == 201
        await tenant.assert_audited("contracts_contract", made.json()["id"], action="create")
        await tenant.run_pending()  # its event handlers, now
"""

from tessera.plugin.testing.app import (
    PASSWORD,
    LiveServer,
    TesseraApp,
    TestDatabase,
    test_settings,
)
from tessera.plugin.testing.processes import BackgroundProcesses
from tessera.plugin.testing.tenants import AuditRecord, Client, EmittedEvent, Tenant

__all__ = [
    "PASSWORD",
    "AuditRecord",
    "BackgroundProcesses",
    "Client",
    "EmittedEvent",
    "LiveServer",
    "Tenant",
    "TesseraApp",
    "TestDatabase",
    "test_settings",
]
