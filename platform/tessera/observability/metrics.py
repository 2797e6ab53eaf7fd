"""Prometheus metrics of a web process, and ``/metrics`` to scrape them.

Request figures are counted where every request passes (the request-context middleware). A
server with several worker processes (``tessera serve --workers N``) shares them through
prometheus-client's multiprocess files: ``tessera serve`` points ``PROMETHEUS_MULTIPROC_DIR``
at an empty directory before any worker imports this module, and a scrape of any worker then
reports the sum of all of them. Figures about the whole deployment (outbox, queues, failed
work) are read from the database when scraped (:mod:`tessera.observability.operations`), so
every replica reports the same values and nothing is counted twice.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.registry import Collector

from tessera.db.engine import Database

MULTIPROCESS_DIR_VAR = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
#: The route label of a request no route matched: its path is not a label value (unbounded).
UNMATCHED = "unmatched"

REQUESTS = Counter(
    "tessera_http_requests",
    "HTTP requests answered, by route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "tessera_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response, by route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
POOL = Gauge(
    "tessera_db_pool_connections",
    "Database connections of the web processes: open, and checked out by a request.",
    ["pool", "state"],
    # Summed over the live processes; a dead worker's figures leave with it.
    multiprocess_mode="livesum",
)


def observe_request(method: str, route: str | None, status: int, seconds: float) -> None:
    label = route or UNMATCHED
    REQUESTS.labels(method, label, str(status)).inc()
    LATENCY.labels(method, label).observe(seconds)


def observe_pools(database: Database) -> None:
    """This process's pool figures as they are now (called after each request and at scrape)."""
    pool: Any = database.engine.pool
    POOL.labels("orm", "open").set(pool.checkedin() + pool.checkedout())
    POOL.labels("orm", "in_use").set(pool.checkedout())
    driver = database.driver_pool
    if driver is not None:
        POOL.labels("driver", "open").set(driver.get_size())
        POOL.labels("driver", "in_use").set(driver.get_size() - driver.get_idle_size())


def exposition(*extra: Collector) -> bytes:
    """The text format of every metric: this process's (or all workers') and ``extra``."""
    if os.environ.get(MULTIPROCESS_DIR_VAR):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        for collector in extra:
            registry.register(collector)
        return generate_latest(registry)
    registry = CollectorRegistry()
    registry.register(_Process())
    for collector in extra:
        registry.register(collector)
    return generate_latest(registry)


class _Process(Collector):
    """The default registry's metrics (ours, the process's, Python's), for one process."""

    def collect(self) -> Any:
        return REGISTRY.collect()
