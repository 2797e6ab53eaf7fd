"""CRM at scale: the hot endpoints over real HTTP, beside the same SQL on a raw asyncpg pool.

Seeds tenants in bulk (SQL, not the API): first 10, then up to 1,000 tenants with 1,000
contacts, 200 accounts and 200 deals each (1,000,000 contacts, 200,000 deals in all), then one
large tenant with 1,000,000 contacts of its own. The measured tenants are signed up and switch
CRM on through the API, so their owner, session and pipeline are what production makes.

For one tenant it drives, with h2load, each endpoint and its reference — a minimal Litestar
handler in the same app (bench/crm_app.py), running the same statement on a raw asyncpg pool
without RLS, session or permission work — and prints requests per second, p50 and p99, and
the ratio to the reference, at 10 tenants and at 1,000, each figure the median of its rounds.
On the large tenant it prints the first page of a filtered, sorted list with its total.

    uv run python -m bench.crm_scale [--seconds 6] [--rounds 3] [--connections 16] [--workers 2]

PostgreSQL: an embedded server in a temporary directory, unless TESSERA_BENCH_DATABASE_URL
names a server (a superuser URL; the bench makes and drops its own database). Needs h2load
(Debian package ``nghttp2-client``).

Targets (issue 6): get-one >= 50% of the reference, filtered list >= 40%, account detail
>= 40%; p99 at 1,000 tenants within 20% of p99 at 10; large-tenant list p99 < 100 ms.
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
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from bench.loadgen import Load, free_port, run_h2load, wait_until_up
from tessera.db.embedded import EmbeddedPostgres
from tessera.db.migrations import upgrade
from tessera.db.roles import drop_database, ensure_owner_database
from tessera.modules.registry import installed_plugins
from tessera.settings import Settings

PASSWORD = "correct horse battery staple"
FIRST_NAMES = "Ada Alan Grace Linus Barbara Edsger Donald Margaret John Frances Ken Dennis"
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill"
)
SEARCHES = ("smi", "joh", "gar", "mar", "lee", "kin", "hil", "wri")


# --- seeding -------------------------------------------------------------------------------

# Ids are derived from (tenant, kind, number) so related rows can name each other in SQL.
ACCOUNTS_SQL = """
INSERT INTO crm_account (tenant_id, id, name, name_key, email, email_key, phone, phone_key,
                         industry, address, tags, notes, owner_id)
SELECT t.tid, md5(t.tid::text || 'a' || g)::uuid, 'Company ' || g, 'company ' || g,
       'info@company' || g || '.example', 'info@company' || g || '.example',
       '+1 555 ' || lpad(g::text, 7, '0'), '1555' || lpad(g::text, 7, '0'),
       'Industry ' || (g % 12), '{}'::jsonb,
       CASE WHEN g % 10 = 0 THEN ARRAY['key']::varchar[] ELSE '{}' END, '', t.owner
  FROM unnest($1::uuid[], $2::uuid[]) AS t(tid, owner), generate_series(1, $3) g
"""
CONTACTS_SQL = f"""
INSERT INTO crm_contact (tenant_id, id, account_id, first_name, last_name, title, email,
                         email_key, phone, phone_key, tags, notes, owner_id)
SELECT t.tid, md5(t.tid::text || 'c' || g)::uuid,
       md5(t.tid::text || 'a' || (1 + g % $4))::uuid,
       f.names[1 + g % array_length(f.names, 1)],
       l.names[1 + (g * 7) % array_length(l.names, 1)] || (g % 97),
       'Buyer', 'person' || g || '@company' || (1 + g % $4) || '.example',
       'person' || g || '@company' || (1 + g % $4) || '.example',
       '+1 556 ' || lpad(g::text, 7, '0'), '1556' || lpad(g::text, 7, '0'),
       CASE WHEN g % 10 = 0 THEN ARRAY['vip']::varchar[] ELSE '{{}}' END, '', t.owner
  FROM unnest($1::uuid[], $2::uuid[]) AS t(tid, owner), generate_series(1, $3) g,
       (SELECT string_to_array('{FIRST_NAMES}', ' ') AS names) f,
       (SELECT string_to_array('{LAST_NAMES}', ' ') AS names) l
"""
DEALS_SQL = """
INSERT INTO crm_deal (tenant_id, id, name, account_id, pipeline_id, stage_id, amount, currency,
                      expected_close, status, closed_at, owner_id)
SELECT t.tid, md5(t.tid::text || 'd' || g)::uuid, 'Deal ' || g,
       md5(t.tid::text || 'a' || (1 + g % $4))::uuid, s.pipeline_id, s.id,
       (g * 137) % 100000, 'USD', current_date + (g % 180),
       CASE WHEN g % 10 < 7 THEN 'open' WHEN g % 10 < 9 THEN 'won' ELSE 'lost' END,
       CASE WHEN g % 10 >= 7 THEN now() END, t.owner
  FROM unnest($1::uuid[], $2::uuid[]) AS t(tid, owner) CROSS JOIN generate_series(1, $3) g
  JOIN crm_pipeline p ON p.tenant_id = t.tid AND p.is_default
  JOIN crm_stage s ON s.tenant_id = t.tid AND s.pipeline_id = p.id AND s.position = g % 4
"""
TENANTS_SQL = """
INSERT INTO tenant (id, slug, name) SELECT md5('bench-tenant' || i)::uuid, 'bench-' || i,
       'Bench tenant ' || i FROM generate_series($1::int, $2::int) i RETURNING id
"""
MODULES_SQL = """
INSERT INTO tenant_module (tenant_id, id, module, enabled, first_enabled_at, switched_at)
SELECT tid, md5(tid::text || 'crm')::uuid, 'crm', true, now(), now() FROM unnest($1::uuid[]) tid
"""
PIPELINES_SQL = """
INSERT INTO crm_pipeline (tenant_id, id, name, is_default)
SELECT tid, md5(tid::text || 'p')::uuid, 'Sales', true FROM unnest($1::uuid[]) tid
"""
STAGES_SQL = """
INSERT INTO crm_stage (tenant_id, id, pipeline_id, name, position, probability)
SELECT tid, md5(tid::text || 's' || s.position)::uuid, md5(tid::text || 'p')::uuid,
       s.name, s.position, s.probability
  FROM unnest($1::uuid[]) tid,
       (VALUES ('Qualification', 0, 10), ('Needs analysis', 1, 25), ('Proposal', 2, 50),
               ('Negotiation', 3, 75)) AS s(name, position, probability)
"""


@dataclass(frozen=True, slots=True)
class Size:
    contacts: int
    accounts: int
    deals: int


async def seed_records(
    conn: asyncpg.Connection, tenants: list[tuple[uuid.UUID, uuid.UUID]], size: Size
) -> None:
    """Accounts, contacts and deals for each (tenant, owner); triggers (audit) are off."""
    ids = [t for t, _ in tenants]
    owners = [o for _, o in tenants]
    await conn.execute(ACCOUNTS_SQL, ids, owners, size.accounts)
    await conn.execute(CONTACTS_SQL, ids, owners, size.contacts, size.accounts)
    await conn.execute(DEALS_SQL, ids, owners, size.deals, size.accounts)


async def seed_tenants(admin_db_url: str, first: int, last: int, size: Size) -> None:
    """Tenants number ``first``..``last`` with CRM on, a pipeline and their records."""
    conn = await asyncpg.connect(admin_db_url)
    try:
        await conn.execute("SET session_replication_role = replica")
        batch = 50
        for start in range(first, last + 1, batch):
            async with conn.transaction():
                rows = await conn.fetch(TENANTS_SQL, start, min(start + batch - 1, last))
                ids = [row["id"] for row in rows]
                await conn.execute(MODULES_SQL, ids)
                await conn.execute(PIPELINES_SQL, ids)
                await conn.execute(STAGES_SQL, ids)
                await seed_records(conn, [(i, uuid.uuid4()) for i in ids], size)
        await settle(conn)
    finally:
        await conn.close()


async def settle(conn: asyncpg.Connection) -> None:
    """Statistics, hint bits and the visibility map, as a table that has been live a while has
    them (a bulk load leaves the first reads of every page to set them)."""
    await conn.execute("VACUUM (ANALYZE)")
    # Written out now, not by a checkpoint in the middle of the next measurement.
    await conn.execute("CHECKPOINT")


async def seed_one(admin_db_url: str, tenant: Tenant, size: Size) -> None:
    conn = await asyncpg.connect(admin_db_url)
    try:
        await conn.execute("SET session_replication_role = replica")
        async with conn.transaction():
            await seed_records(conn, [(tenant.id, tenant.owner)], size)
        await settle(conn)
    finally:
        await conn.close()


# --- the measured tenants ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tenant:
    id: uuid.UUID
    owner: uuid.UUID
    cookie: str
    csrf: str


def sign_up(url: str, slug: str) -> Tenant:
    with httpx.Client(base_url=url, timeout=60) as client:
        made = client.post(
            "/api/v1/signup",
            json={
                "company_name": f"Measured {slug}",
                "slug": slug,
                "name": "Owner",
                "email": f"{slug}@example.com",
                "password": PASSWORD,
            },
        )
        made.raise_for_status()
        csrf = made.json()["csrf_token"]
        client.post("/api/v1/modules/crm/enable", headers={"X-CSRF-Token": csrf}).raise_for_status()
        me = client.get("/api/v1/me").json()
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        return Tenant(uuid.UUID(me["tenant"]["id"]), uuid.UUID(me["user"]["id"]), cookie, csrf)


async def sample_ids(
    admin_db_url: str, table: str, tenant_id: uuid.UUID, n: int = 1000
) -> list[str]:
    conn = await asyncpg.connect(admin_db_url)
    try:
        rows = await conn.fetch(
            f"SELECT id FROM {table} WHERE tenant_id = $1 ORDER BY md5(id::text) LIMIT $2",
            tenant_id,
            n,
        )
        return [str(row["id"]) for row in rows]
    finally:
        await conn.close()


# --- load ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Requests:
    """What one side of a case sends: the paths each connection cycles through, as whom, and
    the body it POSTs (GET without one)."""

    paths: list[str]
    headers: dict[str, str]
    body: bytes | None = None


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    ours: Requests
    reference: Requests


def cases(
    tenant: Tenant, writer: Tenant, contacts: list[str], accounts: list[str]
) -> dict[str, Case]:
    """Reads in ``tenant``; creates in ``writer``, so the rows they add do not change what
    the reads of the next round find."""
    ref = f"/bench/ref/{tenant.id}"
    reader = {"Cookie": tenant.cookie}

    def gets(ours: list[str], reference: list[str]) -> tuple[Requests, Requests]:
        return Requests(ours, reader), Requests(reference, reader)

    # No email or phone: nothing for the duplicate check to find, so every POST creates.
    as_writer = {
        "Cookie": writer.cookie,
        "X-CSRF-Token": writer.csrf,
        "Content-Type": "application/json",
    }
    body = b'{"first_name":"Bench","last_name":"Contact"}'
    requests = {
        "get-one": gets(
            [f"/api/v1/crm/contacts/{c}" for c in contacts],
            [f"{ref}/contacts/{c}" for c in contacts],
        ),
        "list (50, filtered, sorted)": gets(
            ["/api/v1/crm/contacts?tag=vip&sort=last_name&limit=50"],
            [f"{ref}/contacts?tag=vip"],
        ),
        "search": gets(
            [f"/api/v1/crm/contacts?q={q}" for q in SEARCHES],
            [f"{ref}/contacts?q={q}" for q in SEARCHES],
        ),
        "account detail": gets(
            [f"/api/v1/crm/accounts/{a}/detail" for a in accounts],
            [f"{ref}/accounts/{a}" for a in accounts],
        ),
        "create": (
            Requests(["/api/v1/crm/contacts"], as_writer, body),
            Requests([f"/bench/ref/{writer.id}/contacts"], as_writer, body),
        ),
    }
    return {name: Case(name, *pair) for name, pair in requests.items()}


def load(url: str, requests: Requests, seconds: float, connections: int) -> Load:
    return run_h2load(
        url,
        requests.paths,
        headers=requests.headers,
        body=requests.body,
        connections=connections,
        seconds=seconds,
    )


def median_load(loads: list[Load]) -> Load:
    """Each figure's median over the rounds: a p99 is the slowest 1% of one run, and one
    pause of the shared machine (2 cores for server, database and load) moves it."""
    return Load(
        rate=statistics.median(one.rate for one in loads),
        p50=statistics.median(one.p50 for one in loads),
        p99=statistics.median(one.p99 for one in loads),
    )


def measure(
    url: str, all_cases: dict[str, Case], seconds: float, connections: int, rounds: int
) -> dict[str, tuple[Load, Load]]:
    """Each case and its reference in turn, ``rounds`` times over, so a slow stretch of the
    machine falls on both sides rather than on one."""
    runs: dict[str, tuple[list[Load], list[Load]]] = {name: ([], []) for name in all_cases}
    for case in all_cases.values():
        load(url, case.ours, 2, connections)  # warm-up
        load(url, case.reference, 2, connections)
    for _ in range(rounds):
        for name, case in all_cases.items():
            runs[name][0].append(load(url, case.ours, seconds, connections))
            runs[name][1].append(load(url, case.reference, seconds, connections))
    return {name: (median_load(ours), median_load(ref)) for name, (ours, ref) in runs.items()}


def report(title: str, results: dict[str, tuple[Load, Load]]) -> None:
    print(f"\n{title}")
    print(
        f"  {'endpoint':<28} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} | {'ref req/s':>9} {'p50':>6} {'p99':>6} | ratio"
    )
    for name, (ours, ref) in results.items():
        print(
            f"  {name:<28} {ours.rate:8.0f} {ours.p50:7.1f} {ours.p99:7.1f} | "
            f"{ref.rate:9.0f} {ref.p50:6.1f} {ref.p99:6.1f} | {ours.rate / ref.rate:5.2f}"
        )


TARGETS = {"get-one": 0.50, "list (50, filtered, sorted)": 0.40, "account detail": 0.40}


# --- the run -------------------------------------------------------------------------------


def start_server(
    owner_url: str, admin_db_url: str, workers: int
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env |= {
        "TESSERA_ENV": "test",
        "TESSERA_DATABASE_URL": owner_url,
        "TESSERA_DATA_DIR": tempfile.mkdtemp(),
        "TESSERA_SECRET_KEY": "bench-" + "k" * 40,
        "TESSERA_LOG_LEVEL": "WARNING",
        "TESSERA_DB_POOL_SIZE": "20",
        "TESSERA_COOKIE_SECURE": "false",
        "BENCH_REFERENCE_URL": admin_db_url,
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "granian", "--interface", "asgi", "--factory",
            "--workers", str(workers), "--port", str(port), "--no-ws",
            "--log-level", "warning", "bench.crm_app:create",
        ],
        env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, process)
    return process, url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rounds", type=int, default=3, help="medians over this many runs")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--large", type=int, default=1_000_000, help="contacts of the large tenant")
    args = parser.parse_args()
    size = Size(contacts=1000, accounts=200, deals=200)

    embedded = None
    admin_url = os.environ.get("TESSERA_BENCH_DATABASE_URL")
    if not admin_url:
        embedded = EmbeddedPostgres(Path(tempfile.gettempdir()) / "tessera-bench-crm-pg")
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
    process, url = start_server(owner_url, admin_db_url, args.workers)
    try:
        began = time.perf_counter()
        tenant = sign_up(url, f"measured-{uuid.uuid4().hex[:8]}")
        writer = sign_up(url, f"writer-{uuid.uuid4().hex[:8]}")
        asyncio.run(seed_one(admin_db_url, tenant, size))
        asyncio.run(seed_one(admin_db_url, writer, size))
        asyncio.run(seed_tenants(admin_db_url, 1, 8, size))
        print(f"seeded 10 tenants in {time.perf_counter() - began:.0f} s", flush=True)
        contacts = asyncio.run(sample_ids(admin_db_url, "crm_contact", tenant.id))
        accounts = asyncio.run(sample_ids(admin_db_url, "crm_account", tenant.id))
        all_cases = cases(tenant, writer, contacts, accounts)
        at_10 = measure(url, all_cases, args.seconds, args.connections, args.rounds)
        report(f"10 tenants, {10 * size.contacts:,} contacts — one tenant's endpoints", at_10)

        began = time.perf_counter()
        asyncio.run(seed_tenants(admin_db_url, 9, args.tenants - 2, size))
        print(
            f"\nseeded up to {args.tenants} tenants in {time.perf_counter() - began:.0f} s",
            flush=True,
        )
        at_all = measure(url, all_cases, args.seconds, args.connections, args.rounds)
        report(
            f"{args.tenants} tenants, {args.tenants * size.contacts:,} contacts, "
            f"{args.tenants * size.deals:,} deals — the same tenant's endpoints",
            at_all,
        )

        began = time.perf_counter()
        large = sign_up(url, f"large-{uuid.uuid4().hex[:8]}")
        asyncio.run(
            seed_one(
                admin_db_url,
                large,
                Size(contacts=args.large, accounts=args.large // 10, deals=args.large // 20),
            )
        )
        print(f"\nseeded the large tenant in {time.perf_counter() - began:.0f} s", flush=True)
        first_page = Requests(
            ["/api/v1/crm/contacts?tag=vip&sort=last_name&limit=50&total=true"],
            {"Cookie": large.cookie},
        )
        load(url, first_page, 2, args.connections)  # warm-up
        big = median_load(
            [load(url, first_page, args.seconds, args.connections) for _ in range(args.rounds)]
        )
        # As one team of the tenant loads it: a few people at once.
        few = median_load([load(url, first_page, args.seconds, 4) for _ in range(args.rounds)])
        page = httpx.get(
            f"{url}/api/v1/crm/contacts?tag=vip&sort=last_name&limit=50&total=true",
            headers={"Cookie": large.cookie},
            timeout=30,
        ).json()
    finally:
        process.terminate()
        process.wait(timeout=30)
        asyncio.run(drop_database(admin_url, name))
        if embedded is not None:
            embedded.stop()

    print("\nsummary")
    for name_, target in TARGETS.items():
        ratio = at_all[name_][0].rate / at_all[name_][1].rate
        print(
            f"  {name_:<28} {ratio:5.2f} of the reference (target >= {target:.2f}: {'met' if ratio >= target else 'NOT met'})"
        )
    for name_ in at_10:
        p10, p1000 = at_10[name_][0].p99, at_all[name_][0].p99
        change = p1000 / p10 - 1
        print(
            f"  p99 {name_:<24} {p10:6.1f} ms at 10 tenants, {p1000:6.1f} ms at {args.tenants} ({change:+.0%}; target within +20%)"
        )
    print(
        f"  large tenant ({args.large:,} contacts): first page of tag=vip sorted by last_name with "
        f"total {page['total']:,} ({'estimate' if page['total_is_estimate'] else 'exact'}): "
        f"{big.rate:.0f} req/s, p50 {big.p50:.1f} ms, p99 {big.p99:.1f} ms with "
        f"{args.connections} connections; {few.rate:.0f} req/s, p50 {few.p50:.1f} ms, "
        f"p99 {few.p99:.1f} ms with 4 (target p99 < 100 ms)"
    )


if __name__ == "__main__":
    main()
