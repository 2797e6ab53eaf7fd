"""The financial reports: trial balance, profit and loss, balance sheet, general ledger.

Everything but the general ledger's lines reads ``accounting_balance`` (posted debits and
credits per account and day, kept by the posting trigger), so a report costs the number of
account-days, not the number of lines.

The fiscal year is the calendar year. Income and expense accounts start each year at zero: what
they held at the end of earlier years is shown as part of retained earnings (the
``retained_earnings`` role's account), so the trial balance stays balanced and the balance
sheet adds up without a closing entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Invalid, NotFound
from tessera_accounting.models import Account, AccountRole

ZERO = Decimal("0.00")
RESULT_TYPES = ("income", "expense")


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date

    @property
    def year_start(self) -> date:
        return date(self.start.year, 1, 1)


def period_of(start: date | None, end: date | None, *, prefix: str = "date") -> Period:
    if start is None or end is None:
        raise Invalid(f"{prefix}_from" if start is None else f"{prefix}_to", "is needed")
    if end < start:
        raise Invalid(f"{prefix}_to", f"comes before {prefix}_from")
    return Period(start, end)


def optional_period(start: date | None, end: date | None) -> Period | None:
    if start is None and end is None:
        return None
    return period_of(start, end, prefix="compare")


@dataclass(frozen=True, slots=True)
class Movement:
    """An account's balance at the start of a period, what moved in it, and where it ended
    (balances are debit minus credit)."""

    opening: Decimal = ZERO
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    def __add__(self, other: Movement) -> Movement:
        return Movement(
            self.opening + other.opening, self.debit + other.debit, self.credit + other.credit
        )

    @property
    def is_zero(self) -> bool:
        return not (self.opening or self.debit or self.credit)


_MOVEMENTS = text(
    """
    SELECT b.account_id,
        coalesce(sum(b.debit - b.credit) FILTER (
            WHERE b.date < :start AND (a.type NOT IN ('income', 'expense') OR b.date >= :year)
        ), 0.00) AS opening,
        coalesce(sum(b.debit) FILTER (WHERE b.date >= :start), 0.00) AS debit,
        coalesce(sum(b.credit) FILTER (WHERE b.date >= :start), 0.00) AS credit,
        coalesce(sum(b.debit - b.credit) FILTER (
            WHERE b.date < :year AND a.type IN ('income', 'expense')
        ), 0.00) AS earlier_result
    FROM accounting_balance b
    JOIN accounting_account a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
    WHERE b.tenant_id = :tenant AND b.date <= :end
    GROUP BY b.account_id
    """
)


async def movements(
    db: AsyncSession, tenant_id: uuid.UUID, period: Period
) -> dict[uuid.UUID, Movement]:
    """Each account's movement in ``period``; earlier years' results opening retained earnings."""
    rows = await db.execute(
        _MOVEMENTS,
        {"tenant": tenant_id, "start": period.start, "end": period.end, "year": period.year_start},
    )
    found: dict[uuid.UUID, Movement] = {}
    earlier = ZERO
    for account_id, opening, debit, credit, earlier_result in rows:
        found[account_id] = Movement(Decimal(opening), Decimal(debit), Decimal(credit))
        earlier += Decimal(earlier_result)
    if earlier:
        retained = await retained_earnings_account(db, tenant_id)
        found[retained] = found.get(retained, Movement()) + Movement(opening=earlier)
    return found


async def retained_earnings_account(db: AsyncSession, tenant_id: uuid.UUID) -> uuid.UUID:
    account_id = await db.scalar(
        select(AccountRole.account_id).where(
            AccountRole.tenant_id == tenant_id, AccountRole.role == "retained_earnings"
        )
    )
    if account_id is None:
        raise NotFound("No account has the retained_earnings role: set one in the settings.")
    return account_id


async def chart(db: AsyncSession, tenant_id: uuid.UUID) -> dict[uuid.UUID, Account]:
    accounts = await db.scalars(
        select(Account).where(Account.tenant_id == tenant_id).order_by(Account.code)
    )
    return {a.id: a for a in accounts}


@dataclass(frozen=True, slots=True)
class TrialRow:
    account: Account
    current: Movement
    comparison: Movement | None


async def trial_balance(
    db: AsyncSession, tenant_id: uuid.UUID, period: Period, compare: Period | None
) -> list[TrialRow]:
    accounts = await chart(db, tenant_id)
    current = await movements(db, tenant_id, period)
    previous = await movements(db, tenant_id, compare) if compare else None
    rows = []
    for account_id, account in accounts.items():
        now = current.get(account_id, Movement())
        then = None if previous is None else previous.get(account_id, Movement())
        if now.is_zero and (then is None or then.is_zero):
            continue
        rows.append(TrialRow(account, now, then))
    return rows


@dataclass(frozen=True, slots=True)
class AmountRow:
    """An account's amount in a report, the sign as the report reads it (income and
    liabilities positive on the credit side)."""

    account: Account | None
    label: str
    amount: Decimal
    comparison: Decimal | None


def _natural(account: Account, movement: Movement) -> Decimal:
    """The balance as its side reads it: debit-side for assets and expenses, else credit."""
    closing = movement.closing
    return closing if account.type in ("asset", "expense") else -closing


def _period_result(account: Account, movement: Movement) -> Decimal:
    moved = movement.debit - movement.credit
    return moved if account.type == "expense" else -moved


@dataclass(frozen=True, slots=True)
class ProfitAndLoss:
    income: list[AmountRow]
    expenses: list[AmountRow]
    total_income: tuple[Decimal, Decimal | None]
    total_expenses: tuple[Decimal, Decimal | None]
    net_profit: tuple[Decimal, Decimal | None]


def _totals(rows: list[AmountRow], comparing: bool) -> tuple[Decimal, Decimal | None]:
    now = sum((r.amount for r in rows), ZERO)
    then = sum((r.comparison or ZERO for r in rows), ZERO) if comparing else None
    return now, then


async def profit_and_loss(
    db: AsyncSession, tenant_id: uuid.UUID, period: Period, compare: Period | None
) -> ProfitAndLoss:
    accounts = await chart(db, tenant_id)
    current = await movements(db, tenant_id, period)
    previous = await movements(db, tenant_id, compare) if compare else None
    sections: dict[str, list[AmountRow]] = {"income": [], "expense": []}
    for account_id, account in accounts.items():
        if account.type not in RESULT_TYPES:
            continue
        now = _period_result(account, current.get(account_id, Movement()))
        then = (
            None
            if previous is None
            else _period_result(account, previous.get(account_id, Movement()))
        )
        if now or then:
            sections[account.type].append(AmountRow(account, account.name, now, then))
    income = _totals(sections["income"], compare is not None)
    expenses = _totals(sections["expense"], compare is not None)
    net = (
        income[0] - expenses[0],
        None if compare is None else (income[1] or ZERO) - (expenses[1] or ZERO),
    )
    return ProfitAndLoss(sections["income"], sections["expense"], income, expenses, net)


@dataclass(frozen=True, slots=True)
class BalanceSheet:
    assets: list[AmountRow]
    liabilities: list[AmountRow]
    equity: list[AmountRow]
    total_assets: tuple[Decimal, Decimal | None]
    total_liabilities_and_equity: tuple[Decimal, Decimal | None]


CURRENT_EARNINGS = "Current year earnings"


async def _position(
    db: AsyncSession, tenant_id: uuid.UUID, day: date
) -> tuple[dict[uuid.UUID, Decimal], Decimal]:
    """Each balance-sheet account's natural balance at the end of ``day``, and the year's
    result so far."""
    accounts = await chart(db, tenant_id)
    moved = await movements(db, tenant_id, Period(date(day.year, 1, 1), day))
    balances: dict[uuid.UUID, Decimal] = {}
    earnings = ZERO
    for account_id, movement in moved.items():
        account = accounts[account_id]
        if account.type in RESULT_TYPES:
            earnings += -movement.closing
        else:
            balances[account_id] = _natural(account, movement)
    return balances, earnings


async def balance_sheet(
    db: AsyncSession, tenant_id: uuid.UUID, day: date, compare: date | None
) -> BalanceSheet:
    accounts = await chart(db, tenant_id)
    now, earnings = await _position(db, tenant_id, day)
    then, earlier_earnings = await _position(db, tenant_id, compare) if compare else ({}, ZERO)
    sections: dict[str, list[AmountRow]] = {"asset": [], "liability": [], "equity": []}
    for account_id, account in accounts.items():
        if account.type in RESULT_TYPES:
            continue
        amount = now.get(account_id, ZERO)
        previous = then.get(account_id, ZERO) if compare else None
        if amount or previous:
            sections[account.type].append(AmountRow(account, account.name, amount, previous))
    sections["equity"].append(
        AmountRow(None, CURRENT_EARNINGS, earnings, earlier_earnings if compare else None)
    )
    comparing = compare is not None
    assets = _totals(sections["asset"], comparing)
    liabilities = _totals(sections["liability"], comparing)
    equity = _totals(sections["equity"], comparing)
    both = (
        liabilities[0] + equity[0],
        None if not comparing else (liabilities[1] or ZERO) + (equity[1] or ZERO),
    )
    return BalanceSheet(sections["asset"], sections["liability"], sections["equity"], assets, both)


@dataclass(frozen=True, slots=True)
class LedgerLine:
    date: date
    number: str
    journal: str
    memo: str
    label: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    partner_id: uuid.UUID | None
    entry_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class GeneralLedger:
    account: Account
    opening: Decimal
    lines: list[LedgerLine]
    debit: Decimal
    credit: Decimal
    closing: Decimal


#: More lines than anyone reads on a screen; exports of longer ranges are split by date.
MAX_LEDGER_LINES = 20_000

_LEDGER_LINES = text(
    """
    SELECT e.date, e.number, j.code, e.memo, l.label, l.debit, l.credit, l.partner_id, e.id
    FROM accounting_line l
    JOIN accounting_entry e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
    JOIN accounting_journal j ON j.tenant_id = e.tenant_id AND j.id = e.journal_id
    WHERE l.tenant_id = :tenant AND l.account_id = :account AND e.status <> 'draft'
        AND e.date BETWEEN :start AND :end
    ORDER BY e.date, e.number, l.sequence
    LIMIT :limit
    """
)


async def general_ledger(
    db: AsyncSession, tenant_id: uuid.UUID, account_id: uuid.UUID, period: Period
) -> GeneralLedger:
    account = await db.get(Account, (tenant_id, account_id))
    if account is None:
        raise NotFound("No such account.")
    opening = (await movements(db, tenant_id, period)).get(account_id, Movement()).opening
    rows = (
        await db.execute(
            _LEDGER_LINES,
            {
                "tenant": tenant_id,
                "account": account_id,
                "start": period.start,
                "end": period.end,
                "limit": MAX_LEDGER_LINES + 1,
            },
        )
    ).all()
    if len(rows) > MAX_LEDGER_LINES:
        raise Invalid("date_to", f"the range holds over {MAX_LEDGER_LINES} lines: shorten it")
    balance = opening
    lines = []
    for day, number, journal, memo, label, debit, credit, partner_id, entry_id in rows:
        balance += Decimal(debit) - Decimal(credit)
        lines.append(
            LedgerLine(
                day, number, journal, memo, label, debit, credit, balance, partner_id, entry_id
            )
        )
    debits = sum((line.debit for line in lines), ZERO)
    credits = sum((line.credit for line in lines), ZERO)
    return GeneralLedger(account, opening, lines, debits, credits, balance)
