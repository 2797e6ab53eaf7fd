"""The approval centre at scale: the inbox over real HTTP beside the same SQL on raw asyncpg.

Seeds one tenant (signed up, CRM switched on through the API, so its owner, session and
default deal-approval workflow are what production makes) with 100,000 deals and one approval
each, in bulk SQL as the owner role: 200 requesters, 100 approvers, nine in ten approvals
decided, and a few hundred tasks open for the measured approver (the tenant's owner), who also
requested about a thousand. Then, with h2load over HTTP/1.1 keep-alive, after a warm-up:

- ``GET /api/v1/workflow/inbox?limit=20`` against its reference: the same statements (tenant
  set, the page, the page's titles) on a raw asyncpg pool as the app's role, served by a
  minimal handler in the same app (bench/approval_app.py) — p50 and p99 on one connection,
  requests per second on several, and the reference's share of the inbox's latency; each
  figure the median of ``--rounds`` runs taken in turn;
- the same statements on raw asyncpg in this process, without HTTP;
- ``/workflow/done`` and ``/workflow/submissions`` (limit 20), p50 and p99.

    uv run python -m bench.approval_inbox [--seconds 5] [--rounds 3] [--connections 8]

PostgreSQL: an embedded server in a temporary directory, unless TESSERA_BENCH_DATABASE_URL
names a server (a superuser URL; the bench makes and drops its own database). Needs h2load
(Debian package ``nghttp2-client``). Target: the reference's p50 is at least 40% of the
inbox's (the inbox costs at most 2.5 times the bare statements).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bench.approval_app import INBOX_SQL, SET_TENANT, inbox_rows
from bench.crm_scale import Tenant, sign_up
from bench.loadgen import Load, free_port, run_h2load, wait_until_up
from tessera.db.embedded import EmbeddedPostgres
from tessera.db.migrations import upgrade
from tessera.db.roles import drop_database, ensure_owner_database
from tessera.modules.registry import installed_plugins
from tessera.settings import Settings

INSTANCES = 100_000
TARGET = 0.40

# A UUIDv7 made in SQL from a moment and a seed: time-ordered like the app's own ids.
UUID7 = (
    "(lpad(to_hex((extract(epoch FROM {at}) * 1000)::bigint), 12, '0') || '7' || "
    "substr(md5({seed}), 1, 3) || '8' || substr(md5({seed}), 4, 15))::uuid"
)
DEALS_SQL = """
INSERT INTO crm_deal (tenant_id, id, name, pipeline_id, stage_id, amount, currency, discount,
                      status, approval, owner_id)
SELECT $1::uuid, md5($1::uuid::text || 'deal' || g)::uuid, 'Deal ' || g || ' for Company ' || (g % 977),
       $2, $3, (g * 137) % 100000, 'USD', 35, 'open', 'none', $4
  FROM generate_series(1, $5) g
"""
# Approval g: submitted g * 90 s after the start (the newest now), by requester g % 200, with
# one task for approver g % 100; the owner decides every 100th (a third of those still open)
# and requested every 97th. Nine in ten are decided. One statement writes both tables.
APPROVALS_SQL = f"""
WITH s AS (
  SELECT g, at, status, {UUID7.format(at="at", seed="$1::uuid::text || 'i' || g")} AS instance_id,
         {UUID7.format(at="at", seed="$1::uuid::text || 't' || g")} AS task_id,
         CASE WHEN status <> 'pending' THEN at + interval '1 hour' END AS decided_at
    FROM generate_series(1, $5) g,
         LATERAL (SELECT now() - ($5 - g) * interval '90 seconds' AS at,
                         CASE WHEN g % 100 = 0 AND g % 300 = 0 THEN 'pending'
                              WHEN g % 100 <> 0 AND g % 10 = 7 THEN 'pending'
                              WHEN g % 10 = 3 THEN 'rejected'
                              ELSE 'approved' END AS status) x
), instances AS (
  INSERT INTO workflow_instance (tenant_id, id, definition_id, version_id, record_type,
                                 record_id, requester_user_id, status, current_step, finished_at,
                                 created_at, updated_at)
  SELECT $1::uuid, instance_id, $2, $3, 'crm.deal', md5($1::uuid::text || 'deal' || g)::uuid::text,
         CASE WHEN g % 97 = 0 AND g % 100 <> 0 THEN $4
              ELSE md5('requester' || (g % 200))::uuid END,
         status, 0, decided_at, at, at
    FROM s
)
INSERT INTO workflow_task (tenant_id, id, instance_id, step_index, step_name, assignee_user_id,
                           status, acted_at, created_at, updated_at)
SELECT $1::uuid, task_id, instance_id, 0, 'Sales manager',
       CASE WHEN g % 100 = 0 THEN $4 ELSE md5('approver' || (g % 100))::uuid END,
       status, decided_at, at, at
  FROM s
"""


async def seed(admin_db_url: str, tenant: Tenant, instances: int) -> dict[str, int]:
    """Deals, approvals and their tasks for ``tenant``; triggers (audit) are off meanwhile."""
    conn = await asyncpg.connect(admin_db_url)
    try:
        await conn.execute("SET session_replication_role = replica")
        async with conn.transaction():
            stage = await conn.fetchrow(
                "SELECT s.pipeline_id, s.id FROM crm_stage s JOIN crm_pipeline p "
                "ON p.tenant_id = s.tenant_id AND p.id = s.pipeline_id "
                "WHERE s.tenant_id = $1 AND p.is_default ORDER BY s.position LIMIT 1",
                tenant.id,
            )
            version = await conn.fetchrow(
                "SELECT d.id AS definition_id, v.id AS version_id FROM workflow_definition d "
                "JOIN workflow_definition_version v ON v.tenant_id = d.tenant_id "
                "AND v.definition_id = d.id AND v.version = d.current_version "
                "WHERE d.tenant_id = $1 AND d.record_type = 'crm.deal'",
                tenant.id,
            )
            # Switching CRM on made its default pipeline and its discount approval workflow.
            assert stage is not None
            assert version is not None
            await conn.execute(DEALS_SQL, tenant.id, stage[0], stage[1], tenant.owner, instances)
            await conn.execute(
                APPROVALS_SQL, tenant.id, version[0], version[1], tenant.owner, instances
            )
        await conn.execute("VACUUM (ANALYZE) workflow_instance, workflow_task, crm_deal")
        await conn.execute("CHECKPOINT")
        counts = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM workflow_instance WHERE tenant_id = $1) AS instances, "
            "(SELECT count(*) FROM workflow_task WHERE tenant_id = $1 AND status = 'pending') "
            "AS open_tasks, "
            "(SELECT count(*) FROM workflow_task WHERE tenant_id = $1 AND status = 'pending' "
            "AND assignee_user_id = $2) AS open_for_owner, "
            "(SELECT count(*) FROM workflow_task WHERE tenant_id = $1 AND status <> 'pending' "
            "AND assignee_user_id = $2) AS decided_by_owner, "
            "(SELECT count(*) FROM workflow_instance WHERE tenant_id = $1 "
            "AND requester_user_id = $2) AS requested_by_owner",
            tenant.id,
            tenant.owner,
        )
        assert counts is not None
        return dict(counts)
    finally:
        await conn.close()


async def explain(runtime_url: str, tenant: Tenant) -> str:
    """The inbox statement's plan as the app role sees it (RLS on), run for real."""
    conn = await asyncpg.connect(runtime_url)
    try:
        async with conn.transaction():
            await conn.execute(SET_TENANT, str(tenant.id))
            rows = await conn.fetch(
                "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + INBOX_SQL, tenant.owner, ["crm.deal"], 21
            )
        return "\n".join("    " + row[0] for row in rows)
    finally:
        await conn.close()


async def raw_latency(runtime_url: str, tenant: Tenant, count: int) -> Load:
    """The reference's statements on one raw connection in this process: no HTTP at all."""
    conn = await asyncpg.connect(runtime_url)
    try:
        for _ in range(50):  # warm-up: statements prepared, pages cached
            await inbox_rows(conn, tenant.id, tenant.owner, 20)
        took = []
        began = time.perf_counter()
        for _ in range(count):
            start = time.perf_counter()
            await inbox_rows(conn, tenant.id, tenant.owner, 20)
            took.append((time.perf_counter() - start) * 1000)
        rate = count / (time.perf_counter() - began)
    finally:
        await conn.close()
    took.sort()
    return Load(rate, statistics.median(took), took[max(0, int(0.99 * len(took)) - 1)])


def median_load(loads: list[Load]) -> Load:
    return Load(
        rate=statistics.median(one.rate for one in loads),
        p50=statistics.median(one.p50 for one in loads),
        p99=statistics.median(one.p99 for one in loads),
    )


def load(url: str, path: str, tenant: Tenant, seconds: float, connections: int) -> Load:
    return run_h2load(
        url, [path], headers={"Cookie": tenant.cookie}, connections=connections, seconds=seconds
    )


def start_server(owner_url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env |= {
        "TESSERA_ENV": "test",
        "TESSERA_DATABASE_URL": owner_url,
        "TESSERA_DATA_DIR": tempfile.mkdtemp(),
        "TESSERA_SECRET_KEY": "bench-" + "k" * 40,
        "TESSERA_LOG_LEVEL": "WARNING",
        "TESSERA_DB_POOL_SIZE": "10",
        "TESSERA_COOKIE_SECURE": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "granian", "--interface", "asgi", "--factory",
            "--workers", str(workers), "--port", str(port), "--no-ws",
            "--log-level", "warning", "bench.approval_app:create",
        ],
        env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, process)
    return process, url


def row(name: str, one: Load, many: Load | None = None) -> str:
    rate = f"{many.rate:8.0f}" if many else f"{'':>8}"
    return f"  {name:<44} {one.p50:7.2f} {one.p99:7.2f} {one.rate:8.0f} {rate}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="medians over this many runs")
    parser.add_argument("--instances", type=int, default=INSTANCES)
    args = parser.parse_args()

    embedded = None
    admin_url = os.environ.get("TESSERA_BENCH_DATABASE_URL")
    if not admin_url:
        embedded = EmbeddedPostgres(Path(tempfile.gettempdir()) / "tessera-bench-approval-pg")
        admin_url = embedded.admin_url
    name = f"tessera_bench_{uuid.uuid4().hex[:8]}"
    owner_url = asyncio.run(ensure_owner_database(admin_url, "tessera", name))
    admin_db_url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade(
        Settings().migrations_dir,
        owner_url,
        app_role="tessera_app",
        plugin_version_dirs=installed_plugins().migration_dirs(),
    )
    process, url = start_server(owner_url, args.workers)
    try:
        from tessera.db.engine import plain_url
        from tessera.runtime import runtime_database_url

        runtime_url = plain_url(runtime_database_url(Settings(database_url=owner_url, env="test")))
        tenant = sign_up(url, f"approvals-{uuid.uuid4().hex[:8]}")
        began = time.perf_counter()
        counts = asyncio.run(seed(admin_db_url, tenant, args.instances))
        print(f"seeded in {time.perf_counter() - began:.1f} s: {counts}", flush=True)
        print("\ninbox statement, as the app role with the tenant set:")
        print(asyncio.run(explain(runtime_url, tenant)), flush=True)

        paths = {
            "GET /workflow/inbox?limit=20": "/api/v1/workflow/inbox?limit=20",
            "reference: same SQL, raw asyncpg, over HTTP": (
                f"/bench/ref/inbox/{tenant.id}/{tenant.owner}?limit=20"
            ),
            "GET /workflow/done?limit=20": "/api/v1/workflow/done?limit=20",
            "GET /workflow/submissions?limit=20": "/api/v1/workflow/submissions?limit=20",
        }
        for path in paths.values():
            load(url, path, tenant, 2, args.connections)  # warm-up
        # Every path in turn, round after round: a busy stretch of the shared machine falls
        # on all of them rather than on one; each figure is the median over the rounds.
        runs: dict[str, tuple[list[Load], list[Load]]] = {n: ([], []) for n in paths}
        for _ in range(args.rounds):
            for name_, path in paths.items():
                runs[name_][0].append(load(url, path, tenant, args.seconds, 1))
                runs[name_][1].append(load(url, path, tenant, args.seconds, args.connections))
        results = {n: (median_load(one), median_load(many)) for n, (one, many) in runs.items()}
        raw = median_load(
            [asyncio.run(raw_latency(runtime_url, tenant, 1000)) for _ in range(args.rounds)]
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        asyncio.run(drop_database(admin_url, name))
        if embedded is not None:
            embedded.stop()

    print(
        f"\n  {'':<44} {'p50 ms':>7} {'p99 ms':>7} {'req/s':>8} {'req/s':>8}"
        f"\n  {'(1 connection; last column ' + str(args.connections) + ' connections)':<44}"
    )
    for name_, (one, many) in results.items():
        print(row(name_, one, many))
    print(row("same SQL, raw asyncpg in-process (no HTTP)", raw))
    inbox, reference = (
        results["GET /workflow/inbox?limit=20"],
        results["reference: same SQL, raw asyncpg, over HTTP"],
    )
    share = reference[0].p50 / inbox[0].p50
    throughput = inbox[1].rate / reference[1].rate
    in_process = raw.p50 / inbox[0].p50
    print(
        f"\n  raw/HTTP (p50, reference endpoint / inbox): {share:.0%} "
        f"(target >= {TARGET:.0%}: {'met' if share >= TARGET else 'NOT met'})"
        f"\n  inbox throughput / reference throughput ({args.connections} connections): "
        f"{throughput:.0%}"
        f"\n  raw asyncpg in-process p50 / inbox p50: {in_process:.0%}"
    )


if __name__ == "__main__":
    main()
