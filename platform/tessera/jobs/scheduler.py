"""The scheduler: dispatches each schedule once per period, however many replicas run.

A period is claimed by moving the schedule's ``last_period`` forward in ``job_schedule``
under the row lock of that update; a replica that loses the race finds the period taken. The
messages are sent while the lock is held. Each tenant's run is recorded with its effects
(``job_run``), so a period sent twice (a replica dying between sending and committing) still
runs once per tenant.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg

from tessera.jobs.actors import Actors, send_all
from tessera.jobs.catalog import Catalog, Owned
from tessera.jobs.types import Schedule
from tessera.jobs.waiting import pause

logger = logging.getLogger(__name__)

_CLAIM = """
INSERT INTO job_schedule (name, last_period) VALUES ($1, $2)
ON CONFLICT (name) DO UPDATE SET last_period = EXCLUDED.last_period, dispatched_at = now()
    WHERE job_schedule.last_period < EXCLUDED.last_period
RETURNING name
"""
_ACTIVE_TENANTS = "SELECT id FROM tenant WHERE status = 'active'"
_TENANTS_WITH_MODULE = """
SELECT m.tenant_id FROM tenant_module AS m JOIN tenant AS t ON t.id = m.tenant_id
WHERE m.module = $1 AND m.enabled AND t.status = 'active'
"""


class Scheduler:
    def __init__(
        self,
        connect: Callable[[], Awaitable[asyncpg.Connection]],
        actors: Actors,
        catalog: Catalog,
        *,
        tick_seconds: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._connect = connect
        self._actors = actors
        self._catalog = catalog
        self._tick_seconds = tick_seconds
        self._clock = clock

    async def run(self, stop: asyncio.Event) -> None:
        conn: asyncpg.Connection | None = None
        while not stop.is_set():
            try:
                if conn is None or conn.is_closed():
                    conn = await self._connect()
                await self.tick(conn)
            except Exception:
                logger.exception("scheduler tick failed; retrying")
                if conn is not None and not conn.is_closed():
                    await conn.close()
                conn = None
            await pause(stop, self._tick_seconds)
        if conn is not None and not conn.is_closed():
            await conn.close()

    async def tick(self, conn: asyncpg.Connection) -> int:
        """Dispatch every schedule whose period began since it was last dispatched."""
        now = self._clock()
        dispatched = 0
        for name, owned in self._catalog.schedules.items():
            period = int(now) // owned.item.seconds
            async with conn.transaction():
                if await conn.fetchval(_CLAIM, name, period) is None:
                    continue
                tenants = await self._tenants(conn, owned)
                messages = [
                    self._actors.schedule_message(tenant_id, name, period) for tenant_id in tenants
                ]
                await asyncio.to_thread(send_all, self._actors.broker, messages)
                dispatched += len(messages)
                logger.info(
                    "schedule dispatched",
                    extra={"schedule": name, "period": period, "tenants": len(tenants)},
                )
        return dispatched

    async def _tenants(self, conn: asyncpg.Connection, owned: Owned[Schedule]) -> list[uuid.UUID]:
        if owned.always_on:
            rows = await conn.fetch(_ACTIVE_TENANTS)
        else:
            rows = await conn.fetch(_TENANTS_WITH_MODULE, owned.owner)
        return [row[0] for row in rows]
