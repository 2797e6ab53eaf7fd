"""ERP posting: customer invoices posted per second through the real path, beside the same
rows written by raw asyncpg; then the trial balance of a tenant with 1,000,000 journal lines.

1. **Posting.** The real app runs under granian (``tessera.asgi:app``, ``--workers``) on a
   database of its own; one tenant is signed up and accounting enabled over HTTP. Then
   ``--clients`` concurrent clients each post invoices over HTTP, two requests per invoice as a
   person does it: ``POST /api/v1/accounting/invoices`` (a draft with 10 taxed lines), then
   ``POST …/invoices/{id}/post`` (numbered gaplessly, the journal entry booked, the
   ``accounting.invoice.posted`` event in the outbox, audit rows written by the triggers).
   The reference writes the very same rows — the invoice, its 10 lines, the entry and its 12
   lines (10 sales, tax, receivable), the outbox event — copied from an invoice the app posted,
   on raw asyncpg as the application's role inside the tenant (row-level security, the audit
   and balance triggers, the deferred balance check all still run), one transaction per
   invoice, with as many concurrent connections. Printed: invoices per second each way and the
   ratio (target >= 0.3).
2. **Trial balance.** ``bench.accounting_trial_balance`` (decision 41) seeds 1,000,000 posted
   lines in a second database and times the report's own code; it is reused here as it is, so
   there is one way of measuring it (target < 300 ms).

    uv run python -m bench.erp_posting [--invoices 300] [--clients 4] [--workers 2]
                                        [--entries 100000] [--rounds 20] [--no-trial-balance]

PostgreSQL: TESSERA_BENCH_DATABASE_URL (a superuser URL; default the local server at
postgresql://postgres@127.0.0.1:5432/postgres); the bench makes and drops its own databases.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from bench import accounting_trial_balance
from bench.loadgen import free_port, wait_until_up
from tessera.db.migrations import upgrade
from tessera.db.roles import drop_database, ensure_owner_database
from tessera.modules.registry import installed_plugins
from tessera.plugin import uuid7
from tessera.runtime import runtime_database_url
from tessera.settings import Settings

ADMIN_URL = os.environ.get(
    "TESSERA_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
API = "/api/v1/accounting"
PASSWORD = "correct horse battery staple"
LINES = 10
TARGET_RATIO = 0.3
TARGET_TRIAL_MS = 300
#: The rows one posted invoice consists of, parent first; each with the column naming the
#: parent it hangs on (None: the invoice itself).
INVOICE_TABLES = ("accounting_invoice", "accounting_invoice_line")
ENTRY_TABLES = ("accounting_entry", "accounting_line")


@dataclass(frozen=True, slots=True)
class Books:
    url: str
    tenant_id: str
    partner_id: str
    cookies: httpx.Cookies
    csrf: str


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
            sys.executable, "-m", "granian", "--interface", "asgi", "--workers", str(workers),
            "--port", str(port), "--no-ws", "--log-level", "warning", "tessera.asgi:app",
        ],
        env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, process)
    return process, url


async def open_books(url: str) -> Books:
    slug = f"post-{uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        made = await client.post(
            "/api/v1/signup",
            json={
                "company_name": f"Bench {slug}",
                "slug": slug,
                "name": "Owner",
                "email": f"{slug}@example.com",
                "password": PASSWORD,
            },
        )
        made.raise_for_status()
        csrf = made.json()["csrf_token"]
        headers = {"X-CSRF-Token": csrf}
        enabled = await client.post("/api/v1/modules/accounting/enable", headers=headers)
        enabled.raise_for_status()
        partner = await client.post(
            f"{API}/partners", json={"name": "Customer", "kind": "customer"}, headers=headers
        )
        partner.raise_for_status()
        return Books(url, made.json()["tenant"]["id"], partner.json()["id"], client.cookies, csrf)


def invoice_body(books: Books, n: int) -> dict[str, Any]:
    return {
        "kind": "customer",
        "partner_id": books.partner_id,
        "reference": f"bench-{n}",
        "lines": [
            {
                "description": f"Item {line}",
                "quantity": str(1 + line % 3),
                "unit_price": f"{10 + n % 97 + line}.{line}5",
                "tax": "VAT-S",
            }
            for line in range(LINES)
        ],
    }


async def post_over_http(books: Books, count: int, clients: int) -> float:
    """Invoices per second: draft, then post, over HTTP from ``clients`` concurrent clients."""
    headers = {"X-CSRF-Token": books.csrf}
    numbers = iter(range(count))

    async def client_loop(client: httpx.AsyncClient) -> None:
        for n in numbers:
            draft = await client.post(f"{API}/invoices", json=invoice_body(books, n))
            draft.raise_for_status()
            posted = await client.post(f"{API}/invoices/{draft.json()['id']}/post")
            posted.raise_for_status()

    async with httpx.AsyncClient(
        base_url=books.url, cookies=books.cookies, headers=headers, timeout=60
    ) as client:
        await client_loop_warm(client, books)
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        return count / (time.perf_counter() - started)


async def client_loop_warm(client: httpx.AsyncClient, books: Books) -> None:
    """A few invoices first, so the workers' caches and prepared statements are warm."""
    for n in range(5):
        draft = await client.post(f"{API}/invoices", json=invoice_body(books, -n))
        draft.raise_for_status()
        (await client.post(f"{API}/invoices/{draft.json()['id']}/post")).raise_for_status()


@dataclass(frozen=True, slots=True)
class Template:
    """One posted invoice's rows as the app wrote them, to be written again with new ids."""

    rows: dict[str, list[dict[str, Any]]]
    event: dict[str, Any]


async def template_of(admin_db_url: str, tenant_id: str) -> Template:
    conn = await asyncpg.connect(admin_db_url)
    try:
        invoice = await conn.fetchrow(
            "SELECT * FROM accounting_invoice WHERE tenant_id = $1 AND status = 'posted' "
            "ORDER BY posted_at DESC LIMIT 1",
            uuid.UUID(tenant_id),
        )
        assert invoice is not None, "the app posted no invoice"
        entry_id = invoice["entry_id"]
        rows = {
            "accounting_invoice": [dict(invoice)],
            "accounting_invoice_line": [
                dict(r)
                for r in await conn.fetch(
                    "SELECT * FROM accounting_invoice_line WHERE invoice_id = $1", invoice["id"]
                )
            ],
            "accounting_entry": [
                dict(r)
                for r in await conn.fetch("SELECT * FROM accounting_entry WHERE id = $1", entry_id)
            ],
            "accounting_line": [
                dict(r)
                for r in await conn.fetch(
                    "SELECT * FROM accounting_line WHERE entry_id = $1", entry_id
                )
            ],
        }
        event = await conn.fetchrow(
            "SELECT * FROM event_outbox WHERE tenant_id = $1 AND type = "
            "'accounting.invoice.posted' ORDER BY id DESC LIMIT 1",
            uuid.UUID(tenant_id),
        )
        assert event is not None, "the app announced no posted invoice"
        return Template(rows, dict(event))
    finally:
        await conn.close()


def _insert(table: str, row: dict[str, Any]) -> tuple[str, list[Any]]:
    columns = list(row)
    places = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({places})", list(row.values())


async def write_raw(
    conn: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy, template: Template, n: int
) -> None:
    """One invoice's rows in one transaction as the app's role, with new ids and numbers: the
    entry and its lines, then marked posted; the invoice as a draft with its lines, then
    posted; the event."""
    invoice_id, entry_id = uuid7(), uuid7()
    [invoice] = template.rows["accounting_invoice"]
    [entry] = template.rows["accounting_entry"]
    tenant = str(invoice["tenant_id"])
    async with conn.transaction():
        await conn.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant)
        statement, values = _insert(
            "accounting_entry",
            {**entry, "id": entry_id, "number": f"SAJ/RAW/{n}", "status": "draft"},
        )
        await conn.execute(statement, *values)
        for line in template.rows["accounting_line"]:
            statement, values = _insert(
                "accounting_line", {**line, "id": uuid7(), "entry_id": entry_id}
            )
            await conn.execute(statement, *values)
        await conn.execute(
            "UPDATE accounting_entry SET status = 'posted' WHERE tenant_id = $1 AND id = $2",
            invoice["tenant_id"],
            entry_id,
        )
        # An invoice is written as a draft, then posted (a trigger holds the order).
        draft = {**invoice, "id": invoice_id, "status": "draft", "number": None}
        statement, values = _insert(
            "accounting_invoice", {**draft, "entry_id": None, "posted_at": None}
        )
        await conn.execute(statement, *values)
        for line in template.rows["accounting_invoice_line"]:
            statement, values = _insert(
                "accounting_invoice_line", {**line, "id": uuid7(), "invoice_id": invoice_id}
            )
            await conn.execute(statement, *values)
        await conn.execute(
            "UPDATE accounting_invoice SET status = 'posted', number = $3, entry_id = $4, "
            "posted_at = now() WHERE tenant_id = $1 AND id = $2",
            invoice["tenant_id"],
            invoice_id,
            f"INV/RAW/{n}",
            entry_id,
        )
        event = {**template.event, "id": uuid7()}
        statement, values = _insert("event_outbox", event)
        await conn.execute(statement, *values)


async def post_raw(app_url: str, template: Template, count: int, clients: int) -> float:
    """Invoices per second written by raw asyncpg from ``clients`` concurrent connections."""
    numbers = iter(range(count))
    pool = await asyncpg.create_pool(app_url, min_size=clients, max_size=clients)
    assert pool is not None

    async def client_loop() -> None:
        async with pool.acquire() as conn:
            for n in numbers:
                await write_raw(conn, template, n)

    try:
        async with pool.acquire() as conn:
            for n in range(5):  # warm-up, as over HTTP
                await write_raw(conn, template, -1 - n)
        started = time.perf_counter()
        await asyncio.gather(*(client_loop() for _ in range(clients)))
        return count / (time.perf_counter() - started)
    finally:
        await pool.close()


async def _in_new_database(work: Callable[[str, str], Awaitable[None]]) -> None:
    name = f"tessera_bench_post_{uuid.uuid4().hex[:8]}"
    owner_url = await ensure_owner_database(ADMIN_URL, "tessera", name)
    admin_db_url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        await asyncio.to_thread(
            upgrade, Settings().migrations_dir, owner_url, app_role="tessera_app",
            plugin_version_dirs=tuple(installed_plugins().migration_dirs()),
        )  # fmt: skip
        await work(owner_url, admin_db_url)
    finally:
        await drop_database(ADMIN_URL, name)


async def measure_posting(args: argparse.Namespace) -> float:
    ratio = 0.0

    async def work(owner_url: str, admin_db_url: str) -> None:
        nonlocal ratio
        process, url = await asyncio.to_thread(start_server, owner_url, args.workers)
        try:
            books = await open_books(url)
            http_rate = await post_over_http(books, args.invoices, args.clients)
        finally:
            process.terminate()
            await asyncio.to_thread(process.wait, 30)
        template = await template_of(admin_db_url, books.tenant_id)
        app_url = runtime_database_url(Settings(database_url=owner_url))
        raw_rate = await post_raw(
            app_url.replace("+asyncpg", ""), template, args.invoices, args.clients
        )
        ratio = http_rate / raw_rate
        print(
            f"posting {args.invoices} customer invoices of {LINES} lines, {args.clients} "
            f"concurrent clients, {args.workers} server worker(s):\n"
            f"  over HTTP (draft, then post): {http_rate:.1f} invoices/s\n"
            f"  raw asyncpg, the same rows:   {raw_rate:.1f} invoices/s\n"
            f"  ratio {ratio:.2f} (target >= {TARGET_RATIO}: "
            f"{'met' if ratio >= TARGET_RATIO else 'NOT met'})",
            flush=True,
        )

    await _in_new_database(work)
    return ratio


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--entries", type=int, default=100_000, help="for the trial balance")
    parser.add_argument("--rounds", type=int, default=20, help="for the trial balance")
    parser.add_argument("--no-trial-balance", action="store_true")
    args = parser.parse_args()
    await measure_posting(args)
    if not args.no_trial_balance:
        print(f"\ntrial balance (target < {TARGET_TRIAL_MS} ms):", flush=True)
        sys.argv = [sys.argv[0], "--entries", str(args.entries), "--rounds", str(args.rounds)]
        await accounting_trial_balance.main()


if __name__ == "__main__":
    asyncio.run(main())
