"""A small HTTP/1.1 load generator, run as a process of its own: ``python -m bench.httpload``.

Each of ``--connections`` keep-alive connections sends one GET at a time (closed loop), cycling
through the paths listed in ``--paths`` (one per line), and times every request from the first
byte written to the last byte read. Requests started during ``--warm-up`` are not counted. It
prints one JSON object: requests per second, p50 and p99 in milliseconds, the errors, and the
share of one core this process itself used (on a small machine the load generator competes
with the server for the same cores, and a reader of the figures must know how much).

Raw asyncio streams on uvloop rather than an HTTP client library: a client library costs
several times the CPU per request, which the server would then not get.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import sys
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")


@dataclass(slots=True)
class Tally:
    """What every connection adds to: the counted requests' durations (ns) and the failures."""

    window_start: float
    window_end: float
    durations: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Every request answered, warm-up included: what the server did for the whole run.
    answered: int = 0


def request_bytes(host: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response whole; its status and whether the server keeps the connection."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip().lower()
    if headers.get("transfer-encoding") == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")  # the end of the (empty) trailer section
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection") != "close"


async def one_connection(
    host: str, port: int, requests: list[bytes], first: int, tally: Tally
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    index = first
    try:
        while (started := time.perf_counter()) < tally.window_end:
            writer.write(requests[index % len(requests)])
            index += 1
            status, keep = await read_response(reader)
            took = time.perf_counter() - started
            tally.answered += 1
            if started >= tally.window_start:
                tally.durations.append(int(took * 1e9))
                if not 200 <= status < 300:
                    tally.errors.append(f"status {status}")
            if not keep:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


def percentile(sorted_values: list[int], share: float) -> float:
    """Nearest rank, in milliseconds."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)] / 1e6


async def run(
    url: str,
    paths: list[str],
    headers: dict[str, str],
    connections: int,
    seconds: float,
    warm_up: float,
) -> dict[str, object]:
    target = urlsplit(url)
    host, port = target.hostname or "127.0.0.1", target.port or 80
    requests = [request_bytes(target.netloc, path, headers) for path in paths]
    now = time.perf_counter()
    tally = Tally(window_start=now + warm_up, window_end=now + warm_up + seconds)
    cpu_before: float | None = None

    async def mark_window_start() -> None:
        nonlocal cpu_before
        await asyncio.sleep(warm_up)
        cpu_before = _cpu_seconds()

    marker = asyncio.create_task(mark_window_start())
    await asyncio.gather(
        *(
            one_connection(host, port, requests, n * 7919 % len(requests), tally)
            for n in range(connections)
        )
    )
    await marker
    assert cpu_before is not None
    cpu = _cpu_seconds() - cpu_before
    durations = sorted(tally.durations)
    if not durations:
        raise RuntimeError("no request finished in the measured window")
    return {
        "requests": len(durations),
        "answered": tally.answered,
        "rate": len(durations) / seconds,
        "p50_ms": percentile(durations, 0.50),
        "p99_ms": percentile(durations, 0.99),
        "errors": len(tally.errors),
        "first_errors": tally.errors[:5],
        "cpu_share": cpu / seconds,
        # Start-up included: with the server's and the database's time, what the run cost.
        "cpu_seconds_total": _cpu_seconds(),
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_on_uvloop(work: Coroutine[Any, Any, T]) -> T:
    try:
        import uvloop
    except ImportError:  # plain asyncio measures the same, at a higher cost to the machine
        return asyncio.run(work)
    return uvloop.run(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="http://host:port")
    parser.add_argument("--paths", required=True, help="a file with one path per line")
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warm-up", type=float, default=2.0)
    args = parser.parse_args()
    with open(args.paths) as listing:
        paths = [line.strip() for line in listing if line.strip()]
    headers = dict(
        (name.strip(), value.strip()) for name, value in (h.split(":", 1) for h in args.header)
    )
    result = run_on_uvloop(
        run(args.url, paths, headers, args.connections, args.seconds, args.warm_up)
    )
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
