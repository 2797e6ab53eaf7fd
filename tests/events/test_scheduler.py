"""The scheduler: each period dispatched once however many replicas run; runs per tenant."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import asyncpg
import pytest

from tessera.db.engine import plain_url
from tessera.jobs.actors import declare_actors
from tessera.jobs.broker import make_broker
from tessera.jobs.catalog import build_catalog
from tessera.jobs.core import core_declarations
from tessera.jobs.runner import Runner
from tessera.jobs.scheduler import Scheduler
from tessera.modules.registry import installed_plugins
from tessera.runtime import dispatch_database_url
from tessera.settings import Settings
from tests.events.conftest import StackFactory
from tests.events.test_delivery import effects, enable_notes
from tests.events_support import wait_until
from tests.support import make_client, sign_up

pytestmark = pytest.mark.timeout(180)


async def _no_runner() -> Runner:
    raise AssertionError("the scheduler only sends")


async def test_replicas_dispatch_each_period_once(stacks: StackFactory) -> None:
    stack = stacks.new(None, start=False)
    web = stack.start_web()
    async with make_client(web) as a, make_client(web) as b, make_client(web) as c:
        tenants = [await sign_up(client) for client in (a, b, c)]
        for tenant in tenants:
            await enable_notes(tenant)
    settings = Settings(
        env="test", database_url=stack.owner_url, queue_prefix=stack.prefix, secret_key="x" * 40
    )
    broker = make_broker(settings)
    try:
        actors = declare_actors(broker, settings, _no_runner)
        catalog = build_catalog(installed_plugins(), core_declarations(settings))
        url = plain_url(dispatch_database_url(settings))

        async def connect() -> asyncpg.Connection:
            return await asyncpg.connect(url)

        frozen: Callable[[], float] = lambda: 1_000_000.0  # noqa: E731
        replicas = [Scheduler(connect, actors, catalog, clock=frozen) for _ in range(4)]
        connections = [await connect() for _ in replicas]
        try:
            sent = await asyncio.gather(
                *(replica.tick(conn) for replica, conn in zip(replicas, connections, strict=True))
            )
            assert sum(sent) == 3, "one message per tenant with the module, from one replica"
            assert sorted(sent) == [0, 0, 0, 3]
            again = await replicas[0].tick(connections[0])
            assert again == 0, "the same period is not dispatched twice"
        finally:
            for conn in connections:
                await conn.close()
        conn = await stack.connect()
        try:
            queued = await conn.fetch(
                "SELECT message FROM dramatiq.queue WHERE queue_name = $1", f"{stack.prefix}_jobs"
            )
        finally:
            await conn.close()
        sent_to = sorted(json.loads(row["message"])["args"][0] for row in queued)
        assert sent_to == sorted(t.tenant_id for t in tenants)
    finally:
        broker.close()


async def test_a_schedule_runs_for_each_tenant_with_the_module(stacks: StackFactory) -> None:
    stack = stacks.new(None)
    assert stack.web is not None
    async with make_client(stack.web) as client, make_client(stack.web) as other:
        enabled, without = await sign_up(client), await sign_up(other)
        await enable_notes(enabled)

        async def ticked_twice() -> bool:
            return len(await effects(stack, enabled.tenant_id, "tick")) >= 2

        await wait_until(ticked_twice, within=30)
        runs = await stack.fetch(enabled.tenant_id, "SELECT period FROM job_run")
        periods = [r["period"] for r in runs]
        assert len(periods) == len(set(periods)), "one run per period"
        assert await stack.fetch(without.tenant_id, "SELECT id FROM job_run") == []
