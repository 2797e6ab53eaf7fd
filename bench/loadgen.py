"""What the benchmarks share: a free port, a server that is up, and the load generators.

Latency percentiles come from h2load's per-request log (Debian package ``nghttp2-client``),
computed here from every request's own duration. wrk's percentiles are not used for latency:
on this 2-core machine wrk printed p99s of a second with 4 connections at 4,000 requests/s —
more slow requests than the connections had time for (Little's law), while h2load's log of
the same server at the same moment showed a p99 of 4 ms. wrk stays for writes whose every
request needs its own body (a Lua script), where only its request rate is read."""

from __future__ import annotations

import math
import os
import re
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[Any], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{url}/health/live", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError("the bench server did not start")
        time.sleep(0.2)


@dataclass(frozen=True, slots=True)
class Load:
    """What a load run measured: requests per second and latency percentiles in milliseconds."""

    rate: float
    p50: float
    p99: float


def run_wrk(url: str, lua: str, *, connections: int, seconds: float, threads: int = 2) -> float:
    """Requests per second while driving ``url`` with the requests the Lua script makes; any
    non-2xx answer is an error."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        result = subprocess.run(
            [
                "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:.0f}s",
                "-s", script.name, url,
            ],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    out = result.stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{errors.group(1)} requests failed:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def percentile(sorted_values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value at least ``share`` of them do not exceed."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def run_h2load(
    url: str,
    paths: list[str],
    *,
    headers: dict[str, str],
    connections: int,
    seconds: float,
    body: bytes | None = None,
    warm_up: float = 1.0,
) -> Load:
    """Drive ``url`` over HTTP/1.1 keep-alive connections, each cycling through ``paths``
    (POSTing ``body`` when given); any non-2xx answer is an error."""
    with tempfile.TemporaryDirectory() as work:
        uris = os.path.join(work, "uris")
        log = os.path.join(work, "log")
        with open(uris, "w") as listing:
            listing.write("\n".join(url + path for path in paths) + "\n")
        command = [
            # h2load wants no more threads than connections.
            "h2load", "--h1", "-t", str(min(2, connections)), "-c", str(connections), "-D", f"{seconds:.0f}",
            "--warm-up-time", f"{warm_up:.0f}", "-i", uris, "--log-file", log,
        ]  # fmt: skip
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        if body is not None:
            data = os.path.join(work, "body")
            with open(data, "wb") as out:
                out.write(body)
            command += ["-d", data]
        subprocess.run(command, capture_output=True, text=True, check=True)
        with open(log) as lines:
            # start (µs since the epoch), status, duration (µs)
            rows = [line.split("\t") for line in lines if line.strip()]
    failed = [row for row in rows if not row[1].startswith("2")]
    if failed or not rows:
        raise RuntimeError(f"{len(failed)} of {len(rows)} requests failed (statuses {failed[:5]})")
    durations = sorted(int(row[2]) / 1000 for row in rows)
    began = min(int(row[0]) for row in rows)
    ended = max(int(row[0]) + int(row[2]) for row in rows)
    return Load(
        rate=len(rows) / ((ended - began) / 1_000_000),
        p50=percentile(durations, 0.50),
        p99=percentile(durations, 0.99),
    )
