"""Accounting: the trial balance of a tenant with 1,000,000 posted journal lines.

Seeds one tenant's books in a database of its own: the generic chart (through the module's own
seeding), then 100,000 posted entries of 10 lines each over two years, written in bulk as the
superuser with triggers off, and the per-account daily balances the posting trigger would have
kept (one INSERT ... SELECT). It then times, as the owner role inside the tenant (row-level
security applies), the report's own code (tessera_accounting.reports.trial_balance) for one
year with the year before as comparison, and for reference the same figures summed from the
lines themselves.

    uv run python -m bench.accounting_trial_balance [--entries 100000] [--rounds 20]

PostgreSQL: TESSERA_BENCH_DATABASE_URL (a superuser URL; default the local server at
postgresql://postgres@127.0.0.1:5432/postgres); the bench makes and drops its own database.

Target (docs/decisions.md, decision 41): the trial balance under 300 ms on 1,000,000 lines.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from tessera_accounting.reports import Period, trial_balance
from tessera_accounting.seeding import seed_books

from tessera.db.engine import asyncpg_url, plain_url
from tessera.db.migrations import upgrade
from tessera.db.roles import drop_database, ensure_owner_database
from tessera.db.tenant_context import set_tenant
from tessera.modules.registry import installed_plugins
from tessera.settings import Settings

ADMIN_URL = os.environ.get(
    "TESSERA_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
LINES_PER_ENTRY = 10
DAYS = 730
START = date(date.today().year - 1, 1, 1)

# Ten lines per entry: five debits on expense and asset accounts, five credits on the others,
# each pair equal, so every entry balances.
ENTRIES_SQL = """
INSERT INTO accounting_entry (tenant_id, id, journal_id, number, date, memo, currency, status,
                              posted_at, created_at, updated_at)
SELECT $1::uuid, md5($1::uuid::text || 'e' || g)::uuid, $2, 'MISC/B/' || g, $3::date + (g % $4),
       'bench', 'CNY', 'posted', now(), now(), now()
  FROM generate_series(1, $5) g
"""
LINES_SQL = """
INSERT INTO accounting_line (tenant_id, id, entry_id, sequence, account_id, label, debit, credit,
                             created_at, updated_at)
SELECT $1::uuid, gen_random_uuid(), md5($1::uuid::text || 'e' || g)::uuid, s,
       (CASE WHEN s % 2 = 0 THEN $2::uuid[] ELSE $3::uuid[] END)[1 + (g + s) % $4],
       '',
       CASE WHEN s % 2 = 0 THEN ((g * 7 + s) % 1000) + 0.25 ELSE 0 END,
       CASE WHEN s % 2 = 1 THEN ((g * 7 + s - 1) % 1000) + 0.25 ELSE 0 END,
       now(), now()
  FROM generate_series(1, $5) g, generate_series(0, $6 - 1) s
"""
BALANCES_SQL = """
INSERT INTO accounting_balance (tenant_id, id, account_id, date, debit, credit)
SELECT l.tenant_id, gen_random_uuid(), l.account_id, e.date, sum(l.debit), sum(l.credit)
  FROM accounting_line l JOIN accounting_entry e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
 WHERE l.tenant_id = $1
 GROUP BY l.tenant_id, l.account_id, e.date
"""
FROM_LINES_SQL = text(
    """
    SELECT l.account_id,
           sum(l.debit - l.credit) FILTER (WHERE e.date < :start) AS opening,
           sum(l.debit) FILTER (WHERE e.date >= :start) AS debit,
           sum(l.credit) FILTER (WHERE e.date >= :start) AS credit
      FROM accounting_line l
      JOIN accounting_entry e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
     WHERE l.tenant_id = :tenant AND e.date <= :end AND e.status <> 'draft'
     GROUP BY l.account_id
    """
)


async def _seed(admin_db_url: str, owner_url: str, entries: int) -> uuid.UUID:
    tenant = uuid.uuid4()
    conn = await asyncpg.connect(plain_url(owner_url))
    try:
        await conn.execute(
            "INSERT INTO tenant (id, slug, name) VALUES ($1, $2, 'Bench')",
            tenant,
            f"b{tenant.hex[:12]}",
        )
    finally:
        await conn.close()
    engine = create_async_engine(asyncpg_url(owner_url), poolclass=NullPool)
    async with async_sessionmaker(engine)() as db, db.begin():
        await set_tenant(db, tenant)
        await seed_books(db, tenant)
    await engine.dispose()

    admin = await asyncpg.connect(admin_db_url)
    try:
        await admin.execute("SET session_replication_role = replica")
        await admin.execute("SELECT set_config('tessera.tenant_id', $1, false)", str(tenant))
        journal = await admin.fetchval(
            "SELECT id FROM accounting_journal WHERE tenant_id = $1 AND code = 'MISC'", tenant
        )
        rows = await admin.fetch(
            "SELECT id, type FROM accounting_account WHERE tenant_id = $1 ORDER BY code", tenant
        )
        debit_side = [r["id"] for r in rows if r["type"] in ("asset", "expense")]
        credit_side = [r["id"] for r in rows if r["type"] not in ("asset", "expense")]
        width = min(len(debit_side), len(credit_side))
        started = time.perf_counter()
        await admin.execute(ENTRIES_SQL, tenant, journal, START, DAYS, entries)
        await admin.execute(
            LINES_SQL, tenant, debit_side, credit_side, width, entries, LINES_PER_ENTRY
        )
        await admin.execute(BALANCES_SQL, tenant)
        await admin.execute("VACUUM ANALYZE accounting_line")
        await admin.execute("VACUUM ANALYZE accounting_entry")
        await admin.execute("VACUUM ANALYZE accounting_balance")
        lines = await admin.fetchval(
            "SELECT count(*) FROM accounting_line WHERE tenant_id = $1", tenant
        )
        days = await admin.fetchval(
            "SELECT count(*) FROM accounting_balance WHERE tenant_id = $1", tenant
        )
        print(
            f"seeded {lines:,} lines, {days:,} account-days in {time.perf_counter() - started:.1f} s"
        )
    finally:
        await admin.close()
    return tenant


async def _timed(rounds: int, run: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    await run()  # warm the caches and the prepared statements
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


async def _measure(owner_url: str, tenant: uuid.UUID, rounds: int) -> None:
    engine = create_async_engine(asyncpg_url(owner_url), pool_size=1)
    sessions = async_sessionmaker(engine)
    this_year = Period(date(START.year + 1, 1, 1), date(START.year + 1, 12, 31))
    last_year = Period(START, date(START.year, 12, 31))

    async def in_tenant(work: Callable[[AsyncSession], Awaitable[object]]) -> object:
        async with sessions() as db, db.begin():
            await set_tenant(db, tenant)
            return await work(db)

    async def report() -> object:
        return await in_tenant(lambda db: trial_balance(db, tenant, this_year, last_year))

    async def from_lines() -> object:
        params = {"tenant": tenant, "start": this_year.start, "end": this_year.end}
        return await in_tenant(lambda db: db.execute(FROM_LINES_SQL, params))

    rows = await in_tenant(lambda db: trial_balance(db, tenant, this_year, None))
    assert isinstance(rows, list)
    debits = sum(r.current.debit for r in rows)
    credits = sum(r.current.credit for r in rows)
    assert debits == credits, "the bench's books do not balance"
    median, p95 = await _timed(rounds, report)
    print(
        f"trial balance (report code, with comparison year): median {median:.1f} ms, p95 {p95:.1f} ms"
    )
    median, p95 = await _timed(max(3, rounds // 4), from_lines)
    print(
        f"reference: the same sums over the lines themselves: median {median:.1f} ms, p95 {p95:.1f} ms"
    )
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    name = f"tessera_bench_acc_{uuid.uuid4().hex[:8]}"
    owner_url = await ensure_owner_database(ADMIN_URL, "tessera", name)
    admin_db_url = str(asyncpg_url(ADMIN_URL).set(database=name)).replace("+asyncpg", "")
    try:
        plugin_dirs = tuple(installed_plugins().migration_dirs())
        await asyncio.to_thread(
            upgrade, Settings().migrations_dir, owner_url, app_role="tessera_app",
            plugin_version_dirs=plugin_dirs,
        )  # fmt: skip
        tenant = await _seed(admin_db_url, owner_url, args.entries)
        await _measure(owner_url, tenant, args.rounds)
    finally:
        await drop_database(ADMIN_URL, name)


if __name__ == "__main__":
    asyncio.run(main())
