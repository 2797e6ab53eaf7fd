"""Expense claims: a member's draft with its lines, perhaps less a cash advance.

A claim is made and changed as a draft by its member; its way on from there (submit,
withdraw, the approval's outcome, payment) is in :mod:`tessera_oa.expense_flow`.

An advance is deducted from one claim at most: setting ``advance_id`` locks the advance's row,
so of two claims taking the same advance at once the second waits, then finds it taken (409);
the database's unique key on the claim's ``advance_id`` backs this up.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    Actor,
    Conflict,
    Input,
    Invalid,
    Uow,
    delete_file,
    is_member,
)
from tessera_oa.expense_access import get_own, require_status
from tessera_oa.expense_lines import (
    MAX_LINES,
    LineIn,
    LineOut,
    LineValues,
    categories_by_id,
    check_line,
    line_out,
    lines_of,
    new_line,
)
from tessera_oa.expense_models import ExpenseAdvance, ExpenseClaim, ExpenseLine
from tessera_oa.expense_totals import TotalOut, summary, totals

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
ClaimDescription = Annotated[str, msgspec.Meta(max_length=2000)]


class ClaimIn(Input):
    title: Title
    description: ClaimDescription = ""
    #: A paid cash advance of the member's to deduct.
    advance_id: uuid.UUID | None = None
    lines: Annotated[list[LineIn], msgspec.Meta(max_length=MAX_LINES)] = msgspec.field(
        default_factory=list
    )


class ClaimPatch(Input):
    title: Title | None = None
    description: ClaimDescription | None = None
    #: null: deduct no advance.
    advance_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET


class ClaimOut(msgspec.Struct):
    id: uuid.UUID
    user_id: uuid.UUID
    title: str
    description: str
    #: draft, submitted, approved, rejected or paid
    status: str
    over_limit: bool
    line_count: int
    advance_id: uuid.UUID | None
    approval_id: uuid.UUID | None
    submitted_at: datetime | None
    decided_at: datetime | None
    paid_at: datetime | None
    paid_by: uuid.UUID | None
    payment_reference: str | None
    #: Per currency: the lines' total, the advance deducted, what is left to pay.
    totals: list[TotalOut]
    #: The totals on one line, for lists: "120.50 CNY + 30.00 USD".
    total_summary: str
    created_at: datetime
    updated_at: datetime
    #: The lines, on the claim's own page (not in lists).
    lines: list[LineOut] | None = None


def claim_out(
    claim: ExpenseClaim,
    lines: list[ExpenseLine],
    advance: ExpenseAdvance | None,
    *,
    with_lines: bool,
) -> ClaimOut:
    found = totals(lines, advance)
    return ClaimOut(
        id=claim.id,
        user_id=claim.user_id,
        title=claim.title,
        description=claim.description,
        status=claim.status,
        over_limit=claim.over_limit,
        line_count=len(lines),
        advance_id=claim.advance_id,
        approval_id=claim.approval_id,
        submitted_at=claim.submitted_at,
        decided_at=claim.decided_at,
        paid_at=claim.paid_at,
        paid_by=claim.paid_by,
        payment_reference=claim.payment_reference,
        totals=found,
        total_summary=summary(found),
        created_at=claim.created_at,
        updated_at=claim.updated_at,
        lines=[line_out(line) for line in lines] if with_lines else None,
    )


async def one_claim_out(db: AsyncSession, claim: ExpenseClaim) -> ClaimOut:
    # Read back as stored: updated_at and the like are the database's after a change.
    await db.refresh(claim)
    advance = None
    if claim.advance_id is not None:
        advance = await db.get(ExpenseAdvance, (claim.tenant_id, claim.advance_id))
    return claim_out(claim, await lines_of(db, claim.id), advance, with_lines=True)


async def claims_out(db: AsyncSession, claims: list[ExpenseClaim]) -> dict[uuid.UUID, ClaimOut]:
    """A page of claims with their totals: two queries whatever the page's size."""
    ids = [claim.id for claim in claims]
    by_claim: dict[uuid.UUID, list[ExpenseLine]] = defaultdict(list)
    if ids:
        query = select(ExpenseLine).where(ExpenseLine.claim_id.in_(ids)).order_by(ExpenseLine.id)
        for line in (await db.scalars(query)).all():
            by_claim[line.claim_id].append(line)
    advance_ids = [claim.advance_id for claim in claims if claim.advance_id is not None]
    advances: dict[uuid.UUID, ExpenseAdvance] = {}
    if advance_ids:
        query_advances = select(ExpenseAdvance).where(ExpenseAdvance.id.in_(advance_ids))
        advances = {a.id: a for a in (await db.scalars(query_advances)).all()}
    return {
        claim.id: claim_out(
            claim,
            by_claim[claim.id],
            advances.get(claim.advance_id) if claim.advance_id else None,
            with_lines=False,
        )
        for claim in claims
    }


# --- Advances deducted ----------------------------------------------------------------------


async def take_advance(db: AsyncSession, claim: ExpenseClaim, advance_id: uuid.UUID) -> None:
    """Deduct the advance from this draft claim: the member's own, paid out, and not already
    deducted from another claim (409; checked under the advance's row lock)."""
    query = select(ExpenseAdvance).where(ExpenseAdvance.id == advance_id).with_for_update()
    advance = (await db.scalars(query)).one_or_none()
    if advance is None or advance.user_id != claim.user_id:
        raise Invalid("advance_id", "no such advance of the claimant")
    if advance.status != "paid":
        raise Invalid(
            "advance_id", f"the advance is {advance.status}: only one paid out is deducted"
        )
    taken = await db.scalar(
        select(ExpenseClaim.title).where(
            ExpenseClaim.advance_id == advance.id, ExpenseClaim.id != claim.id
        )
    )
    if taken is not None:
        raise Conflict(f"The advance is already deducted from the claim {taken!r}.")
    claim.advance_id = advance.id


# --- Drafts ---------------------------------------------------------------------------------


async def create_claim(uow: Uow, actor: Actor, data: ClaimIn) -> ExpenseClaim:
    db = uow.db
    title = " ".join(data.title.split())
    if not title:
        raise Invalid("title", "must not be blank")
    categories = await categories_by_id(db, [line.category_id for line in data.lines])
    checked = [
        await check_line(uow, actor, LineValues.of(line), categories, f"lines[{index}].")
        for index, line in enumerate(data.lines)
    ]
    claim = ExpenseClaim(
        tenant_id=actor.tenant,
        user_id=actor.user_id,
        title=title,
        description=data.description.strip(),
        status="draft",
        over_limit=False,
        line_count=len(checked),
    )
    db.add(claim)
    await db.flush()
    if data.advance_id is not None:
        await take_advance(db, claim, data.advance_id)
    db.add_all(new_line(actor.tenant, claim.id, values) for values in checked)
    await db.flush()
    return claim


async def own_draft(uow: Uow, actor: Actor, claim_id: uuid.UUID, doing: str) -> ExpenseClaim:
    """The actor's own claim, locked, which must still be a draft (409 otherwise)."""
    claim = await get_own(uow.db, actor, ExpenseClaim, claim_id, doing=doing)
    require_status(claim, "draft", doing)
    return claim


async def change_claim(
    uow: Uow, actor: Actor, claim_id: uuid.UUID, data: ClaimPatch
) -> ExpenseClaim:
    claim = await own_draft(uow, actor, claim_id, "change")
    if data.title is not None:
        title = " ".join(data.title.split())
        if not title:
            raise Invalid("title", "must not be blank")
        claim.title = title
    if data.description is not None:
        claim.description = data.description.strip()
    if not isinstance(data.advance_id, msgspec.UnsetType):
        if data.advance_id is None:
            claim.advance_id = None
        elif data.advance_id != claim.advance_id:
            await take_advance(uow.db, claim, data.advance_id)
    await uow.db.flush()
    await uow.db.refresh(claim)
    return claim


async def delete_claim(uow: Uow, actor: Actor, claim_id: uuid.UUID) -> None:
    """A draft goes to the recycle bin with its lines (and the receipts they hold)."""
    claim = await own_draft(uow, actor, claim_id, "delete")
    await uow.db.delete(claim)
    await uow.db.flush()


# --- Lists ----------------------------------------------------------------------------------


async def checked_member(db: AsyncSession, user_id: uuid.UUID | None, field: str) -> None:
    """A member filter names a member of this tenant (422 otherwise, another tenant's too)."""
    if user_id is not None and not await is_member(db, user_id):
        raise Invalid(field, "is not a member of this tenant")


def day_range(column: Any, start: date | None, end: date | None, field: str) -> list[Any]:
    """Conditions for ``start <= column's day <= end`` (UTC days), checked."""
    if start is not None and end is not None and end < start:
        raise Invalid(f"{field}_to", f"must not be before {field}_from")
    found = []
    if start is not None:
        found.append(column >= datetime.combine(start, time.min, UTC))
    if end is not None:
        found.append(column < datetime.combine(end + timedelta(days=1), time.min, UTC))
    return found


async def drop_receipt(uow: Uow, file_id: uuid.UUID | None) -> None:
    """The plugin is done with a receipt: it goes if nothing else holds it."""
    if file_id is not None:
        await delete_file(uow, file_id)
