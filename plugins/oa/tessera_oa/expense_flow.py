"""A claim's way: draft -> submitted -> approved or rejected -> paid.

Submitting checks the claim (lines, receipts where required, its advance), marks what is over
a limit, and starts the tenant's workflow for claims on the platform's engine, all in one
transaction: a refusal anywhere (a missing receipt, no manager to approve) leaves the draft as
it was. The member withdraws a submitted claim through the engine, only before any approver
has decided. The engine's outcome comes back through its events
(:mod:`tessera_oa.expense_approval`). An approved claim is paid by finance.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

import msgspec
from litestar.params import Body
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    Actor,
    Input,
    Invalid,
    Uow,
    emit,
    notify,
    submit_for_approval,
    withdraw_approval,
)
from tessera_oa.expense_access import CLAIM_TYPE, get_own, get_readable, locked, require_status
from tessera_oa.expense_limits import lock_member, over_limit, require_receipts
from tessera_oa.expense_lines import categories_by_id, lines_of
from tessera_oa.expense_models import ExpenseAdvance, ExpenseClaim, ExpenseLine
from tessera_oa.expense_outcomes import claim_payload, conclude_claim

Reference = Annotated[str, msgspec.Meta(max_length=120)]


class PayIn(Input):
    #: The bank transfer's or voucher's reference, for the books.
    reference: Reference | None = None


OptionalPay = Annotated[PayIn | None, Body(description="Optional: the payment's reference")]


async def _check_advance(uow: Uow, claim: ExpenseClaim, lines: list[ExpenseLine]) -> None:
    """The advance is still paid out, and the claim has expenses in its currency."""
    if claim.advance_id is None:
        return
    advance = await uow.db.get(ExpenseAdvance, (claim.tenant_id, claim.advance_id))
    if advance is None or advance.status != "paid":
        raise Invalid("advance_id", "the advance is no longer one paid out")
    if advance.currency not in {line.currency for line in lines}:
        raise Invalid(
            "advance_id",
            f"the advance is in {advance.currency}, and the claim has no expenses in it",
        )


async def _mark_limits(uow: Uow, claim: ExpenseClaim, lines: list[ExpenseLine]) -> None:
    categories = await categories_by_id(uow.db, [line.category_id for line in lines])
    require_receipts(lines, categories)
    over = await over_limit(uow.db, claim, lines, categories)
    for line in lines:
        line.over_limit = line.id in over
    claim.over_limit = bool(over)
    claim.line_count = len(lines)
    # The engine reads over_limit for its conditions: it must be in the database first.
    await uow.db.flush()


async def submit_claim(uow: Uow, actor: Actor, claim_id: uuid.UUID) -> ExpenseClaim:
    claim = await get_own(uow.db, actor, ExpenseClaim, claim_id, doing="submit")
    require_status(claim, "draft", "submit")
    # Monthly limits count the member's other submitted claims: one submission at a time.
    await lock_member(uow.db, actor.tenant, claim.user_id)
    lines = await lines_of(uow.db, claim.id)
    if not lines:
        raise Invalid("lines", "a claim needs at least one line")
    await _check_advance(uow, claim, lines)
    await _mark_limits(uow, claim, lines)
    approval = await submit_for_approval(uow.db, actor, CLAIM_TYPE, claim.id)
    claim.status, claim.approval_id = "submitted", approval.id
    claim.submitted_at, claim.decided_at = datetime.now(UTC), None
    await uow.db.flush()
    await emit(uow.db, actor.tenant, "oa.expense.submitted", await claim_payload(uow.db, claim))
    if approval.status == "approved":  # no step of the workflow applies to this claim
        await conclude_claim(uow.db, claim, "approved", by=actor.user_id)
    return claim


async def withdraw_claim(uow: Uow, actor: Actor, claim_id: uuid.UUID) -> ExpenseClaim:
    """Back to draft, through the engine (409 once an approver has decided)."""
    claim = await get_own(uow.db, actor, ExpenseClaim, claim_id, doing="withdraw")
    require_status(claim, "submitted", "withdraw")
    if claim.approval_id is not None:
        await withdraw_approval(uow.db, actor, claim.approval_id)
    await conclude_claim(uow.db, claim, "withdrawn", by=actor.user_id)
    return claim


async def pay_claim(uow: Uow, actor: Actor, claim_id: uuid.UUID, data: PayIn) -> ExpenseClaim:
    """Finance paid the approved claim's net amounts to the member."""
    claim = await locked(uow.db, await get_readable(uow.db, actor, ExpenseClaim, claim_id))
    require_status(claim, "approved", "pay")
    claim.status, claim.paid_at, claim.paid_by = "paid", datetime.now(UTC), actor.user_id
    claim.payment_reference = (data.reference or "").strip() or None
    await uow.db.flush()
    await emit(uow.db, actor.tenant, "oa.expense.paid", await claim_payload(uow.db, claim))
    await _tell_paid(uow.db, claim)
    return claim


async def _tell_paid(db: AsyncSession, claim: ExpenseClaim) -> None:
    await notify(
        db,
        claim.tenant_id,
        [claim.user_id],
        "oa.expense_paid",
        f"Your expense claim {claim.title!r} was paid",
        link=f"/oa/expenses/claims/{claim.id}",
    )
