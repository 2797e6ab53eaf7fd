"""What the audit trail costs: writes per second of a small record, audited and not.

Runs the real app twice, each on a fresh database of the same PostgreSQL server — once as
shipped (every change recorded by the audit trigger and hash-chained in its transaction), once
as the baseline with the audit triggers dropped and plain sessions — each in its own server
process, and drives both with the same load over real HTTP: clients signed in to their own
tenants create roles (a small record) as fast as the server answers. Rounds alternate between
the two servers; the figures are medians over rounds.

    uv run python -m bench.audit_cost [--seconds 8] [--rounds 3] [--clients 16] [--tenants 16]

The load comes from wrk (Debian's package ``wrk``), so that the load generator is not the
bottleneck; without wrk a Python client (httpx) drives it, which saturates before the server
does and understates the difference — the output says which one ran.

Target (issue 4): audited throughput at least 0.85 of the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from bench.loadgen import free_port, run_wrk, wait_until_up
from tessera.db.embedded import EmbeddedPostgres
from tessera.db.migrations import upgrade
from tessera.db.roles import drop_database, ensure_owner_database
from tessera.modules.registry import installed_plugins
from tessera.settings import Settings

PASSWORD = "correct horse battery staple"


def start_server(
    audited: bool, owner_url: str, data_dir: Path
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env |= {
        "TESSERA_ENV": "test",
        "TESSERA_DATABASE_URL": owner_url,
        "TESSERA_DATA_DIR": str(data_dir),
        "TESSERA_SECRET_KEY": "bench-" + "k" * 40,
        "TESSERA_LOG_LEVEL": "WARNING",
        "TESSERA_DB_POOL_SIZE": "20",
        "TESSERA_COOKIE_SECURE": "false",
        "BENCH_AUDIT": "1" if audited else "0",
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "--factory", "bench.audit_app:create",
            "--port", str(port), "--log-level", "warning", "--no-access-log",
        ],
        env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, process)
    return process, url


async def signed_up_client(url: str) -> tuple[httpx.AsyncClient, str]:
    client = httpx.AsyncClient(base_url=url, timeout=30)
    slug = f"b-{uuid.uuid4().hex[:12]}"
    response = await client.post(
        "/api/v1/signup",
        json={
            "company_name": "Bench",
            "slug": slug,
            "name": "Bench",
            "email": f"{slug}@example.com",
            "password": PASSWORD,
        },
    )
    response.raise_for_status()
    return client, response.json()["csrf_token"]


async def drive(url: str, clients: int, seconds: float) -> tuple[float, float, float]:
    """Writes per second, p50 and p99 latency (ms) of creating roles for ``seconds``."""
    sessions = [await signed_up_client(url) for _ in range(clients)]
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient, csrf: str) -> None:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            response = await client.post(
                "/api/v1/roles",
                json={"name": f"r {uuid.uuid4().hex}", "description": "bench"},
                headers={"X-CSRF-Token": csrf},
            )
            if response.status_code != 201:
                raise RuntimeError(f"{response.status_code}: {response.text}")
            latencies.append((time.perf_counter() - started) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*(worker(c, t) for c, t in sessions))
    elapsed = time.perf_counter() - began
    for client, _ in sessions:
        await client.aclose()
    latencies.sort()
    return (
        len(latencies) / elapsed,
        latencies[len(latencies) // 2],
        latencies[int(len(latencies) * 0.99)],
    )


WRK_SCRIPT = """
local sessions = %(sessions)s
local counter = 0
init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
request = function()
  counter = counter + 1
  local s = sessions[(counter %% #sessions) + 1]
  local body = '{"name":"r ' .. counter .. '-' .. math.random(1, 1000000000) .. '","description":"bench"}'
  return wrk.format("POST", "/api/v1/roles",
    {["Content-Type"] = "application/json", ["Cookie"] = s[1], ["X-CSRF-Token"] = s[2]}, body)
end
"""


def _lua_sessions(sessions: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{{{json.dumps(c)}, {json.dumps(t)}}}" for c, t in sessions) + "}"


async def wrk_sessions(url: str, tenants: int) -> list[tuple[str, str]]:
    """Cookie header and CSRF token of a fresh owner session in each of ``tenants`` tenants."""
    found = []
    for _ in range(tenants):
        client, csrf = await signed_up_client(url)
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        found.append((cookie, csrf))
        await client.aclose()
    return found


def drive_wrk(url: str, clients: int, tenants: int, seconds: float) -> tuple[float, float, float]:
    """Rate only: wrk's percentiles are not trusted on this machine (bench/loadgen.py)."""
    sessions = asyncio.run(wrk_sessions(url, tenants))
    rate = run_wrk(
        url,
        WRK_SCRIPT % {"sessions": _lua_sessions(sessions)},
        connections=clients,
        seconds=seconds,
    )
    return rate, math.nan, math.nan


async def fresh_database(admin_url: str) -> str:
    name = f"tessera_bench_{uuid.uuid4().hex[:8]}"
    return await ensure_owner_database(admin_url, "tessera", name)


async def drop_audit_triggers(owner_url: str) -> None:
    """The baseline: the same schema with no table audited."""
    from tessera.db.engine import plain_url

    conn = await asyncpg.connect(plain_url(owner_url))
    try:
        tables = await conn.fetch(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'audit'"
        )
        for row in tables:
            await conn.execute(f'DROP TRIGGER audit ON "{row["relname"]}"')
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--tenants", type=int, default=16)
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None

    def run(url: str, seconds: float) -> tuple[float, float, float]:
        if use_wrk:
            return drive_wrk(url, args.clients, args.tenants, seconds)
        return asyncio.run(drive(url, args.clients, seconds))

    embedded = None
    admin_url = os.environ.get("TESSERA_BENCH_DATABASE_URL")
    if not admin_url:
        embedded = EmbeddedPostgres(Path(tempfile.gettempdir()) / "tessera-bench-pg")
        admin_url = embedded.admin_url
    owner_urls = {mode: asyncio.run(fresh_database(admin_url)) for mode in ("baseline", "audited")}
    for owner_url in owner_urls.values():
        upgrade(
            Settings().migrations_dir,
            owner_url,
            app_role="tessera_app",
            plugin_version_dirs=installed_plugins().migration_dirs(),
        )
    asyncio.run(drop_audit_triggers(owner_urls["baseline"]))
    data_dir = Path(tempfile.mkdtemp())
    servers = {
        mode: start_server(mode == "audited", url, data_dir) for mode, url in owner_urls.items()
    }
    try:
        for _, url in servers.values():  # warm-up: connection pools, statement caches
            run(url, 2.0)
        results: dict[str, list[tuple[float, float, float]]] = {m: [] for m in servers}
        for _ in range(args.rounds):
            for mode, (_, url) in servers.items():
                results[mode].append(run(url, args.seconds))
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=20)
        for owner_url in owner_urls.values():
            asyncio.run(drop_database(admin_url, str(make_url(owner_url).database)))
        if embedded is not None:
            embedded.stop()

    driver = (
        "wrk" if use_wrk else "httpx (install wrk for a load generator that is not the bottleneck)"
    )
    print(
        f"audit cost: POST /api/v1/roles over HTTP, {args.clients} connections from {driver}, "
        f"{args.tenants if use_wrk else args.clients} tenants, {args.rounds} rounds of "
        f"{args.seconds:.0f} s per server, one uvicorn worker each, 2 cores shared"
    )
    medians = {}
    for mode, rounds in results.items():
        rate = statistics.median(r[0] for r in rounds)
        p50 = statistics.median(r[1] for r in rounds)
        p99 = statistics.median(r[2] for r in rounds)
        medians[mode] = rate
        each = ", ".join(f"{r[0]:.0f}" for r in rounds)
        latency = "" if math.isnan(p50) else f"  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
        print(f"  {mode:<9} {rate:8.1f} writes/s{latency}  (rounds: {each})")
    ratio = medians["audited"] / medians["baseline"]
    verdict = "met" if ratio >= 0.85 else "NOT met"
    print(f"  ratio audited/baseline = {ratio:.3f}  (target >= 0.85: {verdict})")


if __name__ == "__main__":
    main()
