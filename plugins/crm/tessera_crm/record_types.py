"""The CRM records activities can be about: the one list to extend with a new record type."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, Invalid, Uow, visible_to
from tessera_crm.accounts import READ as ACCOUNT_READ
from tessera_crm.contacts import READ as CONTACT_READ
from tessera_crm.deals import READ as DEAL_READ
from tessera_crm.leads import readable as readable_leads
from tessera_crm.leads import touch_lead
from tessera_crm.models import Account, Contact, Deal, Lead, Ticket
from tessera_crm.records import owner_column
from tessera_crm.tickets import READ as TICKET_READ

Rule = Callable[[Actor], ColumnElement[bool]]


@dataclass(frozen=True, slots=True)
class RecordType:
    model: type[Any]
    #: Which of these records an actor may attach activities to: those they may see.
    visible: Rule
    #: The account a record belongs to, for the account's timeline (None: no account).
    account_of: Callable[[Any], uuid.UUID | None]
    #: Told when work on a record is logged or done (a lead's return-to-pool clock restarts).
    worked_on: Callable[[AsyncSession, uuid.UUID], Awaitable[None]] | None = None


def rule(permission: str, model: type[Any]) -> Rule:
    """The record rule of ``permission`` over ``model``'s owner."""
    return lambda actor: visible_to(actor, permission, owner_column(model))


RECORD_TYPES: dict[str, RecordType] = {
    "account": RecordType(Account, rule(ACCOUNT_READ, Account), lambda account: account.id),
    "contact": RecordType(Contact, rule(CONTACT_READ, Contact), lambda contact: contact.account_id),
    "deal": RecordType(Deal, rule(DEAL_READ, Deal), lambda deal: deal.account_id),
    "ticket": RecordType(Ticket, rule(TICKET_READ, Ticket), lambda ticket: ticket.account_id),
    "lead": RecordType(
        Lead, readable_leads, lambda lead: lead.converted_account_id, worked_on=touch_lead
    ),
}


async def checked_record(
    uow: Uow, actor: Actor, record_type: str, record_id: uuid.UUID
) -> uuid.UUID | None:
    """Check that the record exists and the actor may see it; its account's id."""
    kind = RECORD_TYPES.get(record_type)
    if kind is None:
        raise Invalid("record_type", f"is one of {', '.join(RECORD_TYPES)}")
    query = select(kind.model).where(kind.model.id == record_id, kind.visible(actor))
    record = (await uow.db.execute(query)).scalar_one_or_none()
    if record is None:
        raise Invalid("record_id", f"no such {record_type}")
    return kind.account_of(record)


async def worked_on(uow: Uow, record_type: str, record_id: uuid.UUID) -> None:
    """Tell the record's module that work on it was logged, if it wants to know."""
    kind = RECORD_TYPES.get(record_type)
    if kind is not None and kind.worked_on is not None:
        await kind.worked_on(uow.db, record_id)
