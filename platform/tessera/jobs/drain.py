"""Running the background work that is waiting, now, in this process.

What the dispatcher and the workers do over time — relay committed outbox events, deliver them
to their handlers, run requested jobs — done here in one pass, round after round (handlers emit
events of their own) until nothing is left. It uses the same relay and the same
:class:`~tessera.jobs.runner.Runner` as ``tessera scheduler`` and ``tessera worker``: only the
broker between them is left out, its messages handed straight to the runner. Tests use it
(``Tenant.run_pending`` in :mod:`tessera.plugin.testing`) to see a handler's effect at once.

Each piece of work has its last attempt: what fails is dead-lettered (an event) or marked
failed (a job), exactly as after the worker's final retry.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import dramatiq
from dramatiq.brokers.stub import StubBroker

from tessera.db.engine import Database, plain_url
from tessera.events.relay import Relay
from tessera.jobs.actors import Actors, declare_actors, event_from_message
from tessera.jobs.catalog import Catalog, build_catalog
from tessera.jobs.core import core_declarations, core_planners
from tessera.jobs.runner import Runner
from tessera.modules.registry import installed_plugins
from tessera.recycle.capture import PlatformSession
from tessera.runtime import default_mailer, dispatch_database_url, runtime_database_url
from tessera.settings import Settings

#: Rounds before giving up: handlers that keep emitting events for each other never settle.
MAX_ROUNDS = 100


class Unsettled(RuntimeError):
    """Work kept coming after :data:`MAX_ROUNDS` rounds: handlers feed each other forever."""


class _Kept:
    """A sender that keeps the relay's messages for this process instead of a broker."""

    def __init__(self) -> None:
        self.messages: list[dramatiq.Message[Any]] = []

    async def send(
        self, conn: asyncpg.Connection, messages: Sequence[dramatiq.Message[Any]]
    ) -> None:
        self.messages.extend(messages)


@dataclass
class Background:
    """The relay and the runner of one deployment, wired to run here."""

    settings: Settings
    catalog: Catalog
    actors: Actors
    runner: Runner
    database: Database

    async def connect(self) -> asyncpg.Connection:
        conn = await asyncpg.connect(plain_url(dispatch_database_url(self.settings)))
        await conn.set_type_codec(
            "jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )
        return conn

    async def run_pending(self) -> int:
        """Relay and run everything waiting, round after round; how many messages ran."""
        kept = _Kept()
        relay = Relay(
            self.connect,
            self.actors,
            self.catalog,
            planners=core_planners(self.settings, self.actors),
            sender=kept,
        )
        conn = await self.connect()
        ran = 0
        try:
            for _ in range(MAX_ROUNDS):
                while await relay.relay_once(conn):
                    pass
                if not kept.messages:
                    return ran
                messages, kept.messages = kept.messages, []
                for message in messages:
                    await self._run(message)
                    ran += 1
        finally:
            await conn.close()
        raise Unsettled(f"background work still coming after {MAX_ROUNDS} rounds")

    async def run_schedule(self, tenant_id: uuid.UUID, name: str) -> None:
        """Run one schedule for one tenant now, as the scheduler would in its current period."""
        owned = self.catalog.schedules.get(name)
        if owned is None:
            known = ", ".join(sorted(self.catalog.schedules)) or "none"
            raise LookupError(f"no schedule {name!r} is installed (installed: {known})")
        period = int(time.time()) // owned.item.seconds
        await self.runner.run_schedule(tenant_id, name, period)

    async def _run(self, message: dramatiq.Message[Any]) -> None:
        args = message.args
        if message.actor_name == "tessera_deliver_events":
            handler, events = args
            await self.runner.deliver(
                [event_from_message(event, handler) for event in events],
                handler,
                last_attempt=True,
            )
        elif message.actor_name == "tessera_run_job":
            await self.runner.run_job(uuid.UUID(args[0]), uuid.UUID(args[1]), last_attempt=True)
        elif message.actor_name == "tessera_run_schedule":
            await self.runner.run_schedule(uuid.UUID(args[0]), args[1], args[2])
        elif message.actor_name == "tessera_deliver_webhook":
            tenant_id, endpoint_id, event = args
            await self.runner.webhooks.deliver(
                uuid.UUID(tenant_id), uuid.UUID(endpoint_id), event, attempt=1, last_attempt=True
            )
        else:
            raise LookupError(f"no actor {message.actor_name!r}")


async def _no_runner() -> Runner:
    raise RuntimeError("messages are run by Background._run, not by dramatiq")


@asynccontextmanager
async def background(settings: Settings) -> AsyncIterator[Background]:
    """The deployment's relay and runner for this process, closed on leaving."""
    # Messages are only built here (the relay's and the scheduler's own code), never enqueued:
    # dramatiq's in-memory broker gives the actors somewhere to be declared.
    actors = declare_actors(StubBroker(), settings, _no_runner)
    catalog = build_catalog(installed_plugins(), core_declarations(settings))
    database = Database(runtime_database_url(settings), pool_size=2, session_class=PlatformSession)
    runner = Runner(database, catalog, default_mailer(settings), settings)
    try:
        yield Background(settings, catalog, actors, runner, database)
    finally:
        await database.dispose()
