"""Accounting: the ledger — chart of accounts, roles, journals, settings, entries and lines,
daily balances, exchange rates and taxes; the triggers that keep the books honest.

Revision ID: a001
Revises:
Create Date: 2026-11-26

What the database enforces, whoever writes (see docs/modules/erp.md, "What the database
enforces"):

- an entry is written as a draft, its lines added, then posted (``status`` draft -> posted);
  at commit a deferred constraint trigger refuses any posted entry whose debits differ from its
  credits or that has fewer than two lines (SQLSTATE 23514, answered 422);
- a posted entry and its lines are never updated or deleted, nor lines added to it; the one
  change allowed is posted -> reversed, once a posted entry names it in ``reversal_of``
  (SQLSTATE 23000, answered 409). Purging the module's data (only while it is disabled) is the
  exception, as for every module;
- no entry is written, moved or posted on or before the tenant's lock date (23000);
- posting adds the entry's lines to ``accounting_balance`` (per account and day), which only
  these functions write: the trial balance reads it instead of every line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from tessera.plugin import FULL_ACCESS, enable_tenant_rls, grant_runtime

revision: str = "a001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("accounting",)
# Entry numbers come from the core's document sequences (0018).
depends_on: str | Sequence[str] | None = "0018"

TABLES = (
    "accounting_account",
    "accounting_role",
    "accounting_journal",
    "accounting_settings",
    "accounting_entry",
    "accounting_line",
    "accounting_balance",
    "accounting_currency_rate",
    "accounting_tax",
)
ACCOUNT_TYPES = "type IN ('asset', 'liability', 'equity', 'income', 'expense')"
SUBTYPES = "subtype IN ('receivable', 'payable', 'bank', 'cash', 'stock', 'other')"
JOURNAL_KINDS = "kind IN ('sale', 'purchase', 'bank', 'cash', 'stock', 'expense', 'general')"
ROLES = (
    "role IN ('receivable', 'payable', 'sales', 'purchase', 'stock', 'stock_received', 'cogs', "
    "'stock_adjustment', 'tax_output', 'tax_input', 'bank', 'cash', 'fx_gain', 'fx_loss', "
    "'expense', 'employee_payable', 'retained_earnings')"
)


def _key(table: str) -> tuple[Any, ...]:
    return (
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"),
            ondelete="RESTRICT",
        ),
    )  # fmt: skip


def _timestamps() -> tuple[Any, ...]:
    return tuple(
        sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)
        for name in ("created_at", "updated_at")
    )


def _fk(table: str, column: str, target: str, *, ondelete: str | None = None) -> Any:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete=ondelete,
    )


def _check(table: str, name: str, rule: str) -> Any:
    return sa.CheckConstraint(rule, name=op.f(f"ck_{table}_{name}"))


def _unique(table: str, *columns: str) -> Any:
    return sa.UniqueConstraint(
        "tenant_id", *columns, name=op.f(f"uq_{table}_{'_'.join(('tenant_id', *columns))}")
    )


def _chart() -> None:
    table = "accounting_account"
    op.create_table(
        table,
        *_key(table),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=True),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("subtype", sa.String(length=12), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("reconcilable", sa.Boolean(), nullable=False),
        *_timestamps(),
        _fk(table, "parent_id", table),
        _unique(table, "code"),
        _check(table, "type", ACCOUNT_TYPES),
        _check(table, "subtype", SUBTYPES),
        _check(table, "reconcilable", "reconcilable = (subtype IN ('receivable', 'payable'))"),
        _check(table, "code", "code ~ '^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$'"),
    )
    table = "accounting_role"
    op.create_table(
        table,
        *_key(table),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        *_timestamps(),
        _fk(table, "account_id", "accounting_account"),
        _unique(table, "role"),
        _check(table, "role", ROLES),
    )
    table = "accounting_journal"
    op.create_table(
        table,
        *_key(table),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_zh", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        _unique(table, "code"),
        _check(table, "kind", JOURNAL_KINDS),
        _check(table, "code", "code ~ '^[A-Z][A-Z0-9]{0,9}$'"),
    )
    table = "accounting_settings"
    op.create_table(
        table,
        *_key(table),
        sa.Column("company_currency", sa.String(length=3), nullable=False),
        sa.Column("lock_date", sa.Date(), nullable=True),
        sa.Column("chart_template", sa.String(length=40), nullable=False),
        sa.Column("allow_future_dates", sa.Boolean(), nullable=False),
        *_timestamps(),
        _unique(table),
        _check(table, "company_currency", "company_currency ~ '^[A-Z]{3}$'"),
    )


def _entries() -> None:
    table = "accounting_entry"
    op.create_table(
        table,
        *_key(table),
        sa.Column("journal_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("memo", sa.String(length=500), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reversal_of", sa.Uuid(), nullable=True),
        sa.Column("source_type", sa.String(length=60), nullable=True),
        sa.Column("source_id", sa.String(length=100), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        *_timestamps(),
        _fk(table, "journal_id", "accounting_journal"),
        _fk(table, "reversal_of", table),
        _unique(table, "number"),
        _unique(table, "reversal_of"),
        _check(table, "status", "status IN ('draft', 'posted', 'reversed')"),
        _check(table, "numbered", "status = 'draft' OR number IS NOT NULL"),
        _check(table, "currency", "currency ~ '^[A-Z]{3}$'"),
    )
    op.create_index("ix_accounting_entry_date", table, ["tenant_id", "date"])
    op.create_index("ix_accounting_entry_journal", table, ["tenant_id", "journal_id", "date"])
    op.create_index("ix_accounting_entry_source", table, ["tenant_id", "source_type", "source_id"])
    table = "accounting_line"
    op.create_table(
        table,
        *_key(table),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=True),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("debit", sa.Numeric(18, 2), nullable=False),
        sa.Column("credit", sa.Numeric(18, 2), nullable=False),
        sa.Column("amount_currency", sa.Numeric(18, 3), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        *_timestamps(),
        _fk(table, "entry_id", "accounting_entry", ondelete="CASCADE"),
        _fk(table, "account_id", "accounting_account"),
        _check(table, "not_negative", "debit >= 0 AND credit >= 0"),
        _check(table, "one_side", "debit = 0 OR credit = 0"),
        _check(table, "foreign_amount", "(currency IS NULL) = (amount_currency IS NULL)"),
    )
    op.create_index("ix_accounting_line_entry", table, ["tenant_id", "entry_id"])
    op.create_index("ix_accounting_line_account", table, ["tenant_id", "account_id"])
    op.create_index(
        "ix_accounting_line_partner",
        table,
        ["tenant_id", "partner_id"],
        postgresql_where=sa.text("partner_id IS NOT NULL"),
    )
    table = "accounting_balance"
    op.create_table(
        table,
        *_key(table),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("debit", sa.Numeric(20, 2), nullable=False),
        sa.Column("credit", sa.Numeric(20, 2), nullable=False),
        _fk(table, "account_id", "accounting_account"),
        _unique(table, "account_id", "date"),
    )


def _rates_and_taxes() -> None:
    table = "accounting_currency_rate"
    op.create_table(
        table,
        *_key(table),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("rate", sa.Numeric(20, 10), nullable=False),
        *_timestamps(),
        _unique(table, "currency", "date"),
        _check(table, "rate", "rate > 0"),
        _check(table, "currency", "currency ~ '^[A-Z]{3}$'"),
    )
    table = "accounting_tax"
    op.create_table(
        table,
        *_key(table),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_zh", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("rate", sa.Numeric(7, 4), nullable=False),
        sa.Column("inclusive", sa.Boolean(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        _fk(table, "account_id", "accounting_account"),
        _unique(table, "code"),
        _check(table, "kind", "kind IN ('sale', 'purchase')"),
        _check(table, "rate", "rate >= 0 AND rate < 1000"),
    )


# Purging a module's data is the platform's confirmed, audited action, allowed only while the
# module is disabled: the one time posted entries may go.
PURGING = """
CREATE FUNCTION accounting_purging(tenant uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM tenant_module
        WHERE tenant_id = tenant AND module = 'accounting' AND NOT enabled
    )
$$
"""

# Lines are added to the daily balances once, when their entry is posted, by the entry's guard
# (SECURITY DEFINER, as the tables' owner): the application's role may read the balances but
# neither write them nor call this.
ADD_BALANCES = """
CREATE FUNCTION accounting_add_balances(tenant uuid, entry uuid, day date) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO accounting_balance AS b (tenant_id, id, account_id, date, debit, credit)
    SELECT tenant, gen_random_uuid(), account_id, day, sum(debit), sum(credit)
    FROM accounting_line
    WHERE tenant_id = tenant AND entry_id = entry
    GROUP BY account_id
    -- One order for every writer, so two postings never wait on each other crosswise.
    ORDER BY account_id
    ON CONFLICT (tenant_id, account_id, date)
    DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit
$$
"""

REFUSE_LOCKED = """
CREATE FUNCTION accounting_refuse_locked(tenant uuid, day date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    locked date;
BEGIN
    -- FOR SHARE: a lock date being moved waits for postings in flight, and they for it.
    SELECT lock_date INTO locked FROM accounting_settings WHERE tenant_id = tenant FOR SHARE;
    IF locked IS NOT NULL AND day <= locked THEN
        RAISE EXCEPTION 'the books are locked up to %: nothing can be dated %', locked, day
            USING ERRCODE = '23000', CONSTRAINT = 'accounting_lock_date';
    END IF;
END
$$
"""

ENTRY_GUARD = """
CREATE FUNCTION accounting_entry_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' AND NOT accounting_purging(OLD.tenant_id) THEN
            RAISE EXCEPTION 'journal entry % is posted: reverse it instead of deleting it',
                OLD.number USING ERRCODE = '23000', CONSTRAINT = 'accounting_posted';
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN
            RAISE EXCEPTION 'a journal entry is written as a draft, then its lines, then posted'
                USING ERRCODE = '23000', CONSTRAINT = 'accounting_posted';
        END IF;
        PERFORM accounting_refuse_locked(NEW.tenant_id, NEW.date);
        RETURN NEW;
    END IF;
    IF OLD.status = 'draft' THEN
        IF NEW.status NOT IN ('draft', 'posted') THEN
            RAISE EXCEPTION 'a draft journal entry can only be posted'
                USING ERRCODE = '23000', CONSTRAINT = 'accounting_posted';
        END IF;
        IF NEW.status = 'posted' OR NEW.date IS DISTINCT FROM OLD.date THEN
            PERFORM accounting_refuse_locked(NEW.tenant_id, NEW.date);
        END IF;
        IF NEW.status = 'posted' THEN
            PERFORM accounting_add_balances(NEW.tenant_id, NEW.id, NEW.date);
        END IF;
        RETURN NEW;
    END IF;
    -- Posted: the only change is to reversed, nothing else with it, once a posted entry
    -- reverses this one.
    IF OLD.status = 'posted' AND NEW.status = 'reversed'
        AND to_jsonb(NEW) - 'status' - 'updated_at' = to_jsonb(OLD) - 'status' - 'updated_at'
        AND EXISTS (
            SELECT 1 FROM accounting_entry
            WHERE tenant_id = OLD.tenant_id AND reversal_of = OLD.id AND status = 'posted'
        )
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'journal entry % is %: it cannot be changed (reverse it instead)',
        OLD.number, OLD.status USING ERRCODE = '23000', CONSTRAINT = 'accounting_posted';
END
$$
"""

LINE_GUARD = """
CREATE FUNCTION accounting_line_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    state text;
    entry_number text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- FOR SHARE waits for a posting of the entry in flight (which locks its row) and
        -- then sees it posted.
        SELECT e.status, e.number INTO state, entry_number FROM accounting_entry e
        WHERE e.tenant_id = OLD.tenant_id AND e.id = OLD.entry_id FOR SHARE;
        IF state <> 'draft'
            AND NOT (TG_OP = 'DELETE' AND accounting_purging(OLD.tenant_id)) THEN
            RAISE EXCEPTION 'journal entry % is posted: its lines cannot be changed', entry_number
                USING ERRCODE = '23000', CONSTRAINT = 'accounting_posted';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT e.status, e.number INTO state, entry_number FROM accounting_entry e
        WHERE e.tenant_id = NEW.tenant_id AND e.id = NEW.entry_id FOR SHARE;
        IF state <> 'draft' THEN
            RAISE EXCEPTION 'journal entry % is posted: no line can be added to it', entry_number
                USING ERRCODE = '23000', CONSTRAINT = 'accounting_posted';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END
$$
"""

BALANCED = """
CREATE FUNCTION accounting_entry_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    state text;
    lines integer;
    debits numeric;
    credits numeric;
BEGIN
    SELECT status INTO state FROM accounting_entry
    WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
    IF state IS NULL OR state = 'draft' THEN
        RETURN NULL;
    END IF;
    SELECT count(*), coalesce(sum(debit), 0), coalesce(sum(credit), 0)
    INTO lines, debits, credits
    FROM accounting_line WHERE tenant_id = NEW.tenant_id AND entry_id = NEW.id;
    IF lines < 2 THEN
        RAISE EXCEPTION 'journal entry % has % line(s): a posted entry needs at least two',
            NEW.number, lines USING ERRCODE = '23514', CONSTRAINT = 'accounting_balanced';
    END IF;
    IF debits <> credits THEN
        RAISE EXCEPTION 'journal entry % is unbalanced: debits % and credits %',
            NEW.number, debits, credits
            USING ERRCODE = '23514', CONSTRAINT = 'accounting_balanced';
    END IF;
    RETURN NULL;
END
$$
"""

BALANCE_GUARD = """
CREATE FUNCTION accounting_balance_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT accounting_purging(OLD.tenant_id) THEN
        RAISE EXCEPTION 'account balances follow the posted entries and are not deleted'
            USING ERRCODE = '23000', CONSTRAINT = 'accounting_posted';
    END IF;
    RETURN OLD;
END
$$
"""

TRIGGERS = (
    "CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON accounting_entry "
    "FOR EACH ROW EXECUTE FUNCTION accounting_entry_guard()",
    "CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON accounting_line "
    "FOR EACH ROW EXECUTE FUNCTION accounting_line_guard()",
    "CREATE CONSTRAINT TRIGGER balanced AFTER UPDATE OF status ON accounting_entry "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
    "WHEN (OLD.status = 'draft' AND NEW.status = 'posted') "
    "EXECUTE FUNCTION accounting_entry_balanced()",
    "CREATE TRIGGER guard BEFORE DELETE ON accounting_balance "
    "FOR EACH ROW EXECUTE FUNCTION accounting_balance_guard()",
)
FUNCTIONS = (
    "accounting_entry_guard()",
    "accounting_line_guard()",
    "accounting_entry_balanced()",
    "accounting_balance_guard()",
    "accounting_refuse_locked(uuid, date)",
    "accounting_add_balances(uuid, uuid, date)",
    "accounting_purging(uuid)",
)


def upgrade() -> None:
    _chart()
    _entries()
    _rates_and_taxes()
    for table in TABLES:
        # Balances are derived from audited lines; auditing them again would only double the
        # cost of every posting.
        enable_tenant_rls(table, audited=table != "accounting_balance")
        grant_runtime(table, "SELECT, DELETE" if table == "accounting_balance" else FULL_ACCESS)
    for function in (PURGING, ADD_BALANCES, REFUSE_LOCKED, ENTRY_GUARD, LINE_GUARD, BALANCED):
        op.execute(function)
    op.execute(BALANCE_GUARD)
    op.execute("REVOKE ALL ON FUNCTION accounting_add_balances(uuid, uuid, date) FROM PUBLIC")
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}")
