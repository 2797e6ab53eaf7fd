"""Writing journal entries: checking what is given, converting foreign amounts, numbering and
posting, reversing.

Every entry is written as a draft, then its lines, then posted (the database refuses any other
order, see migration a001): the rules checked here answer with a field and a reason before the
database's triggers, which remain the last word, ever see a bad entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    Conflict,
    Invalid,
    NotFound,
    checked_currency,
    checked_money,
    next_document_number,
    round_money,
)
from tessera_accounting.books import account_by_ref, journal_by_code, rate_on, settings_of
from tessera_accounting.models import (
    Account,
    AccountingSettings,
    Journal,
    JournalEntry,
    JournalLine,
)

MEMO_MAX, LABEL_MAX, SOURCE_MAX = 500, 300, 100


@dataclass(frozen=True, slots=True)
class Line:
    """A line ready to write: debit and credit in the company's currency."""

    account_id: uuid.UUID
    debit: Decimal
    credit: Decimal
    label: str = ""
    partner_id: uuid.UUID | None = None
    amount_currency: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """An entry ready to write."""

    journal: Journal
    date: date
    memo: str
    currency: str
    lines: tuple[Line, ...]
    source_type: str | None = None
    source_id: str | None = None
    reversal_of: uuid.UUID | None = None


def checked_date(value: object, field: str = "date") -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise Invalid(field, "must be a date")
    return value


def checked_text(value: object, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(field, "must be text")
    if len(value) > limit:
        raise Invalid(field, f"is longer than {limit} characters")
    return value.strip()


def optional_text(value: object, field: str) -> str | None:
    text = checked_text(value, field, SOURCE_MAX)
    return text or None


def checked_partner(value: object, field: str) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Invalid(field, "must be a partner's id (a UUID)") from None


def check_date_open(settings: AccountingSettings, day: date, field: str = "date") -> None:
    """422 for a date the tenant's books are closed to (the lock date) or, unless allowed, in
    the future."""
    if settings.lock_date is not None and day <= settings.lock_date:
        raise Invalid(
            field,
            f"the books are locked up to {settings.lock_date.isoformat()}: "
            "nothing can be posted on or before that date",
        )
    if not settings.allow_future_dates and day > datetime.now(UTC).date():
        raise Invalid(field, "is in the future, and this company does not post ahead")


def check_balanced(lines: Sequence[Line], currency_of_amounts: str, field: str = "lines") -> None:
    if len(lines) < 2:
        raise Invalid(field, "an entry needs at least two lines")
    debits = sum((line.debit for line in lines), Decimal(0))
    credits = sum((line.credit for line in lines), Decimal(0))
    if debits != credits:
        raise Invalid(
            field,
            f"debits ({debits} {currency_of_amounts}) must equal credits "
            f"({credits} {currency_of_amounts})",
        )


def _sides(raw: Mapping[str, Any], currency: str, field: str) -> tuple[Decimal, Decimal]:
    debit = checked_money(raw.get("debit", 0), currency, f"{field}.debit")
    credit = checked_money(raw.get("credit", 0), currency, f"{field}.credit")
    if debit and credit:
        raise Invalid(field, "a line is a debit or a credit, not both")
    if not debit and not credit:
        raise Invalid(field, "a line needs a debit or a credit")
    return debit, credit


async def _given_lines(
    db: AsyncSession, tenant_id: uuid.UUID, given: object, currency: str
) -> list[Line]:
    """The lines as given, amounts in the entry's currency."""
    if not isinstance(given, Sequence) or isinstance(given, (str, bytes)):
        raise Invalid("lines", "must be a list of lines")
    lines = []
    for index, raw in enumerate(given):
        field = f"lines[{index}]"
        if not isinstance(raw, Mapping):
            raise Invalid(field, "must be an object")
        debit, credit = _sides(raw, currency, field)
        account = await _line_account(db, tenant_id, raw, field)
        lines.append(
            Line(
                account_id=account.id,
                debit=debit,
                credit=credit,
                label=checked_text(raw.get("label"), f"{field}.label", LABEL_MAX),
                partner_id=checked_partner(raw.get("partner_id"), f"{field}.partner_id"),
            )
        )
    check_balanced(lines, currency)
    return lines


async def _line_account(
    db: AsyncSession, tenant_id: uuid.UUID, raw: Mapping[str, Any], field: str
) -> Account:
    """A line names its account by id (the API) or by code or role (the service)."""
    account_id = raw.get("account_id")
    if account_id is None:
        return await account_by_ref(db, tenant_id, raw.get("account"), f"{field}.account")
    account = await db.get(Account, (tenant_id, account_id))
    if account is None:
        raise Invalid(f"{field}.account_id", "is not an account of this company")
    if not account.active:
        raise Invalid(f"{field}.account_id", f"the account {account.code} is archived")
    return account


def converted(lines: Sequence[Line], currency: str, rate: Decimal, company: str) -> list[Line]:
    """Lines given in ``currency`` restated in the company's at ``rate``; each keeps its own
    amount as ``amount_currency``. Rounding each line can leave the entry a cent out; the
    largest line of the lighter side takes the difference, as bookkeeping programs do."""
    out = [
        replace(
            line,
            debit=round_money(line.debit * rate, company),
            credit=round_money(line.credit * rate, company),
            amount_currency=line.debit - line.credit,
            currency=currency,
        )
        for line in lines
    ]
    gap = sum((x.debit - x.credit for x in out), Decimal(0))
    if gap:
        side = "credit" if gap > 0 else "debit"
        index = max(range(len(out)), key=lambda i: getattr(out[i], side))
        out[index] = replace(out[index], **{side: getattr(out[index], side) + abs(gap)})
    return out


async def draft_from(db: AsyncSession, tenant_id: uuid.UUID, entry: Mapping[str, Any]) -> Draft:
    """An entry given as the ``accounting.ledger`` service takes it (docs/modules/erp.md),
    checked; 422 naming the field otherwise."""
    if not isinstance(entry, Mapping):
        raise Invalid("entry", "must be an object")
    settings = await settings_of(db, tenant_id)
    company = settings.company_currency
    journal = await journal_by_code(db, tenant_id, entry.get("journal"))
    day = checked_date(entry.get("date"))
    given_currency = entry.get("currency")
    currency = company if given_currency is None else checked_currency(given_currency, "currency")
    lines = await _given_lines(db, tenant_id, entry.get("lines"), currency)
    if currency != company:
        rate = await _rate(db, tenant_id, entry.get("rate"), currency, day)
        lines = converted(lines, currency, rate, company)
    return Draft(
        journal=journal,
        date=day,
        memo=checked_text(entry.get("memo"), "memo", MEMO_MAX),
        currency=currency,
        lines=tuple(lines),
        source_type=optional_text(entry.get("source_type"), "source_type"),
        source_id=optional_text(entry.get("source_id"), "source_id"),
    )


async def _rate(
    db: AsyncSession, tenant_id: uuid.UUID, given: object, currency: str, day: date
) -> Decimal:
    if given is not None:
        if isinstance(given, (bool, float)) or not isinstance(given, (Decimal, str, int)):
            raise Invalid("rate", 'must be an exact decimal (text such as "7.1234")')
        try:
            rate = Decimal(str(given))
        except ArithmeticError:
            raise Invalid("rate", f"{given!r} is not a number") from None
        if not rate.is_finite() or rate <= 0:
            raise Invalid("rate", "must be a positive number")
        return rate
    found = await rate_on(db, tenant_id, currency, day)
    if found is None:
        raise Invalid("currency", f"no exchange rate for {currency} on or before {day.isoformat()}")
    return found


async def write_draft(
    db: AsyncSession, tenant_id: uuid.UUID, draft: Draft, *, by: uuid.UUID | None = None
) -> JournalEntry:
    entry = JournalEntry(
        tenant_id=tenant_id,
        journal_id=draft.journal.id,
        date=draft.date,
        memo=draft.memo,
        currency=draft.currency,
        status="draft",
        reversal_of=draft.reversal_of,
        source_type=draft.source_type,
        source_id=draft.source_id,
        created_by=by,
    )
    db.add(entry)
    await db.flush()
    await add_lines(db, entry, draft.lines)
    return entry


async def add_lines(db: AsyncSession, entry: JournalEntry, lines: Sequence[Line]) -> None:
    db.add_all(
        JournalLine(
            tenant_id=entry.tenant_id,
            entry_id=entry.id,
            sequence=index,
            account_id=line.account_id,
            partner_id=line.partner_id,
            label=line.label,
            debit=line.debit,
            credit=line.credit,
            amount_currency=line.amount_currency,
            currency=line.currency,
        )
        for index, line in enumerate(lines, start=1)
    )
    await db.flush()


async def lines_of(db: AsyncSession, entry: JournalEntry) -> list[JournalLine]:
    return list(
        (
            await db.scalars(
                select(JournalLine)
                .where(JournalLine.tenant_id == entry.tenant_id, JournalLine.entry_id == entry.id)
                .order_by(JournalLine.sequence, JournalLine.id)
            )
        ).all()
    )


async def post_draft(db: AsyncSession, entry: JournalEntry) -> JournalEntry:
    """Number and post a draft: balanced, at least two lines, in an open period."""
    if entry.status != "draft":
        raise Conflict(f"Journal entry {entry.number} is already {entry.status}.")
    settings = await settings_of(db, entry.tenant_id)
    check_date_open(settings, entry.date)
    lines = [
        Line(line.account_id, Decimal(line.debit), Decimal(line.credit))
        for line in await lines_of(db, entry)
    ]
    check_balanced(lines, settings.company_currency)
    journal = await db.get(Journal, (entry.tenant_id, entry.journal_id))
    if journal is None:  # the foreign key makes this impossible; mypy cannot know
        raise NotFound("No such journal.")
    # As late as possible: the journal's series stays locked until the transaction ends.
    entry.number = await next_document_number(db, entry.tenant_id, journal.code, entry.date.year)
    entry.status = "posted"
    entry.posted_at = datetime.now(UTC)
    await db.flush()
    return entry


async def post_new(
    db: AsyncSession, tenant_id: uuid.UUID, draft: Draft, *, by: uuid.UUID | None = None
) -> JournalEntry:
    check_date_open(await settings_of(db, tenant_id), draft.date)
    return await post_draft(db, await write_draft(db, tenant_id, draft, by=by))


async def locked_entry(db: AsyncSession, tenant_id: uuid.UUID, entry_id: uuid.UUID) -> JournalEntry:
    entry = await db.scalar(
        select(JournalEntry)
        .where(JournalEntry.tenant_id == tenant_id, JournalEntry.id == entry_id)
        .with_for_update()
    )
    if entry is None:
        raise NotFound("No such journal entry.")
    return entry


async def reverse(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    entry_id: uuid.UUID,
    *,
    day: date,
    memo: str,
    by: uuid.UUID | None = None,
) -> JournalEntry:
    """Post the entry's mirror image (debits and credits swapped) and mark it reversed."""
    original = await locked_entry(db, tenant_id, entry_id)
    if original.status == "reversed":
        raise Conflict(f"Journal entry {original.number} is already reversed.")
    if original.status != "posted":
        raise Conflict("Only a posted journal entry can be reversed; delete a draft instead.")
    day = checked_date(day)
    journal = await db.get(Journal, (tenant_id, original.journal_id))
    if journal is None:
        raise NotFound("No such journal.")
    mirrored = tuple(
        Line(
            account_id=line.account_id,
            debit=Decimal(line.credit),
            credit=Decimal(line.debit),
            label=line.label,
            partner_id=line.partner_id,
            amount_currency=None if line.amount_currency is None else -line.amount_currency,
            currency=line.currency,
        )
        for line in await lines_of(db, original)
    )
    reversal = await post_new(
        db,
        tenant_id,
        Draft(
            journal=journal,
            date=day,
            memo=checked_text(memo, "memo", MEMO_MAX) or f"Reversal of {original.number}",
            currency=original.currency,
            lines=mirrored,
            source_type=original.source_type,
            source_id=original.source_id,
            reversal_of=original.id,
        ),
        by=by,
    )
    original.status = "reversed"
    await db.flush()
    return reversal


async def posted_for_source(
    db: AsyncSession, tenant_id: uuid.UUID, source_type: str, source_id: str
) -> JournalEntry | None:
    """The entry posted for a source and not reversed, if any (posting once per source)."""
    return await db.scalar(
        select(JournalEntry)
        .where(
            JournalEntry.tenant_id == tenant_id,
            JournalEntry.source_type == source_type,
            JournalEntry.source_id == source_id,
            JournalEntry.status == "posted",
            JournalEntry.reversal_of.is_(None),
        )
        .order_by(JournalEntry.created_at)
        .limit(1)
    )


async def entry_count(db: AsyncSession, tenant_id: uuid.UUID) -> int:
    return int(
        await db.scalar(
            select(func.count())
            .select_from(JournalEntry)
            .where(JournalEntry.tenant_id == tenant_id)
        )
        or 0
    )
