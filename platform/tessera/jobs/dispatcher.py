"""The dispatcher process (``tessera scheduler``): the event relay, the scheduler, and upkeep.

It connects as the dispatch role, the one role whose policies let it read every tenant's
outbox (and the module switches); it never runs tenant code itself — workers do.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal

import asyncpg

from tessera.db.engine import plain_url
from tessera.events.relay import Planner, Relay
from tessera.jobs.actors import Actors, declare_actors
from tessera.jobs.catalog import Catalog
from tessera.jobs.runner import Runner
from tessera.jobs.scheduler import Scheduler
from tessera.jobs.waiting import pause
from tessera.runtime import dispatch_database_url
from tessera.settings import Settings

logger = logging.getLogger(__name__)

_PURGE_OUTBOX = "DELETE FROM event_outbox WHERE relayed_at < now() - make_interval(days => $1)"
_PURGE_DELIVERIES = (
    "DELETE FROM event_delivery WHERE completed_at < now() - make_interval(days => $1)"
)
_PURGE_RUNS = "DELETE FROM job_run WHERE completed_at < now() - make_interval(days => $1)"
_PURGE_SESSIONS = "DELETE FROM identity_session WHERE expires_at < now()"
# A spent link token only needs remembering until the token itself expires.
_PURGE_USED_TOKENS = "DELETE FROM identity_used_token WHERE expires_at < now()"
_PURGE_THROTTLES = (
    "DELETE FROM identity_login_throttle"
    " WHERE window_started_at < now() - make_interval(secs => $1)"
)
UPKEEP_SECONDS = 3600.0


async def purge_expired(conn: asyncpg.Connection, settings: Settings) -> dict[str, int]:
    """Delete what nobody needs any more; how many rows, per table."""
    days = settings.event_retention_days
    statements: dict[str, tuple[str, *tuple[object, ...]]] = {
        "event_outbox": (_PURGE_OUTBOX, days),
        "event_delivery": (_PURGE_DELIVERIES, days),
        "job_run": (_PURGE_RUNS, days),
        "identity_session": (_PURGE_SESSIONS,),
        "identity_used_token": (_PURGE_USED_TOKENS,),
        "identity_login_throttle": (_PURGE_THROTTLES, float(settings.login_window_seconds)),
    }
    removed = {}
    for table, (statement, *arguments) in statements.items():
        status = await conn.execute(statement, *arguments)
        removed[table] = int(status.rsplit(" ", 1)[1])
    return removed


class Dispatcher:
    def __init__(
        self,
        settings: Settings,
        actors: Actors,
        catalog: Catalog,
        *,
        planners: tuple[Planner, ...] = (),
    ) -> None:
        self.settings = settings
        self._url = plain_url(dispatch_database_url(settings))
        self.relay = Relay(
            self.connect,
            actors,
            catalog,
            planners=planners,
            linger_seconds=settings.relay_linger_ms / 1000,
        )
        self.scheduler = Scheduler(self.connect, actors, catalog)

    async def connect(self) -> asyncpg.Connection:
        conn = await asyncpg.connect(
            self._url, server_settings={"application_name": "tessera-dispatcher"}
        )
        await conn.set_type_codec(
            "jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )
        return conn

    async def run(self, stop: asyncio.Event) -> None:
        logger.info("dispatcher started")
        await asyncio.gather(self.relay.run(stop), self.scheduler.run(stop), self._upkeep(stop))
        logger.info("dispatcher stopped")

    async def _upkeep(self, stop: asyncio.Event) -> None:
        """Hourly: relayed events and done-records past the retention (the dedup window),
        expired sessions, spent link tokens and stale log-in counters."""
        while not stop.is_set():
            try:
                conn = await self.connect()
                try:
                    removed = await purge_expired(conn, self.settings)
                finally:
                    await conn.close()
                logger.info("upkeep done", extra={"removed": removed})
            except Exception:
                logger.exception("upkeep failed; will try again")
            await pause(stop, UPKEEP_SECONDS)


async def run_dispatcher(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM, then finish the batch in hand and stop."""
    from tessera.jobs.broker import make_broker
    from tessera.jobs.catalog import build_catalog
    from tessera.jobs.core import core_declarations, core_planners
    from tessera.modules.registry import installed_plugins

    async def no_runner() -> Runner:
        raise RuntimeError("the dispatcher sends messages; it does not run them")

    broker = make_broker(settings)
    actors = declare_actors(broker, settings, no_runner)
    catalog = build_catalog(installed_plugins(), core_declarations(settings))
    dispatcher = Dispatcher(settings, actors, catalog, planners=core_planners(settings, actors))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await dispatcher.run(stop)
    finally:
        broker.close()
