"""The CRM records activities can be about: the one list to extend with a new record type."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from tessera.plugin import Actor, Invalid, Uow, visible_to
from tessera_crm.accounts import READ as ACCOUNT_READ
from tessera_crm.contacts import READ as CONTACT_READ
from tessera_crm.deals import READ as DEAL_READ
from tessera_crm.models import Account, Contact, Deal, Ticket
from tessera_crm.records import owner_column
from tessera_crm.tickets import READ as TICKET_READ


@dataclass(frozen=True, slots=True)
class RecordType:
    model: type[Any]
    #: The permission whose record rule decides who may attach activities to such a record.
    read: str
    #: The account a record belongs to, for the account's timeline (None: no account).
    account_of: Callable[[Any], uuid.UUID | None]


RECORD_TYPES: dict[str, RecordType] = {
    "account": RecordType(Account, ACCOUNT_READ, lambda account: account.id),
    "contact": RecordType(Contact, CONTACT_READ, lambda contact: contact.account_id),
    "deal": RecordType(Deal, DEAL_READ, lambda deal: deal.account_id),
    "ticket": RecordType(Ticket, TICKET_READ, lambda ticket: ticket.account_id),
}


async def checked_record(
    uow: Uow, actor: Actor, record_type: str, record_id: uuid.UUID
) -> uuid.UUID | None:
    """Check that the record exists and the actor may see it; its account's id."""
    kind = RECORD_TYPES.get(record_type)
    if kind is None:
        raise Invalid("record_type", f"is one of {', '.join(RECORD_TYPES)}")
    model = kind.model
    query = select(model).where(
        model.id == record_id, visible_to(actor, kind.read, owner_column(model))
    )
    record = (await uow.db.execute(query)).scalar_one_or_none()
    if record is None:
        raise Invalid("record_id", f"no such {record_type}")
    return kind.account_of(record)
