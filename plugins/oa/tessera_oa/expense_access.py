"""Who reaches which claims and advances, and who may change them.

Reading: the member's own (``oa.expense.submit`` is scoped, so a custom role may widen it to a
team or to all), everyone's for holders of ``oa.expense.manage`` or ``oa.expense.pay``
(finance pays what others claimed), and those an approver is asked to decide on. Records
outside answer 404, so ids cannot be probed. Changing, submitting and withdrawing: the member
whose claim or advance it is (403 for others who may read it); a draft advance also by whoever
recorded it for them.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, Conflict, Forbidden, NotFound, approver_of, visible_to
from tessera_oa.expense_models import (
    MANAGE,
    PAY,
    SUBMIT,
    ExpenseAdvance,
    ExpenseClaim,
)

CLAIM_TYPE = "oa.expense_claim"
ADVANCE_TYPE = "oa.expense_advance"
Record = TypeVar("Record", ExpenseClaim, ExpenseAdvance)
#: Record type -> (its model, what people call it).
KINDS: dict[str, tuple[type[Any], str]] = {
    CLAIM_TYPE: (ExpenseClaim, "claim"),
    ADVANCE_TYPE: (ExpenseAdvance, "advance"),
}
KINDS_BY_MODEL: dict[type[Any], str] = {model: noun for model, noun in KINDS.values()}


def sees_all(actor: Actor) -> bool:
    return actor.can(MANAGE) or actor.can(PAY)


def readable(actor: Actor, model: type[Record]) -> ColumnElement[bool]:
    """SQL: the claims (or advances) the actor may read."""
    if sees_all(actor):
        return true()
    record_type = CLAIM_TYPE if model is ExpenseClaim else ADVANCE_TYPE
    return or_(visible_to(actor, SUBMIT, model.user_id), approver_of(actor, record_type, model.id))


async def get_readable(
    db: AsyncSession, actor: Actor, model: type[Record], record_id: uuid.UUID
) -> Record:
    query = select(model).where(model.id == record_id, readable(actor, model))
    record = (await db.scalars(query)).one_or_none()
    if record is None:
        raise NotFound(f"No such {KINDS_BY_MODEL[model]}.")
    return record


async def locked(db: AsyncSession, record: Record) -> Record:
    """The record again, locked until the transaction ends: its state as of the lock."""
    await db.refresh(record, with_for_update=True)
    return record


async def get_own(
    db: AsyncSession,
    actor: Actor,
    model: type[Record],
    record_id: uuid.UUID,
    *,
    doing: str,
    recorder_too: bool = False,
) -> Record:
    """The actor's own claim or advance, locked; 403 if they may only read it.

    ``recorder_too``: whoever recorded an advance for the member may change it as well.
    """
    record = await get_readable(db, actor, model, record_id)
    owners = {record.user_id}
    if recorder_too and isinstance(record, ExpenseAdvance) and record.created_by is not None:
        owners.add(record.created_by)
    if actor.user_id not in owners:
        raise Forbidden(f"Only the member whose {KINDS_BY_MODEL[model]} it is can {doing} it.")
    return await locked(db, record)


#: What is done to a claim or an advance, as "only a draft one can be ...".
DONE = {
    "change": "changed",
    "delete": "deleted",
    "submit": "submitted",
    "withdraw": "withdrawn",
    "pay": "paid",
}


def require_status(record: ExpenseClaim | ExpenseAdvance, wanted: str, doing: str) -> None:
    """409 unless the record is in the ``wanted`` status for ``doing`` (a verb of DONE)."""
    if record.status != wanted:
        noun = "claim" if isinstance(record, ExpenseClaim) else "advance"
        raise Conflict(f"The {noun} is {record.status}: only a {wanted} one can be {DONE[doing]}.")
