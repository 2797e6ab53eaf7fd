"""Cash advances: money handed to a member before they spend it, deducted later from a claim.

Mounted under /api/v1/oa/expenses/advances. An advance goes the way a claim does — draft,
submitted (approved on the workflow engine), approved or rejected, paid by finance — and once
paid, one claim of the member's may deduct it (``advance_id`` on the claim). A manager of
expenses may record a draft for a member (``user_id``); the member submits it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Forbidden,
    Input,
    Invalid,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    checked_currency,
    emit,
    is_member,
    notify,
    requires,
    submit_for_approval,
    withdraw_approval,
)
from tessera_oa.currencies import checked_amount
from tessera_oa.expense_access import (
    ADVANCE_TYPE,
    get_own,
    get_readable,
    locked,
    readable,
    require_status,
)
from tessera_oa.expense_claims import checked_member, day_range
from tessera_oa.expense_flow import OptionalPay, PayIn
from tessera_oa.expense_models import MANAGE, PAY, STATUSES, SUBMIT, ExpenseAdvance
from tessera_oa.expense_outcomes import advance_payload, applied_claims, conclude_advance

SORTING = Sorting(
    {
        "created_at": ExpenseAdvance.created_at,
        "submitted_at": ExpenseAdvance.submitted_at,
        "amount": ExpenseAdvance.amount,
    },
    ExpenseAdvance.id,
    default="-created_at",
)
Currency = Annotated[str, msgspec.Meta(min_length=1, max_length=3, description="ISO 4217 code")]
Purpose = Annotated[str, msgspec.Meta(max_length=500)]
StatusFilter = Annotated[str | None, QueryParameter(pattern=f"^({'|'.join(STATUSES)})$")]
UserFilter = Annotated[uuid.UUID | None, QueryParameter(description="One member's (user id)")]
DayFrom = Annotated[date | None, QueryParameter(description="Submitted on or after this day")]
DayTo = Annotated[date | None, QueryParameter(description="Submitted on or before this day")]


class AdvanceIn(Input):
    amount: Decimal
    currency: Currency
    purpose: Purpose = ""
    #: Recording it for another member needs oa.expense.manage; default: yourself.
    user_id: uuid.UUID | None = None


class AdvancePatch(Input):
    amount: Decimal | None = None
    currency: Currency | None = None
    purpose: Purpose | None = None


class AdvanceOut(msgspec.Struct):
    id: uuid.UUID
    user_id: uuid.UUID
    created_by: uuid.UUID | None
    amount: Decimal
    currency: str
    purpose: str
    #: draft, submitted, approved, rejected or paid
    status: str
    approval_id: uuid.UUID | None
    submitted_at: datetime | None
    decided_at: datetime | None
    paid_at: datetime | None
    paid_by: uuid.UUID | None
    payment_reference: str | None
    #: The claim it is deducted from, if one is.
    applied_claim_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


def advance_out(advance: ExpenseAdvance, applied: uuid.UUID | None) -> AdvanceOut:
    return AdvanceOut(
        id=advance.id,
        user_id=advance.user_id,
        created_by=advance.created_by,
        amount=advance.amount,
        currency=advance.currency,
        purpose=advance.purpose,
        status=advance.status,
        approval_id=advance.approval_id,
        submitted_at=advance.submitted_at,
        decided_at=advance.decided_at,
        paid_at=advance.paid_at,
        paid_by=advance.paid_by,
        payment_reference=advance.payment_reference,
        applied_claim_id=applied,
        created_at=advance.created_at,
        updated_at=advance.updated_at,
    )


async def one_advance_out(uow: Uow, advance: ExpenseAdvance) -> AdvanceOut:
    await uow.db.refresh(advance)
    applied = await applied_claims(uow.db, [advance.id])
    return advance_out(advance, applied.get(advance.id))


async def _for_whom(uow: Uow, actor: Actor, user_id: uuid.UUID | None) -> uuid.UUID:
    if user_id is None or user_id == actor.user_id:
        return actor.user_id
    if not actor.can(MANAGE):
        raise Forbidden("Recording an advance for another member needs 'oa.expense.manage'.")
    if not await is_member(uow.db, user_id):
        raise Invalid("user_id", "is not a member of this tenant")
    return user_id


async def create_advance(uow: Uow, actor: Actor, data: AdvanceIn) -> ExpenseAdvance:
    currency = checked_currency(data.currency, "currency")
    advance = ExpenseAdvance(
        tenant_id=actor.tenant,
        user_id=await _for_whom(uow, actor, data.user_id),
        created_by=actor.user_id,
        amount=checked_amount(data.amount, currency, "amount"),
        currency=currency,
        purpose=data.purpose.strip(),
        status="draft",
    )
    uow.db.add(advance)
    await uow.db.flush()
    return advance


async def _own_draft(uow: Uow, actor: Actor, advance_id: uuid.UUID, doing: str) -> ExpenseAdvance:
    advance = await get_own(
        uow.db, actor, ExpenseAdvance, advance_id, doing=doing, recorder_too=True
    )
    require_status(advance, "draft", doing)
    return advance


async def change_advance(
    uow: Uow, actor: Actor, advance_id: uuid.UUID, data: AdvancePatch
) -> ExpenseAdvance:
    advance = await _own_draft(uow, actor, advance_id, "change")
    currency = checked_currency(data.currency or advance.currency, "currency")
    amount = checked_amount(
        data.amount if data.amount is not None else advance.amount, currency, "amount"
    )
    advance.currency, advance.amount = currency, amount
    if data.purpose is not None:
        advance.purpose = data.purpose.strip()
    await uow.db.flush()
    await uow.db.refresh(advance)
    return advance


async def submit_advance(uow: Uow, actor: Actor, advance_id: uuid.UUID) -> ExpenseAdvance:
    advance = await get_own(uow.db, actor, ExpenseAdvance, advance_id, doing="submit")
    require_status(advance, "draft", "submit")
    approval = await submit_for_approval(uow.db, actor, ADVANCE_TYPE, advance.id)
    advance.status, advance.approval_id = "submitted", approval.id
    advance.submitted_at, advance.decided_at = datetime.now(UTC), None
    await uow.db.flush()
    await emit(uow.db, actor.tenant, "oa.expense_advance.submitted", advance_payload(advance))
    if approval.status == "approved":
        await conclude_advance(uow.db, advance, "approved", by=actor.user_id)
    return advance


async def withdraw_advance(uow: Uow, actor: Actor, advance_id: uuid.UUID) -> ExpenseAdvance:
    advance = await get_own(uow.db, actor, ExpenseAdvance, advance_id, doing="withdraw")
    require_status(advance, "submitted", "withdraw")
    if advance.approval_id is not None:
        await withdraw_approval(uow.db, actor, advance.approval_id)
    await conclude_advance(uow.db, advance, "withdrawn", by=actor.user_id)
    return advance


async def pay_advance(uow: Uow, actor: Actor, advance_id: uuid.UUID, data: PayIn) -> ExpenseAdvance:
    advance = await locked(uow.db, await get_readable(uow.db, actor, ExpenseAdvance, advance_id))
    require_status(advance, "approved", "pay")
    advance.status, advance.paid_at, advance.paid_by = "paid", datetime.now(UTC), actor.user_id
    advance.payment_reference = (data.reference or "").strip() or None
    await uow.db.flush()
    await emit(uow.db, actor.tenant, "oa.expense_advance.paid", advance_payload(advance))
    await notify(
        uow.db,
        actor.tenant,
        [advance.user_id],
        "oa.expense_advance_paid",
        f"Your cash advance of {advance.amount:.2f} {advance.currency} was paid",
        link=f"/oa/expenses/advances/{advance.id}",
    )
    return advance


async def delete_advance(uow: Uow, actor: Actor, advance_id: uuid.UUID) -> None:
    advance = await _own_draft(uow, actor, advance_id, "delete")
    await uow.db.delete(advance)
    await uow.db.flush()


class AdvancesController(Controller):
    path = "/expenses/advances"
    tags = ["oa"]

    @get("/", summary="Cash advances you may see", opt=requires(SUBMIT))
    async def list_advances(
        self,
        actor: Member,
        uow: Uow,
        status: StatusFilter = None,
        user_id: UserFilter = None,
        submitted_at_from: DayFrom = None,
        submitted_at_to: DayTo = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[AdvanceOut]:
        await checked_member(uow.db, user_id, "user_id")
        where = day_range(
            ExpenseAdvance.submitted_at, submitted_at_from, submitted_at_to, "submitted_at"
        )
        page = SORTING.page(
            select(ExpenseAdvance).where(readable(actor, ExpenseAdvance), *where),
            sort,
            cursor,
            limit,
        )
        query = page.query
        if status is not None:
            query = query.where(ExpenseAdvance.status == status)
        if user_id is not None:
            query = query.where(ExpenseAdvance.user_id == user_id)
        rows = list((await uow.db.scalars(query)).all())
        applied = await applied_claims(uow.db, [a.id for a in rows])
        return page.of(rows, lambda a: advance_out(a, applied.get(a.id)))

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Record a cash advance (a draft)",
        opt=requires(SUBMIT),
    )
    async def create(self, data: JSONBody[AdvanceIn], actor: Member, uow: Uow) -> AdvanceOut:
        return await one_advance_out(uow, await create_advance(uow, actor, data))

    @get("/{advance_id:uuid}", summary="One cash advance", opt=requires(SUBMIT))
    async def get_one(self, advance_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> AdvanceOut:
        advance = await get_readable(uow.db, actor, ExpenseAdvance, advance_id)
        return await one_advance_out(uow, advance)

    @patch("/{advance_id:uuid}", summary="Change a draft advance", opt=requires(SUBMIT))
    async def change(
        self,
        advance_id: FromPath[uuid.UUID],
        data: JSONBody[AdvancePatch],
        actor: Member,
        uow: Uow,
    ) -> AdvanceOut:
        return await one_advance_out(uow, await change_advance(uow, actor, advance_id, data))

    @delete(
        "/{advance_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a draft advance (to the recycle bin)",
        opt=requires(SUBMIT),
    )
    async def remove(self, advance_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_advance(uow, actor, advance_id)

    @post(
        "/{advance_id:uuid}/submit",
        status_code=HTTP_200_OK,
        summary="Submit your advance for approval",
        opt=requires(SUBMIT),
    )
    async def submit(self, advance_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> AdvanceOut:
        return await one_advance_out(uow, await submit_advance(uow, actor, advance_id))

    @post(
        "/{advance_id:uuid}/withdraw",
        status_code=HTTP_200_OK,
        summary="Withdraw your advance before an approver decides",
        opt=requires(SUBMIT),
    )
    async def withdraw(
        self, advance_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> AdvanceOut:
        return await one_advance_out(uow, await withdraw_advance(uow, actor, advance_id))

    @post(
        "/{advance_id:uuid}/pay",
        status_code=HTTP_200_OK,
        summary="Record that an approved advance was paid out",
        opt=requires(PAY),
    )
    async def pay(
        self,
        advance_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        data: OptionalPay = None,
    ) -> AdvanceOut:
        advance = await pay_advance(uow, actor, advance_id, data or PayIn())
        return await one_advance_out(uow, advance)
