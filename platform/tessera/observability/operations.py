"""Figures about the whole deployment, read from where they live when ``/metrics`` is scraped.

The outbox and the failed work of every tenant are read as the dispatch role, which may count
across tenants (migration 0020 lets it count jobs by status and dead letters, nothing more);
queue depth is asked of the broker itself. Each web replica therefore reports the same
values, and a figure is never stale because some process stopped updating it: when the relay
is down, the outbox lag it shows grows.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import anyio.to_thread
import asyncpg
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from tessera.db.engine import plain_url
from tessera.jobs.actors import queue_names
from tessera.jobs.broker import broker_kind
from tessera.runtime import broker_url, dispatch_database_url
from tessera.settings import Settings

logger = logging.getLogger(__name__)

#: Scrapes closer together than this reuse the last reading (several Prometheus servers, or a
#: person refreshing the page, do not each cost a round of queries).
FRESH_SECONDS = 5.0
#: A reading that takes longer is abandoned and reported as failed.
TIMEOUT_SECONDS = 5.0

_OUTBOX = """
SELECT count(*) AS pending,
       coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::float8 AS lag
FROM event_outbox WHERE relayed_at IS NULL
"""
_JOBS = "SELECT status, count(*) FROM job WHERE status <> 'succeeded' GROUP BY status"
_DEAD_LETTERS = "SELECT count(*) FROM event_dead_letter"
_PG_QUEUES = (
    "SELECT queue_name, count(*) FROM dramatiq.queue WHERE state = 'queued' GROUP BY queue_name"
)


@dataclass(frozen=True, slots=True)
class Reading:
    ok: bool
    outbox_pending: int = 0
    outbox_lag_seconds: float = 0.0
    jobs: dict[str, int] = field(default_factory=dict)
    dead_letters: int = 0
    queues: dict[str, int] = field(default_factory=dict)


class Operations:
    """Reads the deployment's figures for this process, at most once per :data:`FRESH_SECONDS`."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._broker_kind = broker_kind(broker_url(settings))
        self._lock = asyncio.Lock()
        self._last: tuple[float, Reading] | None = None

    async def reading(self) -> Reading:
        async with self._lock:
            if self._last is not None and time.monotonic() - self._last[0] < FRESH_SECONDS:
                return self._last[1]
            try:
                reading = await asyncio.wait_for(self._read(), TIMEOUT_SECONDS)
            except Exception:
                logger.warning("reading the operations figures failed", exc_info=True)
                reading = Reading(ok=False)
            self._last = (time.monotonic(), reading)
            return reading

    async def _read(self) -> Reading:
        conn = await asyncpg.connect(plain_url(dispatch_database_url(self._settings)))
        try:
            outbox = await conn.fetchrow(_OUTBOX)
            jobs = {row[0]: row[1] for row in await conn.fetch(_JOBS)}
            dead_letters = await conn.fetchval(_DEAD_LETTERS)
            if self._broker_kind == "postgresql":
                queued = {row[0]: row[1] for row in await conn.fetch(_PG_QUEUES)}
                queues = {name: queued.get(name, 0) for name in queue_names(self._settings)}
            else:
                queues = await anyio.to_thread.run_sync(self._broker_queue_depths)
        finally:
            await conn.close()
        assert outbox is not None
        return Reading(
            ok=True,
            outbox_pending=outbox["pending"],
            outbox_lag_seconds=outbox["lag"],
            jobs=jobs,
            dead_letters=dead_letters,
            queues=queues,
        )

    def _broker_queue_depths(self) -> dict[str, int]:
        """Messages waiting in each of the deployment's queues, asked of RabbitMQ or Redis."""
        url = broker_url(self._settings)
        names = queue_names(self._settings)
        if self._broker_kind == "rabbitmq":
            return _rabbitmq_depths(url, names)
        return _redis_depths(url, self._settings.queue_prefix, names)


def _rabbitmq_depths(url: str, names: tuple[str, ...]) -> dict[str, int]:
    import pika
    import pika.exceptions

    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        depths: dict[str, int] = {}
        for name in names:
            channel = connection.channel()
            try:
                declared = channel.queue_declare(queue=name, passive=True)
                depths[name] = int(declared.method.message_count)
                channel.close()
            except pika.exceptions.ChannelClosedByBroker:
                # No worker declared it yet: nothing waits in it.
                depths[name] = 0
        return depths
    finally:
        connection.close()


def _redis_depths(url: str, prefix: str, names: tuple[str, ...]) -> dict[str, int]:
    import redis

    client = redis.Redis.from_url(url)
    try:
        # dramatiq's Redis broker keeps a queue's message ids in the list "<namespace>:<queue>".
        return {name: int(client.llen(f"{prefix}:{name}")) for name in names}
    finally:
        client.close()


class ReadingCollector(Collector):
    """One reading as Prometheus metric families."""

    def __init__(self, reading: Reading) -> None:
        self._reading = reading

    def collect(self) -> Iterator[GaugeMetricFamily]:
        r = self._reading
        yield GaugeMetricFamily(
            "tessera_operations_reading_ok",
            "1 if the deployment's figures below could be read from the database and broker.",
            value=1 if r.ok else 0,
        )
        if not r.ok:
            return
        yield GaugeMetricFamily(
            "tessera_outbox_pending_events",
            "Events written by a transaction but not yet handed to the broker.",
            value=r.outbox_pending,
        )
        yield GaugeMetricFamily(
            "tessera_outbox_lag_seconds",
            "Age of the oldest event not yet handed to the broker (0 when none waits).",
            value=r.outbox_lag_seconds,
        )
        queues = GaugeMetricFamily(
            "tessera_queue_depth", "Messages waiting in a broker queue.", labels=["queue"]
        )
        for queue, depth in sorted(r.queues.items()):
            queues.add_metric([queue], depth)
        yield queues
        jobs = GaugeMetricFamily(
            "tessera_jobs",
            "Long jobs of every tenant that have not succeeded, by status (failed ones stay).",
            labels=["status"],
        )
        for status in ("queued", "running", "failed"):
            jobs.add_metric([status], r.jobs.get(status, 0))
        yield jobs
        yield GaugeMetricFamily(
            "tessera_event_dead_letters",
            "Event deliveries that failed on every retry and wait for an admin.",
            value=r.dead_letters,
        )
