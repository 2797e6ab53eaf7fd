"""The database keeps the books honest whoever writes: raw SQL through the application's own
role (the app_db fixture) cannot post an unbalanced entry, change a posted one, write into a
locked period, or touch the balances the reports read."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import asyncpg
import httpx
import pytest

from tests.accounting.support import accounting_tenant, as_tenant, fetch_rows

TODAY = date.today()
Lines = list[tuple[str, str, str]]


async def _draft(
    conn: asyncpg.Connection,
    lines: Lines,
    *,
    day: date = TODAY,
    reversal_of: uuid.UUID | None = None,
) -> uuid.UUID:
    """A draft entry in MISC with lines (account code, debit, credit), in the open transaction."""
    entry_id: uuid.UUID = await conn.fetchval(
        "INSERT INTO accounting_entry (tenant_id, id, journal_id, date, memo, currency, status, "
        "reversal_of) SELECT tenant_id, gen_random_uuid(), id, $1, 'raw', 'CNY', 'draft', $2 "
        "FROM accounting_journal WHERE code = 'MISC' RETURNING id",
        day,
        reversal_of,
    )
    for sequence, (code, debit, credit) in enumerate(lines):
        await _add_line(conn, entry_id, code, debit, credit, sequence)
    return entry_id


async def _add_line(
    conn: asyncpg.Connection, entry_id: uuid.UUID, code: str, debit: str, credit: str, seq: int = 9
) -> None:
    await conn.execute(
        "INSERT INTO accounting_line (tenant_id, id, entry_id, sequence, account_id, label, "
        "debit, credit) SELECT tenant_id, gen_random_uuid(), $1, $2, id, '', $3, $4 "
        "FROM accounting_account WHERE code = $5",
        entry_id,
        seq,
        Decimal(debit),
        Decimal(credit),
        code,
    )


async def _post(conn: asyncpg.Connection, entry_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE accounting_entry SET status = 'posted', number = 'RAW/' || left(id::text, 13) WHERE id = $1",
        entry_id,
    )


async def _posted(conn: asyncpg.Connection, tenant_id: str, lines: Lines) -> uuid.UUID:
    async with as_tenant(conn, tenant_id):
        entry_id = await _draft(conn, lines)
        await _post(conn, entry_id)
    return entry_id


async def _entries(conn: asyncpg.Connection, tenant_id: str) -> int:
    rows = await fetch_rows(conn, tenant_id, "SELECT count(*) AS n FROM accounting_entry")
    return int(rows[0]["n"])


async def _fails_at_commit(conn: asyncpg.Connection, tenant_id: str, lines: Lines) -> str:
    transaction = conn.transaction()
    await transaction.start()
    try:
        await conn.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        await _post(conn, await _draft(conn, lines))
    except BaseException:
        await transaction.rollback()
        raise
    # Every statement went through: only the commit checks the balance.
    with pytest.raises(asyncpg.CheckViolationError) as refused:
        await transaction.commit()
    return str(refused.value)


async def test_an_unbalanced_entry_fails_at_commit(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await accounting_tenant(client)
    message = await _fails_at_commit(
        app_db, owner.tenant_id, [("6200", "100.00", "0"), ("1000", "0", "90.00")]
    )
    assert "unbalanced" in message
    assert await _entries(app_db, owner.tenant_id) == 0


async def test_an_entry_of_one_line_fails_at_commit(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await accounting_tenant(client)
    message = await _fails_at_commit(app_db, owner.tenant_id, [("6200", "0", "0")])
    assert "at least two" in message
    assert await _entries(app_db, owner.tenant_id) == 0


async def test_a_posted_entry_and_its_lines_cannot_change(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await accounting_tenant(client)
    entry_id = await _posted(
        app_db, owner.tenant_id, [("6200", "100.00", "0"), ("1000", "0", "100.00")]
    )
    attempts = [
        (
            "UPDATE accounting_line SET debit = 50 WHERE entry_id = $1 AND debit > 0",
            "cannot be changed",
        ),
        ("UPDATE accounting_line SET label = 'x' WHERE entry_id = $1", "cannot be changed"),
        ("DELETE FROM accounting_line WHERE entry_id = $1", "cannot be changed"),
        ("UPDATE accounting_entry SET memo = 'edited' WHERE id = $1", "cannot be changed"),
        ("UPDATE accounting_entry SET status = 'draft' WHERE id = $1", "cannot be changed"),
        # Reversed only once a posted entry reverses it.
        ("UPDATE accounting_entry SET status = 'reversed' WHERE id = $1", "cannot be changed"),
        ("DELETE FROM accounting_entry WHERE id = $1", "reverse it"),
    ]
    for sql, reason in attempts:
        with pytest.raises(asyncpg.IntegrityConstraintViolationError, match=reason):
            async with as_tenant(app_db, owner.tenant_id):
                await app_db.execute(sql, entry_id)
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="no line can be added"):
        async with as_tenant(app_db, owner.tenant_id):
            await _add_line(app_db, entry_id, "6200", "1.00", "0")
    lines = await fetch_rows(
        app_db, owner.tenant_id,
        "SELECT debit, credit, label FROM accounting_line WHERE entry_id = $1 ORDER BY sequence",
        entry_id,
    )  # fmt: skip
    assert [(r["debit"], r["credit"], r["label"]) for r in lines] == [
        (Decimal("100.00"), Decimal("0.00"), ""),
        (Decimal("0.00"), Decimal("100.00"), ""),
    ]


async def test_an_entry_is_never_inserted_as_posted(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await accounting_tenant(client)
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="written as a draft"):
        async with as_tenant(app_db, owner.tenant_id):
            await app_db.execute(
                "INSERT INTO accounting_entry (tenant_id, id, journal_id, number, date, memo, "
                "currency, status) SELECT tenant_id, gen_random_uuid(), id, 'X/1', $1, '', 'CNY', "
                "'posted' FROM accounting_journal WHERE code = 'MISC'",
                TODAY,
            )


async def test_reversing_is_the_one_change_a_posted_entry_takes(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await accounting_tenant(client)
    lines = [("6200", "40.00", "0"), ("1000", "0", "40.00")]
    original = await _posted(app_db, owner.tenant_id, lines)
    async with as_tenant(app_db, owner.tenant_id):
        reversal = await _draft(
            app_db, [(code, credit, debit) for code, debit, credit in lines], reversal_of=original
        )
        await _post(app_db, reversal)
        # Changing anything else with the status is refused.
        with pytest.raises(asyncpg.IntegrityConstraintViolationError):
            async with app_db.transaction():
                await app_db.execute(
                    "UPDATE accounting_entry SET status = 'reversed', memo = 'x' WHERE id = $1",
                    original,
                )
        await app_db.execute(
            "UPDATE accounting_entry SET status = 'reversed' WHERE id = $1", original
        )
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="cannot be changed"):
        async with as_tenant(app_db, owner.tenant_id):
            await app_db.execute(
                "UPDATE accounting_entry SET status = 'posted' WHERE id = $1", original
            )
    balances = await fetch_rows(
        app_db, owner.tenant_id,
        "SELECT a.code, b.debit, b.credit FROM accounting_balance b "
        "JOIN accounting_account a ON a.tenant_id = b.tenant_id AND a.id = b.account_id "
        "ORDER BY a.code",
    )  # fmt: skip
    assert [(r["code"], r["debit"], r["credit"]) for r in balances] == [
        ("1000", Decimal("40.00"), Decimal("40.00")),
        ("6200", Decimal("40.00"), Decimal("40.00")),
    ]


async def test_nothing_is_written_or_posted_on_or_before_the_lock_date(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await accounting_tenant(client)
    locked = TODAY - timedelta(days=10)
    async with as_tenant(app_db, owner.tenant_id):
        early_draft = await _draft(
            app_db, [("6200", "5.00", "0"), ("1000", "0", "5.00")], day=locked
        )
        await app_db.execute("UPDATE accounting_settings SET lock_date = $1", locked)
    for day in (locked, locked - timedelta(days=1)):
        with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="locked up to"):
            async with as_tenant(app_db, owner.tenant_id):
                await _draft(app_db, [("6200", "5.00", "0"), ("1000", "0", "5.00")], day=day)
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="locked up to"):
        async with as_tenant(app_db, owner.tenant_id):
            await _post(app_db, early_draft)
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="locked up to"):
        async with as_tenant(app_db, owner.tenant_id):
            await app_db.execute(
                "UPDATE accounting_entry SET date = $1 WHERE id = $2",
                locked - timedelta(days=3),
                early_draft,
            )
    # The day after the lock date is open.
    async with as_tenant(app_db, owner.tenant_id):
        await app_db.execute(
            "UPDATE accounting_entry SET date = $1 WHERE id = $2",
            locked + timedelta(days=1),
            early_draft,
        )
        await _post(app_db, early_draft)
    rows = await fetch_rows(
        app_db, owner.tenant_id, "SELECT status FROM accounting_entry WHERE id = $1", early_draft
    )
    assert rows[0]["status"] == "posted"


async def test_the_balances_are_read_only_to_the_application(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await accounting_tenant(client)
    await _posted(app_db, owner.tenant_id, [("6200", "7.00", "0"), ("1000", "0", "7.00")])
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with as_tenant(app_db, owner.tenant_id):
            await app_db.execute("UPDATE accounting_balance SET debit = 0")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with as_tenant(app_db, owner.tenant_id):
            await app_db.execute(
                "INSERT INTO accounting_balance (tenant_id, id, account_id, date, debit, credit) "
                "SELECT tenant_id, gen_random_uuid(), id, $1, 1, 0 FROM accounting_account "
                "WHERE code = '1010'",
                TODAY,
            )
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with as_tenant(app_db, owner.tenant_id):
            await app_db.execute(
                "SELECT accounting_add_balances($1::uuid, gen_random_uuid(), $2)",
                owner.tenant_id,
                TODAY,
            )
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="not deleted"):
        async with as_tenant(app_db, owner.tenant_id):
            await app_db.execute("DELETE FROM accounting_balance")


async def test_purging_the_disabled_module_removes_posted_books(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await accounting_tenant(client)
    await _posted(app_db, owner.tenant_id, [("6200", "3.00", "0"), ("1000", "0", "3.00")])
    # Still enabled: posted entries stay whatever is asked.
    with pytest.raises(asyncpg.IntegrityConstraintViolationError):
        async with as_tenant(app_db, owner.tenant_id):
            await app_db.execute("DELETE FROM accounting_line")
    assert (await owner.post("/api/v1/modules/accounting/disable")).status_code == 200
    purged = await owner.post("/api/v1/modules/accounting/purge", json={"confirm": owner.slug})
    assert purged.status_code == 200, purged.text
    deleted = purged.json()["deleted"]
    assert (
        deleted["accounting_entry"],
        deleted["accounting_line"],
        deleted["accounting_balance"],
    ) == (1, 2, 2)
    assert await _entries(app_db, owner.tenant_id) == 0
