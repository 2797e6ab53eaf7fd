"""The relay: hands committed outbox rows to the broker, as delivery messages per handler.

A message carries up to a batch of events for one handler, grouped by tenant (each tenant's in
outbox order); the worker handles each tenant's share in one transaction of that tenant.

It claims pending rows with ``FOR UPDATE SKIP LOCKED`` (so several relays share the work),
sends their messages, and commits the claim only after the broker has them all. If the broker
is down the claim rolls back and the rows wait; if the relay dies after sending and before
committing, the rows are sent again and the handlers' delivery records make that a no-op.
It sleeps on ``LISTEN tessera_outbox`` (the outbox's trigger notifies at commit) and sweeps
every few seconds in case a notification was missed.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

import asyncpg
import dramatiq

from tessera.jobs.actors import Actors, event_as_message
from tessera.jobs.catalog import Catalog
from tessera.jobs.sending import Sender, sender_for
from tessera.jobs.service import JOB_REQUESTED
from tessera.jobs.waiting import pause

logger = logging.getLogger(__name__)

CHANNEL = "tessera_outbox"
#: Events one delivery message may carry (one transaction in the worker).
EVENTS_PER_MESSAGE = 50
_CLAIM = """
UPDATE event_outbox AS o SET relayed_at = now(), retry_handler = NULL
FROM (
    SELECT tenant_id, id, retry_handler FROM event_outbox WHERE relayed_at IS NULL
    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
) AS pending
WHERE o.tenant_id = pending.tenant_id AND o.id = pending.id
RETURNING o.tenant_id, o.id, o.type, o.payload, o.occurred_at, o.actor_user_id,
    pending.retry_handler
"""
_ENABLED = """
SELECT tenant_id, module FROM tenant_module WHERE enabled AND tenant_id = ANY($1::uuid[])
"""


class Planner(Protocol):
    """Turns a batch of claimed events into messages (besides the event handlers' own)."""

    async def plan(
        self, conn: asyncpg.Connection, rows: Sequence[asyncpg.Record]
    ) -> list[dramatiq.Message[Any]]: ...


class Relay:
    def __init__(
        self,
        connect: Callable[[], Awaitable[asyncpg.Connection]],
        actors: Actors,
        catalog: Catalog,
        *,
        planners: Sequence[Planner] = (),
        batch_size: int = 500,
        sweep_seconds: float = 2.0,
        linger_seconds: float = 0.1,
        sender: Sender | None = None,
    ) -> None:
        self._connect = connect
        self._actors = actors
        self._catalog = catalog
        self._planners = planners
        self._batch_size = batch_size
        self._sweep_seconds = sweep_seconds
        self._linger_seconds = linger_seconds
        self._wake = asyncio.Event()
        self._sender = sender or sender_for(actors.broker)

    async def run(self, stop: asyncio.Event) -> None:
        conn: asyncpg.Connection | None = None
        listener: asyncpg.Connection | None = None
        failures = 0
        while not stop.is_set():
            try:
                if conn is None or conn.is_closed():
                    conn = await self._connect()
                if listener is None or listener.is_closed():
                    listener = await self._connect()
                    await listener.add_listener(CHANNEL, self._notified)
                self._wake.clear()
                relayed = await self.relay_once(conn)
                failures = 0
            except Exception:
                failures += 1
                delay = min(30.0, 0.5 * 2**failures)
                logger.exception(
                    "relay failed; events wait in the outbox", extra={"retry_in": delay}
                )
                for c in (conn, listener):
                    if c is not None and not c.is_closed():
                        await c.close()
                conn = listener = None
                await pause(stop, delay)
                continue
            if relayed < self._batch_size:
                await pause(stop, self._sweep_seconds, self._wake)
                # Let a burst gather for a moment: bigger batches make far fewer transactions
                # in the workers (see TESSERA_RELAY_LINGER_MS).
                if self._linger_seconds:
                    await pause(stop, self._linger_seconds)
        for c in (conn, listener):
            if c is not None and not c.is_closed():
                await c.close()

    def _notified(self, *_: object) -> None:
        self._wake.set()

    async def relay_once(self, conn: asyncpg.Connection) -> int:
        """Claim up to a batch of pending events and send their messages; returns how many."""
        async with conn.transaction():
            rows = await conn.fetch(_CLAIM, self._batch_size)
            if not rows:
                return 0
            messages = await self._handler_messages(conn, rows)
            for planner in self._planners:
                messages.extend(await planner.plan(conn, rows))
            await self._sender.send(conn, messages)
        return len(rows)

    async def _handler_messages(
        self, conn: asyncpg.Connection, rows: Sequence[asyncpg.Record]
    ) -> list[dramatiq.Message[Any]]:
        tenants = list({row["tenant_id"] for row in rows})
        enabled = {(r["tenant_id"], r["module"]) for r in await conn.fetch(_ENABLED, tenants)}
        messages: list[dramatiq.Message[Any]] = []
        # One message per handler carries up to a batch of events, in outbox order: under load
        # a worker handles many at once (a transaction per tenant); alone, an event goes at once.
        batches: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            tenant_id: uuid.UUID = row["tenant_id"]
            if row["type"] == JOB_REQUESTED and row["retry_handler"] is None:
                messages.append(
                    self._actors.job_message(tenant_id, uuid.UUID(row["payload"]["job_id"]))
                )
            keys = (
                [row["retry_handler"]]
                if row["retry_handler"]
                else self._catalog.handler_keys(row["type"])
            )
            for key in keys:
                owned = self._catalog.handlers.get(key)
                if owned is not None and not (
                    owned.always_on or (tenant_id, owned.owner) in enabled
                ):
                    continue  # the module is off for this tenant: its handlers never hear of it
                batches[key].append(event_as_message(dict(row)))
        for key, events in batches.items():
            # Grouped by tenant (each tenant's events stay in order): a chunk then spans few
            # tenants, and the worker opens a transaction per tenant in it.
            events.sort(key=lambda event: event["tenant_id"])
            for start in range(0, len(events), EVENTS_PER_MESSAGE):
                chunk = events[start : start + EVENTS_PER_MESSAGE]
                messages.append(self._actors.events_message(chunk, key))
        return messages
