"""Expense claims over HTTP: /api/v1/oa/expenses/claims. The rules are in expense_claims and
expense_flow; these routes translate."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select

from tessera.plugin import (
    DEFAULT_LIMIT,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    requires,
)
from tessera_oa.expense_access import get_readable, readable
from tessera_oa.expense_claims import (
    ClaimIn,
    ClaimOut,
    ClaimPatch,
    change_claim,
    checked_member,
    claims_out,
    create_claim,
    day_range,
    delete_claim,
    one_claim_out,
)
from tessera_oa.expense_flow import OptionalPay, PayIn, pay_claim, submit_claim, withdraw_claim
from tessera_oa.expense_models import PAY, STATUSES, SUBMIT, ExpenseClaim

SORTING = Sorting(
    {
        "title": ExpenseClaim.title,
        "created_at": ExpenseClaim.created_at,
        "submitted_at": ExpenseClaim.submitted_at,
        "updated_at": ExpenseClaim.updated_at,
    },
    ExpenseClaim.id,
    default="-created_at",
)
StatusFilter = Annotated[str | None, QueryParameter(pattern=f"^({'|'.join(STATUSES)})$")]
UserFilter = Annotated[uuid.UUID | None, QueryParameter(description="One member's (user id)")]
OverLimitFilter = Annotated[bool | None, QueryParameter(description="Over a limit (or not)")]
DayFrom = Annotated[date | None, QueryParameter(description="Submitted on or after this day")]
DayTo = Annotated[date | None, QueryParameter(description="Submitted on or before this day")]
Search = Annotated[str | None, QueryParameter(max_length=200, description="Part of the title")]


class ClaimsController(Controller):
    path = "/expenses/claims"
    tags = ["oa"]

    @get("/", summary="Expense claims you may see", opt=requires(SUBMIT))
    async def list_claims(
        self,
        actor: Member,
        uow: Uow,
        status: StatusFilter = None,
        user_id: UserFilter = None,
        over_limit: OverLimitFilter = None,
        submitted_at_from: DayFrom = None,
        submitted_at_to: DayTo = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[ClaimOut]:
        await checked_member(uow.db, user_id, "user_id")
        where = day_range(
            ExpenseClaim.submitted_at, submitted_at_from, submitted_at_to, "submitted_at"
        )
        if status is not None:
            where.append(ExpenseClaim.status == status)
        if user_id is not None:
            where.append(ExpenseClaim.user_id == user_id)
        if over_limit is not None:
            where.append(ExpenseClaim.over_limit.is_(over_limit))
        if q:
            where.append(ExpenseClaim.title.icontains(q, autoescape=True))
        query = select(ExpenseClaim).where(readable(actor, ExpenseClaim), *where)
        page = SORTING.page(query, sort, cursor, limit)
        rows = list((await uow.db.scalars(page.query)).all())
        shown = await claims_out(uow.db, rows[:limit])
        return page.of(rows, lambda claim: shown[claim.id])

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Start a claim (a draft), with its lines if you have them",
        opt=requires(SUBMIT),
    )
    async def create(self, data: JSONBody[ClaimIn], actor: Member, uow: Uow) -> ClaimOut:
        return await one_claim_out(uow.db, await create_claim(uow, actor, data))

    @get("/{claim_id:uuid}", summary="One claim with its lines and totals", opt=requires(SUBMIT))
    async def get_one(self, claim_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> ClaimOut:
        claim = await get_readable(uow.db, actor, ExpenseClaim, claim_id)
        return await one_claim_out(uow.db, claim)

    @patch(
        "/{claim_id:uuid}",
        summary="Change your draft: title, description, the advance deducted",
        opt=requires(SUBMIT),
    )
    async def change(
        self,
        claim_id: FromPath[uuid.UUID],
        data: JSONBody[ClaimPatch],
        actor: Member,
        uow: Uow,
    ) -> ClaimOut:
        return await one_claim_out(uow.db, await change_claim(uow, actor, claim_id, data))

    @delete(
        "/{claim_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete your draft (to the recycle bin, with its lines)",
        opt=requires(SUBMIT),
    )
    async def remove(self, claim_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_claim(uow, actor, claim_id)

    @post(
        "/{claim_id:uuid}/submit",
        status_code=HTTP_200_OK,
        summary="Submit your draft for approval",
        opt=requires(SUBMIT),
    )
    async def submit(self, claim_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> ClaimOut:
        return await one_claim_out(uow.db, await submit_claim(uow, actor, claim_id))

    @post(
        "/{claim_id:uuid}/withdraw",
        status_code=HTTP_200_OK,
        summary="Take your claim back to draft before an approver decides",
        opt=requires(SUBMIT),
    )
    async def withdraw(self, claim_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> ClaimOut:
        return await one_claim_out(uow.db, await withdraw_claim(uow, actor, claim_id))

    @post(
        "/{claim_id:uuid}/pay",
        status_code=HTTP_200_OK,
        summary="Record that an approved claim was paid",
        opt=requires(PAY),
    )
    async def pay(
        self,
        claim_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        data: OptionalPay = None,
    ) -> ClaimOut:
        claim = await pay_claim(uow, actor, claim_id, data or PayIn())
        return await one_claim_out(uow.db, claim)
