"""The lines of a claim: what each expense was, checked as it is entered.

A line names an active category, the day (not in the future), an amount above zero with at
most two decimals (none for currencies counted without, like JPY) in an ISO 4217 currency,
and optionally a receipt: a file the member uploaded (``POST /expenses/receipts``). Another
tenant's category or file, or another member's file, is refused like an unknown one (422).
Whether a receipt is *required* is decided when the claim is submitted.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, Input, Invalid, NotFound, Uow, checked_currency, get_file
from tessera_oa.currencies import checked_amount
from tessera_oa.expense_models import ExpenseCategory, ExpenseLine

#: Enough for a month of receipts; a longer claim is split in two.
MAX_LINES = 200
EARLIEST = date(2000, 1, 1)
Currency = Annotated[str, msgspec.Meta(min_length=1, max_length=3, description="ISO 4217 code")]
LineDescription = Annotated[str, msgspec.Meta(max_length=500)]


class LineIn(Input):
    category_id: uuid.UUID
    spent_on: date
    #: Above zero, at most two decimals (as a JSON string for exactness: "12.50").
    amount: Decimal
    currency: Currency
    description: LineDescription = ""
    #: A file from POST /expenses/receipts (or upload to the line afterwards).
    receipt_file_id: uuid.UUID | None = None


class NewLineIn(LineIn, kw_only=True):
    claim_id: uuid.UUID


class LinePatch(Input):
    category_id: uuid.UUID | None = None
    spent_on: date | None = None
    amount: Decimal | None = None
    currency: Currency | None = None
    description: LineDescription | None = None
    #: null takes the receipt off the line.
    receipt_file_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET


class LineOut(msgspec.Struct):
    id: uuid.UUID
    claim_id: uuid.UUID
    category_id: uuid.UUID
    spent_on: date
    amount: Decimal
    currency: str
    description: str
    receipt_file_id: uuid.UUID | None
    has_receipt: bool
    #: Set when the claim is submitted: this line is over its category's limit.
    over_limit: bool
    created_at: datetime
    updated_at: datetime


def line_out(line: ExpenseLine) -> LineOut:
    return LineOut(
        id=line.id,
        claim_id=line.claim_id,
        category_id=line.category_id,
        spent_on=line.spent_on,
        amount=line.amount,
        currency=line.currency,
        description=line.description,
        receipt_file_id=line.receipt_file_id,
        has_receipt=line.receipt_file_id is not None,
        over_limit=line.over_limit,
        created_at=line.created_at,
        updated_at=line.updated_at,
    )


@dataclass(slots=True)
class LineValues:
    """A line's fields as entered, before they are checked."""

    category_id: uuid.UUID
    spent_on: date
    amount: Decimal
    currency: str
    description: str
    receipt_file_id: uuid.UUID | None

    @classmethod
    def of(cls, data: LineIn) -> LineValues:
        return cls(
            data.category_id,
            data.spent_on,
            data.amount,
            data.currency,
            data.description,
            data.receipt_file_id,
        )

    @classmethod
    def from_line(cls, line: ExpenseLine) -> LineValues:
        return cls(
            line.category_id,
            line.spent_on,
            line.amount,
            line.currency,
            line.description,
            line.receipt_file_id,
        )


async def categories_by_id(
    db: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ExpenseCategory]:
    if not ids:
        return {}
    query = select(ExpenseCategory).where(ExpenseCategory.id.in_(set(ids)))
    return {c.id: c for c in (await db.scalars(query)).all()}


async def check_receipt(uow: Uow, actor: Actor, file_id: uuid.UUID, field: str) -> None:
    """The file is one the actor uploaded in this tenant; else 422, as for an unknown id."""
    try:
        info = await get_file(uow, file_id)
    except NotFound:
        raise Invalid(field, "no such file: upload the receipt first") from None
    if info.created_by != actor.user_id:
        raise Invalid(field, "no such file: upload the receipt first")


def check_day(day: date, field: str) -> date:
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    if not EARLIEST <= day <= tomorrow:
        raise Invalid(field, f"must be a day from {EARLIEST} to today")
    return day


async def check_line(
    uow: Uow,
    actor: Actor,
    values: LineValues,
    categories: dict[uuid.UUID, ExpenseCategory],
    prefix: str = "",
    *,
    receipt_changed: bool = True,
    keep_category: uuid.UUID | None = None,
) -> LineValues:
    """The line's values, normalised; 422 naming ``prefix`` + the field otherwise.

    ``categories`` holds at least the line's category if it exists in this tenant. A line
    changed later may keep its category (``keep_category``) even once it is archived.
    """
    category = categories.get(values.category_id)
    if category is None:
        raise Invalid(f"{prefix}category_id", "no such expense category")
    if not category.active and category.id != keep_category:
        raise Invalid(f"{prefix}category_id", f"the category {category.name!r} is archived")
    currency = checked_currency(values.currency, f"{prefix}currency")
    if category.only_in_currency and currency != category.currency:
        raise Invalid(
            f"{prefix}currency",
            f"expenses of {category.name!r} are claimed in {category.currency} only",
        )
    amount = checked_amount(values.amount, currency, f"{prefix}amount")
    check_day(values.spent_on, f"{prefix}spent_on")
    description = values.description.strip()
    if values.receipt_file_id is not None and receipt_changed:
        await check_receipt(uow, actor, values.receipt_file_id, f"{prefix}receipt_file_id")
    return LineValues(
        category.id, values.spent_on, amount, currency, description, values.receipt_file_id
    )


def new_line(tenant_id: uuid.UUID, claim_id: uuid.UUID, values: LineValues) -> ExpenseLine:
    return ExpenseLine(
        tenant_id=tenant_id,
        claim_id=claim_id,
        category_id=values.category_id,
        spent_on=values.spent_on,
        amount=values.amount,
        currency=values.currency,
        description=values.description,
        receipt_file_id=values.receipt_file_id,
        over_limit=False,
    )


async def lines_of(db: AsyncSession, claim_id: uuid.UUID) -> list[ExpenseLine]:
    """A claim's lines in the order they were entered."""
    query = (
        select(ExpenseLine)
        .where(ExpenseLine.claim_id == claim_id)
        .order_by(ExpenseLine.id)
        # Lines changed in this transaction are read back as stored (updated_at included).
        .execution_options(populate_existing=True)
    )
    return list((await db.scalars(query)).all())
