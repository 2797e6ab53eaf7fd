"""``/metrics`` scraped from real servers: request figures per route, the outbox, failed work."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tessera.db.engine import plain_url
from tests.events.conftest import BROKER_URLS, StackFactory
from tests.events_support import free_port, wait_until
from tests.support import sign_up

pytestmark = pytest.mark.timeout(180)

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    """Every sample of a scrape, keyed by its name and labels."""
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


async def scrape(client: httpx.AsyncClient, **headers: str) -> Samples:
    response = await client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


async def test_requests_and_the_outbox_show_after_some_traffic(stacks: StackFactory) -> None:
    # No relay yet: the event enabling a module writes stays in the outbox, and the figures say so.
    stack = stacks.new(None, start=False)
    web = stack.start_web()
    async with httpx.AsyncClient(base_url=web.url) as client:
        before = await scrape(client)
        owner = await sign_up(client)
        enabled = await owner.post("/api/v1/modules/notes/enable")
        assert enabled.status_code == 200, enabled.text
        for _ in range(3):
            assert (await owner.get("/api/v1/me")).status_code == 200
        assert (await client.get("/api/v1/no-such-thing")).status_code == 404

        # As a superuser: the owner, too, sees no tenant's rows without naming one.
        admin = await asyncpg.connect(plain_url(stack.admin_url))
        try:
            pending = await admin.fetchval(
                "SELECT count(*) FROM event_outbox WHERE relayed_at IS NULL"
            )
        finally:
            await admin.close()
        assert pending > 0

        async def read_since_traffic() -> Samples | None:
            # A reading of the database is reused for a few seconds; wait for a fresh one.
            found = await scrape(client)
            return found if value(found, "tessera_outbox_pending_events") == pending else None

        samples = await wait_until(read_since_traffic, within=30, interval=0.5)

        # Other tests of this process count too: what this one did is the difference.
        def grew(name: str, **labels: str) -> float:
            return (value(samples, name, **labels) or 0) - (value(before, name, **labels) or 0)

        requests = "tessera_http_requests_total"
        assert grew(requests, method="POST", route="/api/v1/signup", status="201") == 1
        assert grew(requests, method="GET", route="/api/v1/me", status="200") == 3
        # A path no route knows is one label value, whatever the path was.
        assert grew(requests, method="GET", route="unmatched", status="404") == 1
        assert (
            grew("tessera_http_request_duration_seconds_count", method="GET", route="/api/v1/me")
            == 3
        )
        assert value(samples, "tessera_operations_reading_ok") == 1
        lag = value(samples, "tessera_outbox_lag_seconds")
        assert lag is not None and lag > 0
        assert value(samples, "tessera_jobs", status="failed") == 0
        assert value(samples, "tessera_event_dead_letters") == 0
        assert value(samples, "tessera_db_pool_connections", pool="orm", state="open") >= 1  # type: ignore[operator]

        # Work fails: the figure counts it, across tenants, though the dispatch role that
        # reads it sees no job's parameters or errors.
        admin = await stack.connect(owner.tenant_id)
        try:
            await admin.execute(
                "INSERT INTO job (tenant_id, id, kind, status, params, done, message, attempts)"
                " VALUES ($1, gen_random_uuid(), 'test.fails', 'failed', '{}', 0, '', 3)",
                owner.tenant_id,
            )
        finally:
            await admin.close()

        # With the relay running the outbox drains, and a later scrape shows it empty.
        stack.start_dispatcher()
        stack.start_worker()

        async def drained() -> Samples | None:
            found = await scrape(client)
            return found if value(found, "tessera_outbox_pending_events") == 0 else None

        samples = await wait_until(drained, within=60, interval=1)
        assert value(samples, "tessera_outbox_lag_seconds") == 0
        assert value(samples, "tessera_jobs", status="failed") == 1
        for queue in ("events", "jobs", "webhooks"):
            depth = value(samples, "tessera_queue_depth", queue=f"{stack.prefix}_{queue}")
            assert depth is not None


@pytest.mark.parametrize("broker", sorted(BROKER_URLS))
async def test_queue_depth_is_asked_of_the_broker(stacks: StackFactory, broker: str) -> None:
    # A relay and scheduler but no worker: the scheduled runs it sends wait in the jobs queue.
    stack = stacks.new(BROKER_URLS[broker], start=False)
    web = stack.start_web()
    stack.start_dispatcher()
    async with httpx.AsyncClient(base_url=web.url) as client:
        owner = await sign_up(client)
        # The notes module's schedule runs every second for each tenant that enabled it.
        assert (await owner.post("/api/v1/modules/notes/enable")).status_code == 200

        async def waiting() -> Samples | None:
            found = await scrape(client)
            depth = value(found, "tessera_queue_depth", queue=f"{stack.prefix}_jobs")
            return found if depth and value(found, "tessera_outbox_pending_events") == 0 else None

        samples = await wait_until(waiting, within=60, interval=1)
        assert value(samples, "tessera_operations_reading_ok") == 1
        assert value(samples, "tessera_queue_depth", queue=f"{stack.prefix}_webhooks") == 0


async def test_a_metrics_token_keeps_strangers_out(stacks: StackFactory) -> None:
    token = "scrape-" + "k" * 24
    stack = stacks.new(None, start=False, settings={"metrics_token": token})
    web = stack.start_web()
    async with httpx.AsyncClient(base_url=web.url) as client:
        assert (await client.get("/metrics")).status_code == 401
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer " + "x" * 31})
        assert wrong.status_code == 401
        assert wrong.headers["content-type"].startswith("application/problem+json")
        samples = await scrape(client, Authorization=f"Bearer {token}")
        assert value(samples, "tessera_operations_reading_ok") == 1


@pytest.fixture
def two_worker_server(stacks: StackFactory, tmp_path: Path) -> Iterator[str]:
    stack = stacks.new(None, start=False)
    port = free_port()
    log = (tmp_path / "serve.log").open("ab")
    process = subprocess.Popen(
        [*_tessera(), "serve", "--port", str(port), "--workers", "2"],
        env=stack.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def _tessera() -> list[str]:
    import sys

    return [sys.executable, "-m", "tessera"]


async def test_every_worker_process_of_a_server_counts_into_one_scrape(
    two_worker_server: str,
) -> None:
    sent = 60

    async def one() -> None:
        # A connection each, so the kernel spreads them over both processes.
        async with httpx.AsyncClient(base_url=two_worker_server) as client:
            assert (await client.get("/health/live")).status_code == 200

    await asyncio.gather(*(one() for _ in range(sent)))
    # Whichever process answers a scrape, it reports what all of them counted.
    for _ in range(6):
        async with httpx.AsyncClient(base_url=two_worker_server) as client:
            samples = await scrape(client)
        # The fixture's readiness probes count under their own route, not this one.
        counted = value(
            samples, "tessera_http_requests_total", method="GET", route="/health/live", status="200"
        )
        assert counted == sent
