"""Web tier scale-out: GET-one with one `tessera serve` worker process, then with two.

The web processes are stateless (docs/scaling.md), so a second worker should add throughput
until something shared runs out: here the machine's cores, which the workers share with
PostgreSQL and the load generator. The measured request is a CRM contact read by id
(``GET /api/v1/crm/contacts/{id}``, the session cookie of the tenant's owner: a hot read, one
session lookup that enters the tenant, one SELECT), over 1,000 sampled contacts of one tenant
among ``--tenants`` tenants with 1,000 contacts each. ``/health/live`` (no database) is
measured the same way, as the ceiling of the server and the load generator on this machine.

The load generator is bench/httpload.py, a process of its own: the same program, connections
and duration for every run. The two server sizes alternate for ``--rounds`` rounds, each a
fresh ``tessera serve --workers N`` (granian), so a busy stretch of the shared machine falls
on both; each figure is the median over the rounds. It prints requests/s, p50 and p99 per
size, the ratio two workers : one, the CPU time a request costs the server and the database,
the load generator's own CPU use, and how many cores other processes kept busy meanwhile.

    uv run python -m bench.web_scale [--seconds 10] [--rounds 3] [--connections 32]

PostgreSQL: an embedded server in a temporary directory, unless TESSERA_BENCH_DATABASE_URL
names a server (a superuser URL; the bench makes and drops its own database).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.crm_scale import Size, Tenant, sample_ids, seed_one, seed_tenants, sign_up
from bench.loadgen import free_port, wait_until_up
from tessera.db.embedded import EmbeddedPostgres
from tessera.db.migrations import upgrade
from tessera.db.roles import drop_database, ensure_owner_database
from tessera.modules.registry import installed_plugins
from tessera.settings import Settings

TESSERA = Path(sys.executable).parent / "tessera"
SIZES = (1, 2)


@dataclass(frozen=True, slots=True)
class Run:
    """One load run: requests/s, latency percentiles (ms), the CPU time per request (ms) of the
    server (all its processes) and of PostgreSQL (the backends serving the bench database; 0
    when the server runs elsewhere), and the load generator's share of one core while it ran.

    On a machine whose cores others are using too, the rate moves with them; the CPU time a
    request costs hardly does, and says what a core buys."""

    rate: float
    p50: float
    p99: float
    server_cpu_ms: float
    database_cpu_ms: float
    loadgen_cpu: float
    #: Cores the rest of the machine (other processes than server, database backends and
    #: load generator) kept busy on average during the run.
    others_cores: float


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    paths: list[str]
    headers: dict[str, str]


# --- the server and the load ---------------------------------------------------------------


def server_env(owner_url: str, data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    return env | {
        "TESSERA_ENV": "test",
        "TESSERA_DATABASE_URL": owner_url,
        "TESSERA_DATA_DIR": data_dir,
        # The same key for every server: the sessions signed up once stay valid.
        "TESSERA_SECRET_KEY": "bench-" + "k" * 40,
        "TESSERA_LOG_LEVEL": "WARNING",
        # Each worker process holds up to three pools' worth (ORM pool and its overflow, hot
        # reads): two workers at 20 came close to max_connections = 100 beside the tests of
        # others on the same server, and answered 500s. Ten per process is plenty for 2 cores.
        "TESSERA_DB_POOL_SIZE": "10",
        "TESSERA_COOKIE_SECURE": "false",
    }


@dataclass(slots=True)
class Server:
    url: str
    process: subprocess.Popen[str]
    #: The last lines the server printed, to show when a run fails.
    output: deque[str]

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server: `tessera serve` and its worker processes."""
        return sum(_cpu_seconds(pid) for pid in (self.process.pid, *_children(self.process.pid)))


@contextmanager
def serving(owner_url: str, workers: int, data_dir: str) -> Iterator[Server]:
    """`tessera serve --workers N` on a free port, once every worker has started; stopped
    (SIGTERM, as Kubernetes does) after."""
    port = free_port()
    process = subprocess.Popen(
        [str(TESSERA), "serve", "--workers", str(workers), "--port", str(port)],
        env=server_env(owner_url, data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: deque[str] = deque(maxlen=40)
    started = _watch_workers(process, workers, output)
    url = f"http://127.0.0.1:{port}"
    try:
        # The first worker up answers the health check; the measurement waits for them all.
        if not started.wait(timeout=90):
            raise RuntimeError(f"granian did not start {workers} worker(s)")
        wait_until_up(url, process)
        yield Server(url, process, output)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _watch_workers(
    process: subprocess.Popen[str], workers: int, output: deque[str]
) -> threading.Event:
    """Set once granian logged that each worker started; its output is drained until it ends,
    the last lines kept in ``output``."""
    started = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        count = 0
        for line in process.stdout:
            output.append(line)
            count += "Started worker-" in line
            if count >= workers:
                started.set()

    threading.Thread(target=read, daemon=True).start()
    return started


def _children(pid: int) -> list[int]:
    """Every process below ``pid`` (granian's workers), from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def machine_busy_seconds() -> float:
    """CPU time all cores spent on anything but idling and waiting, from /proc/stat."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def backend_cpu_seconds(database: str) -> dict[int, float]:
    """CPU time of each PostgreSQL backend connected to ``database`` on this machine, found by
    its process title (``postgres: … <role> <database> <client> <state>``)."""
    found = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            title = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            found[int(cmdline.parent.name)] = _cpu_seconds(int(cmdline.parent.name))
    return found


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime, fields 14 and 15 of stat(5); the first two fields are before ")".
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drive(
    server: Server, database: str, case: Case, *, connections: int, seconds: float, warm_up: float
) -> Run:
    """One run of the load generator process against ``server``, which uses ``database``."""
    url = server.url
    cpu_before, backends_before = server.cpu_seconds(), backend_cpu_seconds(database)
    busy_before, began = machine_busy_seconds(), time.perf_counter()
    with tempfile.NamedTemporaryFile("w", suffix=".paths") as listing:
        listing.write("\n".join(case.paths) + "\n")
        listing.flush()
        command = [
            sys.executable, "-m", "bench.httpload", "--url", url, "--paths", listing.name,
            "--connections", str(connections), "--seconds", str(seconds),
            "--warm-up", str(warm_up),
        ]  # fmt: skip
        for name, value in case.headers.items():
            command += ["--header", f"{name}: {value}"]
        finished = subprocess.run(command, capture_output=True, text=True, check=True)
    server_cpu = server.cpu_seconds() - cpu_before
    busy, wall = machine_busy_seconds() - busy_before, time.perf_counter() - began
    # A backend the pool opened during the run counts from zero: all its time is this run's.
    database_cpu = sum(
        cpu - backends_before.get(pid, 0.0) for pid, cpu in backend_cpu_seconds(database).items()
    )
    result = json.loads(finished.stdout)
    if result["errors"]:
        raise RuntimeError(
            f"{case.name}: {result['errors']} failed: {result['first_errors']}; the server's "
            "last lines:\n" + "".join(server.output)
        )
    return Run(
        rate=result["rate"],
        p50=result["p50_ms"],
        p99=result["p99_ms"],
        server_cpu_ms=server_cpu * 1000 / result["answered"],
        database_cpu_ms=database_cpu * 1000 / result["answered"],
        loadgen_cpu=result["cpu_share"],
        others_cores=max(
            0.0, (busy - server_cpu - database_cpu - result["cpu_seconds_total"]) / wall
        ),
    )


def median_run(runs: list[Run]) -> Run:
    return Run(
        rate=statistics.median(r.rate for r in runs),
        p50=statistics.median(r.p50 for r in runs),
        p99=statistics.median(r.p99 for r in runs),
        server_cpu_ms=statistics.median(r.server_cpu_ms for r in runs),
        database_cpu_ms=statistics.median(r.database_cpu_ms for r in runs),
        loadgen_cpu=statistics.median(r.loadgen_cpu for r in runs),
        others_cores=statistics.median(r.others_cores for r in runs),
    )


# --- the data --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Database:
    admin_url: str
    name: str
    owner_url: str
    admin_db_url: str


def make_database(admin_url: str) -> Database:
    name = f"tessera_bench_{uuid.uuid4().hex[:8]}"
    owner_url = asyncio.run(ensure_owner_database(admin_url, "tessera", name))
    upgrade(
        Settings().migrations_dir,
        owner_url,
        app_role="tessera_app",
        plugin_version_dirs=installed_plugins().migration_dirs(),
    )
    admin_db_url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return Database(admin_url, name, owner_url, admin_db_url)


def prepare(database: Database, tenants: int, data_dir: str) -> tuple[Tenant, list[str]]:
    """The measured tenant (signed up through the API, CRM on) among ``tenants`` in all, each
    with 1,000 contacts; 1,000 of the measured tenant's contact ids, in a shuffled order."""
    size = Size(contacts=1000, accounts=200, deals=200)
    with serving(database.owner_url, 1, data_dir) as server:
        tenant = sign_up(server.url, f"measured-{uuid.uuid4().hex[:8]}")
    asyncio.run(seed_one(database.admin_db_url, tenant, size))
    if tenants > 1:
        asyncio.run(seed_tenants(database.admin_db_url, 1, tenants - 1, size))
    return tenant, asyncio.run(sample_ids(database.admin_db_url, "crm_contact", tenant.id))


# --- the run ---------------------------------------------------------------------------------


def measure(
    database: Database, cases: list[Case], args: argparse.Namespace, data_dir: str
) -> dict[tuple[str, int], Run]:
    runs: dict[tuple[str, int], list[Run]] = {(c.name, n): [] for c in cases for n in SIZES}
    for round_ in range(1, args.rounds + 1):
        for workers in SIZES:
            with serving(database.owner_url, workers, data_dir) as server:
                for case in cases:
                    run = drive(
                        server,
                        database.name,
                        case,
                        connections=args.connections,
                        seconds=args.seconds,
                        warm_up=args.warm_up,
                    )
                    runs[(case.name, workers)].append(run)
                    print(
                        f"  round {round_}, {workers} worker(s), {case.name}: {run.rate:.0f} req/s, "
                        f"p50 {run.p50:.1f} ms, p99 {run.p99:.1f} ms, CPU ms/request: server "
                        f"{run.server_cpu_ms:.2f}, database {run.database_cpu_ms:.2f}; "
                        f"other processes kept {run.others_cores:.1f} core(s) busy",
                        flush=True,
                    )
    return {key: median_run(value) for key, value in runs.items()}


def per_core(run: Run) -> float:
    """Requests one core serves if it does nothing else: server and database together."""
    return 1000 / (run.server_cpu_ms + run.database_cpu_ms)


def report(results: dict[tuple[str, int], Run], cases: list[Case], connections: int) -> None:
    print(f"\nmedians, {connections} keep-alive connections, one load generator process")
    print(
        f"  {'request':<34} {'workers':>7} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms/req: server':>18} {'database':>8} {'req/s a core buys':>17} "
        f"{'loadgen CPU':>11} {'others, cores':>13}"
    )
    for case in cases:
        for workers in SIZES:
            run = results[(case.name, workers)]
            print(
                f"  {case.name:<34} {workers:>7} {run.rate:8.0f} {run.p50:7.1f} {run.p99:7.1f} "
                f"{run.server_cpu_ms:18.2f} {run.database_cpu_ms:8.2f} "
                f"{per_core(run):17.0f} {run.loadgen_cpu:11.0%} {run.others_cores:13.1f}"
            )
        one, two = results[(case.name, 1)], results[(case.name, 2)]
        print(f"  {'':<34} {'2 : 1':>7} {two.rate / one.rate:8.2f}")
    others = statistics.median(r.others_cores for r in results.values())
    cores = os.cpu_count() or 1
    if others > 0.25 * cores:
        print(
            f"\n  NOTE: other processes kept {others:.1f} of the {cores} cores busy during the runs "
            "(median). The rates are then lower than on a quiet machine, and the ratio 2 : 1 is "
            "not the app's own: two processes get a larger share of a contended machine than "
            "one. Compare CPU per request, or run again when the machine is quiet."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warm-up", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3, help="medians over this many rounds")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--tenants", type=int, default=100)
    args = parser.parse_args()

    embedded = None
    admin_url = os.environ.get("TESSERA_BENCH_DATABASE_URL")
    if not admin_url:
        embedded = EmbeddedPostgres(Path(tempfile.gettempdir()) / "tessera-bench-web-pg")
        admin_url = embedded.admin_url
    data_dir = tempfile.mkdtemp()
    database = make_database(admin_url)
    try:
        began = time.perf_counter()
        tenant, contacts = prepare(database, args.tenants, data_dir)
        print(
            f"{args.tenants} tenants, {args.tenants * 1000:,} contacts, seeded in "
            f"{time.perf_counter() - began:.0f} s; {os.cpu_count()} CPU(s)",
            flush=True,
        )
        cases = [
            Case(
                "GET contact by id (session)",
                [f"/api/v1/crm/contacts/{c}" for c in contacts],
                {"Cookie": tenant.cookie},
            ),
            Case("GET /health/live (no database)", ["/health/live"], {}),
        ]
        report(measure(database, cases, args, data_dir), cases, args.connections)
    finally:
        asyncio.run(drop_database(admin_url, database.name))
        if embedded is not None:
            embedded.stop()


if __name__ == "__main__":
    main()
