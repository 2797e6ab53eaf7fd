"""Events per second through outbox → relay → broker → worker → handler, and latency.

For each broker (PostgreSQL, RabbitMQ, Redis) on a fresh database: the real processes run
(``tessera scheduler`` for the relay, ``tessera worker``), and the handler is a real one (the
test plugin ``notes``: it reads the note, writes an effect row, and the platform records the
delivery in the same transaction).

* backlog: N events are committed to the outbox first, then the processes start; the figure is
  N divided by the time from the first handled event to the last.
* steady: events are committed at a fixed rate (many small transactions, as requests make
  them) for some seconds while everything runs; latency is, per event, from the emitting
  transaction to the handler's transaction (both PostgreSQL clocks), p50 and p99.

    uv run python -m bench.events_throughput [--events 20000] [--rate 1000] [--seconds 10]
        [--brokers postgresql,rabbitmq,redis] [--processes 2] [--threads 8]

Needs the test plugins (``make sync-test``). PostgreSQL is the embedded server unless
TESSERA_BENCH_DATABASE_URL names a superuser URL; RabbitMQ and Redis are the machine's
(TESSERA_BENCH_RABBITMQ_URL, TESSERA_BENCH_REDIS_URL).

Targets (issue 5): at least 1,000 events/s on the PostgreSQL broker with p99 under 1 s, and
more on RabbitMQ.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from tessera.db.embedded import EmbeddedPostgres
from tessera.db.engine import plain_url
from tessera.db.migrations import upgrade
from tessera.db.roles import drop_database, ensure_owner_database
from tessera.modules.registry import installed_plugins

BROKERS = {
    "postgresql": None,
    "rabbitmq": os.environ.get(
        "TESSERA_BENCH_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"
    ),
    "redis": os.environ.get("TESSERA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
}
TENANTS = 20
EVENT = "notes.note.created"


def fresh_database(admin_url: str) -> str:
    name = f"tessera_bench_{uuid.uuid4().hex[:8]}"
    owner_url = asyncio.run(ensure_owner_database(admin_url, "tessera", name))
    upgrade(
        Path("migrations"),
        owner_url,
        app_role="tessera_app",
        plugin_version_dirs=installed_plugins().migration_dirs(),
    )
    return owner_url


async def seed(owner_url: str) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Tenants with the notes module on, and one note each: (tenant id, note id)."""
    conn = await asyncpg.connect(plain_url(owner_url))
    seeded = []
    try:
        for i in range(TENANTS):
            tenant_id, note_id = uuid.uuid4(), uuid.uuid4()
            async with conn.transaction():
                await conn.execute(
                    "INSERT INTO tenant (id, slug, name) VALUES ($1, $2, $3)",
                    tenant_id,
                    f"bench-{i}-{tenant_id.hex[:6]}",
                    f"Bench {i}",
                )
                await conn.execute(
                    "SELECT set_config('tessera.tenant_id', $1, true)", str(tenant_id)
                )
                await conn.execute(
                    "INSERT INTO tenant_module (tenant_id, id, module, enabled, first_enabled_at,"
                    " switched_at) VALUES ($1, $2, 'notes', true, now(), now())",
                    tenant_id,
                    uuid.uuid4(),
                )
                await conn.execute(
                    "INSERT INTO notes_note (tenant_id, id, title, body) VALUES ($1, $2, 'n', '')",
                    tenant_id,
                    note_id,
                )
            seeded.append((tenant_id, note_id))
    finally:
        await conn.close()
    return seeded


async def emit(
    conn: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy,
    tenant: tuple[uuid.UUID, uuid.UUID],
    count: int,
) -> None:
    """``count`` events of one tenant, committed in one transaction (as a request would)."""
    tenant_id, note_id = tenant
    payload = f'{{"note_id": "{note_id}", "title": "n"}}'
    async with conn.transaction():
        await conn.execute("SELECT set_config('tessera.tenant_id', $1, true)", str(tenant_id))
        await conn.execute(
            "INSERT INTO event_outbox (tenant_id, id, type, payload)"
            " SELECT $1, gen_random_uuid(), $2, $3::jsonb FROM generate_series(1, $4)",
            tenant_id,
            EVENT,
            payload,
            count,
        )


async def produce(pool: asyncpg.Pool, tenant: tuple[uuid.UUID, uuid.UUID], count: int) -> None:
    async with pool.acquire() as conn:
        await emit(conn, tenant, count)


class Processes:
    def __init__(
        self, owner_url: str, broker_url: str | None, processes: int, threads: int
    ) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
        self.env |= {
            "TESSERA_ENV": "test",
            "TESSERA_DATABASE_URL": owner_url,
            "TESSERA_SECRET_KEY": "bench-" + "k" * 40,
            "TESSERA_LOG_LEVEL": "WARNING",
            "TESSERA_QUEUE_PREFIX": f"bench{uuid.uuid4().hex[:8]}",
            "TESSERA_DATA_DIR": tempfile.mkdtemp(prefix="tessera-bench-"),
        }
        if broker_url:
            self.env["TESSERA_BROKER_URL"] = broker_url
        self.arguments = ["--processes", str(processes), "--threads", str(threads)]
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        for command in (["scheduler"], ["worker", *self.arguments]):
            self.running.append(
                subprocess.Popen(
                    [sys.executable, "-m", "tessera", *command],
                    env=self.env,
                    stdout=subprocess.DEVNULL,
                )
            )

    def stop(self) -> None:
        for process in self.running:
            process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.running.clear()


async def handled(observer: asyncpg.Connection) -> int:
    return int(await observer.fetchval("SELECT count(*) FROM event_delivery"))


async def observe(owner_url: str, admin_url: str) -> asyncpg.Connection:
    """A superuser's connection to the bench database: counts across every tenant."""
    database = str(make_url(owner_url).database)
    return await asyncpg.connect(plain_url(make_url(admin_url).set(database=database)))


async def wait_for(conn: asyncpg.Connection, total: int, limit: float) -> None:
    deadline = time.monotonic() + limit
    while await handled(conn) < total:
        if time.monotonic() > deadline:
            raise SystemExit(
                f"only {await handled(conn)} of {total} events handled in {limit:.0f} s"
            )
        await asyncio.sleep(0.2)


async def backlog(
    owner_url: str, admin_url: str, broker_url: str | None, args: argparse.Namespace
) -> float:
    conn = await asyncpg.connect(plain_url(owner_url))
    observer = await observe(owner_url, admin_url)
    tenants = await seed(owner_url)
    try:
        per_tenant = args.events // len(tenants)
        for tenant in tenants:
            await emit(conn, tenant, per_tenant)
        processes = Processes(owner_url, broker_url, args.processes, args.threads)
        processes.start()
        try:
            await wait_for(observer, per_tenant * len(tenants), limit=600)
        finally:
            processes.stop()
        span = float(
            await observer.fetchval(
                "SELECT extract(epoch FROM max(completed_at) - min(completed_at)) FROM event_delivery"
            )
        )
        return float(per_tenant * len(tenants) / span)
    finally:
        await observer.close()
        await conn.close()


async def steady(
    owner_url: str, admin_url: str, broker_url: str | None, args: argparse.Namespace
) -> tuple[float, float, float, int]:
    observer = await observe(owner_url, admin_url)
    tenants = await seed(owner_url)
    producers = await asyncpg.create_pool(plain_url(owner_url), min_size=8, max_size=8)
    try:
        processes = Processes(owner_url, broker_url, args.processes, args.threads)
        processes.start()
        try:
            await asyncio.sleep(4)  # the processes boot; their start-up is not the latency
            tick, per_transaction = 0.01, 5
            sent, started, turn = 0, time.monotonic(), 0
            while (elapsed := time.monotonic() - started) < args.seconds:
                # Keep up with the rate by the clock (a token bucket), not by counting ticks.
                due = int(args.rate * elapsed) - sent
                transactions = due // per_transaction
                await asyncio.gather(
                    *(
                        produce(producers, tenants[(turn + i) % len(tenants)], per_transaction)
                        for i in range(transactions)
                    )
                )
                turn += transactions
                sent += transactions * per_transaction
                await asyncio.sleep(tick)
            offered = sent / (time.monotonic() - started)
            await wait_for(observer, sent, limit=300)
        finally:
            processes.stop()
        rows = await observer.fetch(
            "SELECT extract(epoch FROM d.completed_at - o.occurred_at)::float8 FROM event_delivery d"
            " JOIN event_outbox o ON o.tenant_id = d.tenant_id AND o.id = d.event_id"
        )
        latencies = sorted(r[0] for r in rows)
        p50 = statistics.median(latencies)
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        return offered, p50, p99, sent
    finally:
        await producers.close()
        await observer.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rate", type=int, default=1000, help="events/s offered in the steady run")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--brokers", default=",".join(BROKERS))
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    admin_url = os.environ.get("TESSERA_BENCH_DATABASE_URL")
    embedded = None
    if not admin_url:
        embedded = EmbeddedPostgres(Path(tempfile.gettempdir()) / "tessera-bench-pg")
        admin_url = embedded.admin_url
    print(f"{'broker':<11} {'backlog events/s':>17} {'offered/s':>10} {'p50 ms':>8} {'p99 ms':>8}")
    try:
        for name in args.brokers.split(","):
            broker_url = BROKERS[name]
            made = []
            try:
                first = fresh_database(admin_url)
                made.append(first)
                throughput = asyncio.run(backlog(first, admin_url, broker_url, args))
                second = fresh_database(admin_url)
                made.append(second)
                offered, p50, p99, _ = asyncio.run(steady(second, admin_url, broker_url, args))
            finally:
                for owner_url in made:
                    asyncio.run(drop_database(admin_url, str(make_url(owner_url).database)))
            print(
                f"{name:<11} {throughput:>17.0f} {offered:>10.0f} {p50 * 1000:>8.1f} {p99 * 1000:>8.1f}",
                flush=True,
            )
    finally:
        if embedded is not None:
            embedded.stop()


if __name__ == "__main__":
    main()
