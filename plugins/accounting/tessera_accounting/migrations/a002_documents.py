"""Accounting: partners, customer invoices and vendor bills, payments and their allocations;
the foreign key from journal lines to partners; the triggers that keep posted documents final.

Revision ID: a002
Revises: a001
Create Date: 2026-11-26

What the database enforces, whoever writes:

- an invoice's lines change only while it is a draft;
- a posted invoice keeps its number, partner, currency, rate, dates, amounts and entry; only
  its payment state moves (posted, partially paid, paid, each matching what is still open), or
  it is cancelled once its reversing entry is named; a cancelled invoice never changes again;
- only drafts are deleted;
- payments and allocations are written once, never changed or deleted; an allocation goes to
  an open invoice and never past its total, and what is open on an invoice is its total less
  its allocations;
- (all but) purging the module's data while it is disabled, the platform's confirmed action.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from tessera.plugin import FULL_ACCESS, enable_tenant_rls, grant_runtime

revision: str = "a002"
down_revision: str | None = "a001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "accounting_partner",
    "accounting_invoice",
    "accounting_invoice_line",
    "accounting_payment",
    "accounting_payment_allocation",
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


def _partners() -> None:
    table = "accounting_partner"
    op.create_table(
        table,
        *_key(table),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("tax_id", sa.String(length=50), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("crm_account_id", sa.String(length=100), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        _unique(table, "crm_account_id"),
        _check(table, "kind", "kind IN ('customer', 'vendor', 'both')"),
        _check(table, "terms", "payment_terms_days BETWEEN 0 AND 3650"),
        _check(table, "currency", "currency IS NULL OR currency ~ '^[A-Z]{3}$'"),
        _check(table, "name", "length(btrim(name)) > 0"),
    )
    op.create_foreign_key(
        op.f("fk_accounting_line_tenant_id_partner_id_accounting_partner"),
        "accounting_line",
        table,
        ["tenant_id", "partner_id"],
        ["tenant_id", "id"],
    )


def _invoices() -> None:
    table = "accounting_invoice"
    op.create_table(
        table,
        *_key(table),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(20, 10), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("source_type", sa.String(length=60), nullable=True),
        sa.Column("source_id", sa.String(length=100), nullable=True),
        *(
            sa.Column(name, sa.Numeric(18, 3), nullable=False)
            for name in ("untaxed", "tax", "total", "residual")
        ),
        sa.Column("residual_company", sa.Numeric(18, 2), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=True),
        sa.Column("reversal_entry_id", sa.Uuid(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        *_timestamps(),
        _unique(table, "number"),
        _fk(table, "partner_id", "accounting_partner"),
        _fk(table, "entry_id", "accounting_entry"),
        _fk(table, "reversal_entry_id", "accounting_entry"),
        _check(table, "kind", "kind IN ('customer', 'vendor')"),
        _check(
            table, "status",
            "status IN ('draft', 'posted', 'partially_paid', 'paid', 'cancelled')",
        ),
        _check(table, "currency", "currency ~ '^[A-Z]{3}$'"),
        _check(
            table, "posted_complete",
            "status IN ('draft', 'cancelled') OR (number IS NOT NULL AND entry_id IS NOT NULL "
            "AND rate IS NOT NULL)",
        ),
        _check(table, "residual", "residual >= 0 AND residual <= total"),
        _check(table, "due_date", "due_date >= date"),
    )  # fmt: skip
    op.create_index(
        "ix_accounting_invoice_open", table, ["tenant_id", "kind", "status", "due_date"]
    )
    op.create_index("ix_accounting_invoice_partner", table, ["tenant_id", "partner_id", "date"])
    op.create_index(
        "ix_accounting_invoice_source", table, ["tenant_id", "source_type", "source_id"]
    )
    table = "accounting_invoice_line"
    op.create_table(
        table,
        *_key(table),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.Numeric(18, 4), nullable=False),
        sa.Column("unit_price", sa.Numeric(18, 4), nullable=False),
        sa.Column("discount", sa.Numeric(5, 2), nullable=False),
        sa.Column("tax_id", sa.Uuid(), nullable=True),
        sa.Column("product_id", sa.String(length=100), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("subtotal", sa.Numeric(18, 3), nullable=False),
        sa.Column("tax_amount", sa.Numeric(18, 3), nullable=False),
        *_timestamps(),
        _fk(table, "invoice_id", "accounting_invoice", ondelete="CASCADE"),
        _fk(table, "account_id", "accounting_account"),
        _fk(table, "tax_id", "accounting_tax"),
        _check(table, "quantity", "quantity > 0"),
        _check(table, "unit_price", "unit_price >= 0"),
        _check(table, "discount", "discount >= 0 AND discount <= 100"),
    )
    op.create_index("ix_accounting_invoice_line_invoice", table, ["tenant_id", "invoice_id"])


def _payments() -> None:
    table = "accounting_payment"
    op.create_table(
        table,
        *_key(table),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("journal_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(18, 3), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(20, 10), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("exchange_difference", sa.Numeric(18, 2), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        _unique(table, "entry_id"),
        _fk(table, "partner_id", "accounting_partner"),
        _fk(table, "journal_id", "accounting_journal"),
        _fk(table, "entry_id", "accounting_entry"),
        _check(table, "direction", "direction IN ('incoming', 'outgoing')"),
        _check(table, "amount", "amount > 0"),
        _check(table, "rate", "rate > 0"),
        _check(table, "currency", "currency ~ '^[A-Z]{3}$'"),
    )
    op.create_index("ix_accounting_payment_partner", table, ["tenant_id", "partner_id", "date"])
    table = "accounting_payment_allocation"
    op.create_table(
        table,
        *_key(table),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.Numeric(18, 3), nullable=False),
        sa.Column("relieved_company", sa.Numeric(18, 2), nullable=False),
        _unique(table, "payment_id", "invoice_id"),
        _fk(table, "payment_id", "accounting_payment"),
        _fk(table, "invoice_id", "accounting_invoice"),
        _check(table, "amount", "amount > 0"),
    )
    op.create_index("ix_accounting_payment_allocation_invoice", table, ["tenant_id", "invoice_id"])


INVOICE_GUARD = """
CREATE FUNCTION accounting_invoice_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    allocated numeric;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' AND NOT accounting_purging(OLD.tenant_id) THEN
            RAISE EXCEPTION 'invoice % is %: only a draft is deleted', OLD.number, OLD.status
                USING ERRCODE = '23000', CONSTRAINT = 'accounting_invoice_final';
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN
            RAISE EXCEPTION 'an invoice is written as a draft, then posted'
                USING ERRCODE = '23000', CONSTRAINT = 'accounting_invoice_final';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.status = 'draft' THEN
        RETURN NEW;
    END IF;
    -- What is open is the total less what payments allocated to it, nothing else.
    SELECT COALESCE(sum(amount), 0) INTO allocated FROM accounting_payment_allocation
    WHERE tenant_id = OLD.tenant_id AND invoice_id = OLD.id;
    IF OLD.status <> 'cancelled'
        AND to_jsonb(NEW) - 'status' - 'residual' - 'residual_company' - 'reversal_entry_id'
            - 'updated_at'
          = to_jsonb(OLD) - 'status' - 'residual' - 'residual_company' - 'reversal_entry_id'
            - 'updated_at'
        AND (
            (NEW.status = 'cancelled' AND NEW.reversal_entry_id IS NOT NULL
                AND allocated = 0 AND NEW.residual = OLD.total)
            OR (NEW.status <> 'cancelled' AND NEW.reversal_entry_id IS NULL
                AND NEW.residual = OLD.total - allocated
                AND NEW.status = CASE
                    WHEN NEW.residual = 0 THEN 'paid'
                    WHEN NEW.residual < NEW.total THEN 'partially_paid'
                    ELSE 'posted' END)
        )
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'invoice % is %: only its payment state moves, or it is cancelled by a reversing entry while unpaid',
        OLD.number, OLD.status USING ERRCODE = '23000', CONSTRAINT = 'accounting_invoice_final';
END
$$
"""

INVOICE_LINE_GUARD = """
CREATE FUNCTION accounting_invoice_line_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    tenant uuid;
    invoice uuid;
    state text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        tenant := OLD.tenant_id;
        invoice := OLD.invoice_id;
    ELSE
        tenant := NEW.tenant_id;
        invoice := NEW.invoice_id;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.invoice_id <> OLD.invoice_id THEN
        RAISE EXCEPTION 'a line does not move to another invoice'
            USING ERRCODE = '23000', CONSTRAINT = 'accounting_invoice_final';
    END IF;
    SELECT status INTO state FROM accounting_invoice WHERE tenant_id = tenant AND id = invoice;
    -- No invoice: a draft being deleted with its lines (its own guard said yes).
    IF state IS NOT NULL AND state <> 'draft'
        AND NOT (TG_OP = 'DELETE' AND accounting_purging(tenant)) THEN
        RAISE EXCEPTION 'the invoice is %: its lines change only while it is a draft', state
            USING ERRCODE = '23000', CONSTRAINT = 'accounting_invoice_final';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""

ALLOCATION_GUARD = """
CREATE FUNCTION accounting_allocation_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    invoice accounting_invoice;
    allocated numeric;
BEGIN
    SELECT * INTO invoice FROM accounting_invoice
    WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id FOR UPDATE;
    IF invoice.status NOT IN ('posted', 'partially_paid') THEN
        RAISE EXCEPTION 'invoice % is %: nothing is open on it', invoice.number, invoice.status
            USING ERRCODE = '23000', CONSTRAINT = 'accounting_payment_final';
    END IF;
    SELECT COALESCE(sum(amount), 0) INTO allocated FROM accounting_payment_allocation
    WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id;
    IF allocated + NEW.amount > invoice.total THEN
        RAISE EXCEPTION 'invoice % would be overpaid', invoice.number
            USING ERRCODE = '23000', CONSTRAINT = 'accounting_payment_final';
    END IF;
    RETURN NEW;
END
$$
"""

WRITTEN_ONCE = """
CREATE FUNCTION accounting_written_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND accounting_purging(OLD.tenant_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% rows are written once: register a new payment instead', TG_TABLE_NAME
        USING ERRCODE = '23000', CONSTRAINT = 'accounting_payment_final';
END
$$
"""

TRIGGERS = (
    "CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON accounting_invoice "
    "FOR EACH ROW EXECUTE FUNCTION accounting_invoice_guard()",
    "CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON accounting_invoice_line "
    "FOR EACH ROW EXECUTE FUNCTION accounting_invoice_line_guard()",
    "CREATE TRIGGER guard BEFORE UPDATE OR DELETE ON accounting_payment "
    "FOR EACH ROW EXECUTE FUNCTION accounting_written_once()",
    "CREATE TRIGGER guard BEFORE UPDATE OR DELETE ON accounting_payment_allocation "
    "FOR EACH ROW EXECUTE FUNCTION accounting_written_once()",
    "CREATE TRIGGER allocate BEFORE INSERT ON accounting_payment_allocation "
    "FOR EACH ROW EXECUTE FUNCTION accounting_allocation_guard()",
)
FUNCTIONS = (
    "accounting_invoice_guard()",
    "accounting_invoice_line_guard()",
    "accounting_written_once()",
    "accounting_allocation_guard()",
)


def upgrade() -> None:
    _partners()
    _invoices()
    _payments()
    for table in TABLES:
        enable_tenant_rls(table)
    grant_runtime("accounting_partner", FULL_ACCESS)
    grant_runtime("accounting_invoice", FULL_ACCESS)
    grant_runtime("accounting_invoice_line", FULL_ACCESS)
    # DELETE only for purging the module's data (the trigger refuses any other).
    grant_runtime("accounting_payment", "SELECT, INSERT, DELETE")
    grant_runtime("accounting_payment_allocation", "SELECT, INSERT, DELETE")
    for function in (INVOICE_GUARD, INVOICE_LINE_GUARD, ALLOCATION_GUARD, WRITTEN_ONCE):
        op.execute(function)
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_accounting_line_tenant_id_partner_id_accounting_partner"),
        "accounting_line",
        type_="foreignkey",
    )
    for table in reversed(TABLES):
        op.drop_table(table)
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}")
