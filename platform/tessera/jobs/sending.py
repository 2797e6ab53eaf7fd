"""How the dispatcher hands messages to the broker.

On RabbitMQ and Redis it enqueues them one by one through dramatiq (with publisher confirms on
RabbitMQ). On the PostgreSQL broker the queue is a table in the same database as the outbox,
so the dispatcher writes the batch into it with one statement inside the transaction that
claims the outbox rows: the hand-over is atomic — a crash leaves both or neither — and costs
one round trip per batch instead of one transaction per message. The rows are exactly what
``dramatiq-postgres`` itself writes on enqueue (its schema, its message encoding, its
wake-up notification), so its consumers cannot tell the difference.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import Any, Protocol

import asyncpg
import dramatiq

from tessera.jobs.actors import send_all

_INSERT = """
INSERT INTO dramatiq.queue (queue_name, message_id, "state", message, available_at)
SELECT queue_name, message_id, 'queued', message::jsonb, now()
FROM unnest($1::text[], $2::uuid[], $3::text[]) AS batch (queue_name, message_id, message)
ON CONFLICT (message_id) DO NOTHING
"""
_WAKE = "SELECT pg_notify('dramatiq.' || queue_name || '.enqueue', '') FROM unnest($1::text[]) AS q (queue_name)"


class Sender(Protocol):
    async def send(
        self, conn: asyncpg.Connection, messages: Sequence[dramatiq.Message[Any]]
    ) -> None: ...


class BrokerSender:
    """Enqueue through dramatiq's broker (in a thread: its clients block)."""

    def __init__(self, broker: dramatiq.Broker) -> None:
        self._broker = broker

    async def send(
        self, conn: asyncpg.Connection, messages: Sequence[dramatiq.Message[Any]]
    ) -> None:
        if messages:
            await asyncio.to_thread(send_all, self._broker, messages)


class PostgresQueueSender:
    """Write the messages into the PostgreSQL broker's queue, in the caller's transaction."""

    async def send(
        self, conn: asyncpg.Connection, messages: Sequence[dramatiq.Message[Any]]
    ) -> None:
        if not messages:
            return
        await conn.execute(
            _INSERT,
            [m.queue_name for m in messages],
            [uuid.UUID(m.message_id) for m in messages],
            # dramatiq's own encoding of each message, as the broker's enqueue stores it
            [m.encode().decode() for m in messages],
        )
        await conn.execute(_WAKE, sorted({m.queue_name for m in messages}))


def sender_for(broker: dramatiq.Broker) -> Sender:
    from dramatiq_postgres import PostgresBroker

    return PostgresQueueSender() if isinstance(broker, PostgresBroker) else BrokerSender(broker)
