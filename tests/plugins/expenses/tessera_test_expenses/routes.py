"""The expenses API, mounted by the platform under /api/v1/expenses."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select

from tessera.plugin import Actor, Input, Invalid, Member, NotFound, Uow, requires, visible_to
from tessera_test_expenses.models import Claim

WRITE = "expenses.claim.write"
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
MAX_AMOUNT = Decimal("999999999999.99")
Department = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
Status = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]


class ClaimIn(Input):
    title: Title
    amount: Decimal
    department: Department


class ClaimPatch(Input):
    title: Title | None = None
    amount: Decimal | None = None
    department: Department | None = None
    status: Status | None = None


class ClaimOut(msgspec.Struct):
    id: uuid.UUID
    title: str
    amount: Decimal
    department: str
    status: str
    owner_id: uuid.UUID | None


def _checked(amount: Decimal | None) -> Decimal | None:
    if amount is not None and not (0 <= amount <= MAX_AMOUNT and amount == round(amount, 2)):
        raise Invalid("amount", f"must be from 0 to {MAX_AMOUNT}, in cents")
    return amount


def _out(claim: Claim) -> ClaimOut:
    return ClaimOut(
        claim.id, claim.title, claim.amount, claim.department, claim.status, claim.owner_id
    )


async def _get(uow: Uow, actor: Actor, claim_id: uuid.UUID) -> Claim:
    query = select(Claim).where(Claim.id == claim_id, visible_to(actor, WRITE, Claim.owner_id))
    claim = (await uow.db.execute(query)).scalar_one_or_none()
    if claim is None:
        raise NotFound("No such claim.")
    return claim


class ClaimsController(Controller):
    path = "/claims"

    @post("/", status_code=HTTP_201_CREATED, opt=requires(WRITE))
    async def create(self, data: JSONBody[ClaimIn], actor: Member, uow: Uow) -> ClaimOut:
        claim = Claim(
            tenant_id=actor.tenant_id,
            title=data.title,
            amount=_checked(data.amount),
            department=data.department,
            owner_id=actor.user_id,
        )
        uow.db.add(claim)
        await uow.db.flush()
        return _out(claim)

    @get("/{claim_id:uuid}", opt=requires(WRITE))
    async def get_claim(self, claim_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> ClaimOut:
        return _out(await _get(uow, actor, claim_id))

    @patch("/{claim_id:uuid}", opt=requires(WRITE))
    async def update(
        self, claim_id: FromPath[uuid.UUID], data: JSONBody[ClaimPatch], actor: Member, uow: Uow
    ) -> ClaimOut:
        claim = await _get(uow, actor, claim_id)
        _checked(data.amount)
        for name in ("title", "amount", "department", "status"):
            value = getattr(data, name)
            if value is not None:
                setattr(claim, name, value)
        # The platform refuses here, with 409, changes to fields an approval guards.
        await uow.db.flush()
        return _out(claim)

    @delete("/{claim_id:uuid}", status_code=HTTP_200_OK, opt=requires(WRITE))
    async def remove(self, claim_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await uow.db.delete(await _get(uow, actor, claim_id))
        await uow.db.flush()
