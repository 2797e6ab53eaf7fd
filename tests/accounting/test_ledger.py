"""The ``accounting.ledger`` service as a dependant plugin calls it (docs/modules/erp.md): in the
caller's transaction, by account role or code, numbered gaplessly per journal and year, with
the ledger's own rules answered as 422/409 naming the field."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

import asyncpg
import httpx
import pytest
from sqlalchemy import text

from tessera.errors import Conflict, Invalid
from tessera.plugin import service
from tests.accounting.support import (
    accounting_tenant,
    entry,
    fetch_rows,
    in_tenant,
    runtime_database,
    runtime_session,
)
from tests.support import LiveServer

TODAY = date.today()


@runtime_checkable
class Ledger(Protocol):
    """What a dependant declares for the service: its own Protocol, checked structurally."""

    async def post_entry(self, db: Any, tenant_id: uuid.UUID, entry: Any) -> Any: ...
    async def reverse_entry(
        self, db: Any, tenant_id: uuid.UUID, entry_id: uuid.UUID, *, date: date, memo: str
    ) -> Any: ...
    async def company_currency(self, db: Any, tenant_id: uuid.UUID) -> str: ...


def _ledger() -> Ledger:
    return service("accounting.ledger", Ledger)


async def _post(server: LiveServer, tenant_id: str, given: dict[str, Any]) -> Any:
    async with runtime_database(server) as database, in_tenant(database, tenant_id) as db:
        return await _ledger().post_entry(db, uuid.UUID(tenant_id), given)


async def _lines(conn: asyncpg.Connection, tenant_id: str, entry_id: uuid.UUID) -> list[Any]:
    rows = await fetch_rows(
        conn, tenant_id,
        "SELECT a.code, l.debit, l.credit, l.amount_currency, l.currency FROM accounting_line l "
        "JOIN accounting_account a ON a.tenant_id = l.tenant_id AND a.id = l.account_id "
        "WHERE l.entry_id = $1 ORDER BY l.sequence",
        entry_id,
    )  # fmt: skip
    return [tuple(row) for row in rows]


async def test_enabling_seeds_settings_journals_chart_and_roles(
    client: httpx.AsyncClient, app_db: asyncpg.Connection, live_server: LiveServer
) -> None:
    owner = await accounting_tenant(client)
    settings = await fetch_rows(app_db, owner.tenant_id, "SELECT * FROM accounting_settings")
    assert [(s["company_currency"], s["chart_template"], s["lock_date"]) for s in settings] == [
        ("CNY", "generic", None)
    ]
    journals = await fetch_rows(
        app_db, owner.tenant_id, "SELECT code, kind FROM accounting_journal"
    )
    assert {(j["code"], j["kind"]) for j in journals} == {
        ("SAJ", "sale"), ("PUJ", "purchase"), ("BNK", "bank"), ("CSH", "cash"),
        ("STJ", "stock"), ("EXP", "expense"), ("MISC", "general"),
    }  # fmt: skip
    roles = await fetch_rows(app_db, owner.tenant_id, "SELECT role FROM accounting_role")
    assert len(roles) == 17
    # Disabling and enabling again keeps the books as they were, seeding nothing twice.
    assert (await owner.post("/api/v1/modules/accounting/disable")).status_code == 200
    assert (await owner.post("/api/v1/modules/accounting/enable")).status_code == 200
    again = await fetch_rows(app_db, owner.tenant_id, "SELECT count(*) FROM accounting_account")
    assert again[0][0] == 29
    async with (
        runtime_database(live_server) as database,
        in_tenant(database, owner.tenant_id) as db,
    ):
        assert await _ledger().company_currency(db, uuid.UUID(owner.tenant_id)) == "CNY"


async def test_posting_by_role_and_code_numbers_each_journal_gaplessly(
    client: httpx.AsyncClient, app_db: asyncpg.Connection, live_server: LiveServer
) -> None:
    owner = await accounting_tenant(client)
    first = await _post(
        live_server, owner.tenant_id,
        entry(("expense", "120.50", "0"), ("1000", "0", "120.50"), source_type="t", source_id="1"),
    )  # fmt: skip
    second = await _post(
        live_server, owner.tenant_id, entry(("1010", "10", "0"), ("cash", "0", "10"))
    )
    stock = await _post(
        live_server,
        owner.tenant_id,
        entry(("stock", "5", "0"), ("stock_received", "0", "5"), journal="STJ"),
    )
    year = TODAY.year
    assert [first["number"], second["number"], stock["number"]] == [
        f"MISC/{year}/00001", f"MISC/{year}/00002", f"STJ/{year}/00001",
    ]  # fmt: skip
    assert await _lines(app_db, owner.tenant_id, first["id"]) == [
        ("6200", Decimal("120.50"), Decimal("0.00"), None, None),
        ("1000", Decimal("0.00"), Decimal("120.50"), None, None),
    ]
    rows = await fetch_rows(
        app_db, owner.tenant_id,
        "SELECT status, source_type, source_id, posted_at IS NOT NULL AS posted "
        "FROM accounting_entry WHERE id = $1",
        first["id"],
    )  # fmt: skip
    assert tuple(rows[0]) == ("posted", "t", "1", True)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (entry(("expense", "10", "0"), ("cash", "0", "9")), "lines"),
        (entry(("expense", "10", "0")), "lines"),
        (entry(("expense", "10.001", "0"), ("cash", "0", "10.001")), "lines[0].debit"),
        (entry(("nowhere", "10", "0"), ("cash", "0", "10")), "lines[0].account"),
        (entry(("expense", "10", "0"), ("cash", "0", "10"), journal="NOPE"), "journal"),
        (entry(("expense", "10", "0"), ("cash", "0", "10"), currency="XYZ"), "currency"),
        # No rate for USD has been entered.
        (entry(("expense", "10", "0"), ("cash", "0", "10"), currency="USD"), "currency"),
        (entry(("expense", "10", "0"), ("cash", "0", "10"), date="2026-01-01"), "date"),
        (entry(("expense", "0", "0"), ("cash", "0", "0")), "lines[0]"),
        (entry(("expense", "5", "5"), ("cash", "5", "5")), "lines[0]"),
    ],
)
async def test_bad_entries_are_refused_naming_the_field(
    client: httpx.AsyncClient, live_server: LiveServer, given: dict[str, Any], field: str
) -> None:
    owner = await accounting_tenant(client)
    with pytest.raises(Invalid) as refused:
        await _post(live_server, owner.tenant_id, given)
    assert refused.value.errors[0].field == field


async def test_a_float_amount_is_refused(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await accounting_tenant(client)
    given = entry(("expense", "10", "0"), ("cash", "0", "10"))
    given["lines"][0]["debit"] = 10.0
    with pytest.raises(Invalid, match="not a float"):
        await _post(live_server, owner.tenant_id, given)


async def test_nothing_is_posted_on_or_before_the_lock_date(
    client: httpx.AsyncClient, app_db: asyncpg.Connection, live_server: LiveServer
) -> None:
    owner = await accounting_tenant(client)
    locked = TODAY - timedelta(days=1)
    async with runtime_session(live_server, owner.tenant_id) as db:
        await db.execute(text("UPDATE accounting_settings SET lock_date = :d"), {"d": locked})
    with pytest.raises(Invalid, match="locked up to") as refused:
        await _post(
            live_server,
            owner.tenant_id,
            entry(("expense", "1", "0"), ("cash", "0", "1"), date=locked),
        )
    assert refused.value.errors[0].field == "date"
    posted = await _post(
        live_server, owner.tenant_id, entry(("expense", "1", "0"), ("cash", "0", "1"))
    )
    assert posted["number"].startswith("MISC/")


async def test_a_foreign_currency_entry_is_converted_at_the_rate_of_its_date(
    client: httpx.AsyncClient, app_db: asyncpg.Connection, live_server: LiveServer
) -> None:
    owner = await accounting_tenant(client)
    async with runtime_session(live_server, owner.tenant_id) as db:
        for day, rate in ((TODAY - timedelta(days=5), "7.1000"), (TODAY, "7.2000")):
            await db.execute(
                text(
                    "INSERT INTO accounting_currency_rate (tenant_id, id, currency, date, rate)"
                    " VALUES (:t, gen_random_uuid(), 'USD', :d, :r)"
                ),
                {"t": owner.tenant_id, "d": day, "r": Decimal(rate)},
            )
    # At 7.1 (the rate of five days ago) the debits round to 2.34 + 2.34 + 2.41 = 7.09 against
    # a credit of 7.10: the largest debit takes the missing cent.
    given = entry(
        ("expense", "0.33", "0"), ("expense", "0.33", "0"), ("expense", "0.34", "0"),
        ("cash", "0", "1.00"), currency="USD", date=TODAY - timedelta(days=2),
    )  # fmt: skip
    posted = await _post(live_server, owner.tenant_id, given)
    lines = await _lines(app_db, owner.tenant_id, posted["id"])
    assert lines == [
        ("6200", Decimal("2.34"), Decimal("0.00"), Decimal("0.330"), "USD"),
        ("6200", Decimal("2.34"), Decimal("0.00"), Decimal("0.330"), "USD"),
        ("6200", Decimal("2.42"), Decimal("0.00"), Decimal("0.340"), "USD"),
        ("1000", Decimal("0.00"), Decimal("7.10"), Decimal("-1.000"), "USD"),
    ]
    assert sum(line[1] for line in lines) == sum(line[2] for line in lines)


async def test_reversing_posts_the_mirror_entry_once(
    client: httpx.AsyncClient, app_db: asyncpg.Connection, live_server: LiveServer
) -> None:
    owner = await accounting_tenant(client)
    tenant = uuid.UUID(owner.tenant_id)
    posted = await _post(
        live_server, owner.tenant_id, entry(("expense", "80", "0"), ("cash", "0", "80"))
    )
    async with runtime_database(live_server) as database:
        async with in_tenant(database, owner.tenant_id) as db:
            reversal = await _ledger().reverse_entry(
                db, tenant, posted["id"], date=TODAY, memo="wrong amount"
            )
        with pytest.raises(Conflict, match="already reversed"):
            async with in_tenant(database, owner.tenant_id) as db:
                await _ledger().reverse_entry(db, tenant, posted["id"], date=TODAY, memo="")
    assert await _lines(app_db, owner.tenant_id, reversal["id"]) == [
        ("6200", Decimal("0.00"), Decimal("80.00"), None, None),
        ("1000", Decimal("80.00"), Decimal("0.00"), None, None),
    ]
    rows = await fetch_rows(
        app_db, owner.tenant_id,
        "SELECT id, status, reversal_of, memo FROM accounting_entry ORDER BY created_at",
    )  # fmt: skip
    assert [(r["status"], r["reversal_of"], r["memo"]) for r in rows] == [
        ("reversed", None, "test"),
        ("posted", posted["id"], "wrong amount"),
    ]
