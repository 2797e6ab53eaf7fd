"""The ledger's tables: the chart of accounts, account roles, journals, settings, journal entries
and their lines, the per-account daily balances the reports read, exchange rates and taxes.

Amounts in the company's currency are NUMERIC(18, 2); a line in a foreign currency also keeps
its amount in that currency (NUMERIC(18, 3), room for three-decimal currencies). What must hold
whoever writes — balanced entries, posted entries unchangeable, nothing posted into a locked
period — is enforced by triggers in migration a001, not only here.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, tenant_fk, tenant_unique

READ, POST = "accounting.entry.read", "accounting.entry.post"
MANAGE, REPORT = "accounting.settings.manage", "accounting.report.read"

ACCOUNT_TYPES = ("asset", "liability", "equity", "income", "expense")
SUBTYPES = ("receivable", "payable", "bank", "cash", "stock", "other")
#: Subtypes whose lines are matched against one another (invoices against payments).
RECONCILABLE = ("receivable", "payable")
JOURNAL_KINDS = ("sale", "purchase", "bank", "cash", "stock", "expense", "general")
#: An entry is a draft (free to change), posted (final), or reversed (final, and undone by a
#: later entry whose ``reversal_of`` names it).
ENTRY_STATUSES = ("draft", "posted", "reversed")
TAX_KINDS = ("sale", "purchase")
#: The names other modules give accounts; every chart template maps each to one of its accounts.
ROLES = (
    "receivable",
    "payable",
    "sales",
    "purchase",
    "stock",
    "stock_received",
    "cogs",
    "stock_adjustment",
    "tax_output",
    "tax_input",
    "bank",
    "cash",
    "fx_gain",
    "fx_loss",
    "expense",
    "employee_payable",
    "retained_earnings",
)

Money = Numeric(18, 2)
ForeignMoney = Numeric(18, 3)


def one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Account(TenantModel, Timestamps):
    """One account of the tenant's chart. Once an entry uses it, it is archived, never deleted."""

    __tablename__ = "accounting_account"
    __recycle_permission__ = MANAGE
    __table_args__ = (
        tenant_unique("code"),
        tenant_fk("parent_id", "accounting_account"),
        CheckConstraint(one_of("type", ACCOUNT_TYPES), name="type"),
        CheckConstraint(one_of("subtype", SUBTYPES), name="subtype"),
        CheckConstraint(f"reconcilable = ({one_of('subtype', RECONCILABLE)})", name="reconcilable"),
        CheckConstraint("code ~ '^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$'", name="code"),
    )

    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(12))
    subtype: Mapped[str] = mapped_column(String(12), default="other")
    parent_id: Mapped[uuid.UUID | None]
    active: Mapped[bool] = mapped_column(default=True)
    reconcilable: Mapped[bool] = mapped_column(default=False)


class AccountRole(TenantModel, Timestamps):
    """Which account a role (``receivable``, ``sales`` …) names in this tenant."""

    __tablename__ = "accounting_role"
    __recycle__ = False
    __table_args__ = (
        tenant_unique("role"),
        tenant_fk("account_id", "accounting_account"),
        CheckConstraint(one_of("role", ROLES), name="role"),
    )

    role: Mapped[str] = mapped_column(String(30))
    account_id: Mapped[uuid.UUID]


class Journal(TenantModel, Timestamps):
    """A book entries are written in; its code is also the series of their numbers."""

    __tablename__ = "accounting_journal"
    __recycle_permission__ = MANAGE
    __table_args__ = (
        tenant_unique("code"),
        CheckConstraint(one_of("kind", JOURNAL_KINDS), name="kind"),
        CheckConstraint("code ~ '^[A-Z][A-Z0-9]{0,9}$'", name="code"),
    )

    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)


class AccountingSettings(TenantModel, Timestamps):
    """The tenant's one row of accounting settings."""

    __tablename__ = "accounting_settings"
    __recycle__ = False
    __table_args__ = (
        tenant_unique(),
        CheckConstraint("company_currency ~ '^[A-Z]{3}$'", name="company_currency"),
    )

    company_currency: Mapped[str] = mapped_column(String(3), default="CNY")
    #: Nothing is posted on or before this date (a closed period).
    lock_date: Mapped[date | None]
    chart_template: Mapped[str] = mapped_column(String(40), default="generic")
    allow_future_dates: Mapped[bool] = mapped_column(default=True)


class JournalEntry(TenantModel, Timestamps):
    """A journal entry: numbered when posted; its lines' debits equal its credits."""

    __tablename__ = "accounting_entry"
    __recycle_permission__ = POST
    __table_args__ = (
        tenant_unique("number"),
        tenant_unique("reversal_of"),
        tenant_fk("journal_id", "accounting_journal"),
        tenant_fk("reversal_of", "accounting_entry"),
        CheckConstraint(one_of("status", ENTRY_STATUSES), name="status"),
        CheckConstraint("status = 'draft' OR number IS NOT NULL", name="numbered"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        Index("ix_accounting_entry_date", "tenant_id", "date"),
        Index("ix_accounting_entry_journal", "tenant_id", "journal_id", "date"),
        Index("ix_accounting_entry_source", "tenant_id", "source_type", "source_id"),
    )

    journal_id: Mapped[uuid.UUID]
    number: Mapped[str | None] = mapped_column(String(30))
    date: Mapped[date]
    memo: Mapped[str] = mapped_column(String(500), default="")
    #: The currency the entry was given in; its lines' debits and credits are in the company's.
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    reversal_of: Mapped[uuid.UUID | None]
    source_type: Mapped[str | None] = mapped_column(String(60))
    source_id: Mapped[str | None] = mapped_column(String(100))
    posted_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None]


class JournalLine(TenantModel, Timestamps):
    """One debit or credit of an entry, in the company's currency."""

    __tablename__ = "accounting_line"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("entry_id", "accounting_entry", ondelete="CASCADE"),
        tenant_fk("account_id", "accounting_account"),
        CheckConstraint("debit >= 0 AND credit >= 0", name="not_negative"),
        CheckConstraint("debit = 0 OR credit = 0", name="one_side"),
        CheckConstraint("(currency IS NULL) = (amount_currency IS NULL)", name="foreign_amount"),
        Index("ix_accounting_line_entry", "tenant_id", "entry_id"),
        Index("ix_accounting_line_account", "tenant_id", "account_id"),
        Index(
            "ix_accounting_line_partner",
            "tenant_id",
            "partner_id",
            postgresql_where=text("partner_id IS NOT NULL"),
        ),
    )

    entry_id: Mapped[uuid.UUID]
    sequence: Mapped[int] = mapped_column(default=0)
    account_id: Mapped[uuid.UUID]
    #: A partner of the tenant (accounting_partner, added by revision a002).
    partner_id: Mapped[uuid.UUID | None]
    label: Mapped[str] = mapped_column(String(300), default="")
    debit: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    credit: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    #: Signed (debit positive) amount in ``currency`` when the line was in a foreign currency.
    amount_currency: Mapped[Decimal | None] = mapped_column(ForeignMoney)
    currency: Mapped[str | None] = mapped_column(String(3))


class DailyBalance(TenantModel):
    """Posted debits and credits per account per day, kept by the posting trigger (read-only to
    the application): the trial balance reads these instead of every line."""

    __tablename__ = "accounting_balance"
    __recycle__ = False
    # Derived from the audited lines, and written only by the posting trigger.
    __audit__ = False
    __table_args__ = (
        tenant_unique("account_id", "date"),
        tenant_fk("account_id", "accounting_account"),
    )

    account_id: Mapped[uuid.UUID]
    date: Mapped[date]
    debit: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    credit: Mapped[Decimal] = mapped_column(Numeric(20, 2))


class CurrencyRate(TenantModel, Timestamps):
    """How much one unit of ``currency`` is worth in the company's currency from ``date`` on."""

    __tablename__ = "accounting_currency_rate"
    __recycle_permission__ = MANAGE
    __table_args__ = (
        tenant_unique("currency", "date"),
        CheckConstraint("rate > 0", name="rate"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
    )

    currency: Mapped[str] = mapped_column(String(3))
    date: Mapped[date]
    rate: Mapped[Decimal] = mapped_column(Numeric(20, 10))


class Tax(TenantModel, Timestamps):
    """A tax: ``rate`` percent, included in or added to prices, booked on ``account_id``."""

    __tablename__ = "accounting_tax"
    __recycle_permission__ = MANAGE
    __table_args__ = (
        tenant_unique("code"),
        tenant_fk("account_id", "accounting_account"),
        CheckConstraint(one_of("kind", TAX_KINDS), name="kind"),
        CheckConstraint("rate >= 0 AND rate < 1000", name="rate"),
    )

    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    rate: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    inclusive: Mapped[bool] = mapped_column(default=False)
    account_id: Mapped[uuid.UUID]
    active: Mapped[bool] = mapped_column(default=True)


MODELS = (
    Account,
    AccountRole,
    Journal,
    AccountingSettings,
    JournalEntry,
    JournalLine,
    DailyBalance,
    CurrencyRate,
    Tax,
)
