"""Every event CRM emits, with its payload: what other modules and webhooks can rely on."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import TypedDict

from tessera.plugin import EventType


class AccountCreated(TypedDict):
    account_id: uuid.UUID


class AccountMerged(TypedDict):
    #: The survivor.
    account_id: uuid.UUID
    #: The duplicate, now in the recycle bin.
    merged_id: uuid.UUID
    #: Links moved to the survivor, by ``table.column``.
    moved: dict[str, int]


class ContactMerged(TypedDict):
    contact_id: uuid.UUID
    merged_id: uuid.UUID
    moved: dict[str, int]


class Imported(TypedDict):
    created: int
    skipped: int


class LeadCreated(TypedDict):
    lead_id: uuid.UUID
    owner_id: uuid.UUID | None
    source: str


class LeadConverted(TypedDict):
    lead_id: uuid.UUID
    account_id: uuid.UUID
    contact_id: uuid.UUID
    deal_id: uuid.UUID | None
    owner_id: uuid.UUID


class LeadClaimed(TypedDict):
    lead_id: uuid.UUID
    owner_id: uuid.UUID


class LeadLeftOwner(TypedDict):
    lead_id: uuid.UUID
    previous_owner_id: uuid.UUID | None


class LeadAssigned(TypedDict):
    lead_id: uuid.UUID
    owner_id: uuid.UUID | None
    previous_owner_id: uuid.UUID | None


class DealClosed(TypedDict):
    deal_id: uuid.UUID
    name: str
    account_id: uuid.UUID | None
    amount: Decimal
    currency: str
    #: Percent off the amount.
    discount: Decimal
    owner_id: uuid.UUID | None


class DealLine(TypedDict):
    sku: str | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal


class DealWon(DealClosed):
    account_name: str | None
    lines: list[DealLine]


class DealLost(DealClosed):
    reason: str


class TicketFacts(TypedDict):
    ticket_id: uuid.UUID
    subject: str
    #: low, normal, high or urgent
    priority: str
    account_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    sla_due_at: datetime


EVENT_TYPES = (
    EventType("crm.account.created", "An account was created", AccountCreated),
    EventType("crm.account.merged", "A duplicate account was merged into another", AccountMerged),
    EventType("crm.account.imported", "Accounts were imported from a file", Imported),
    EventType("crm.contact.merged", "A duplicate contact was merged into another", ContactMerged),
    EventType("crm.contact.imported", "Contacts were imported from a file", Imported),
    EventType("crm.lead.created", "A lead was created", LeadCreated),
    EventType("crm.lead.imported", "Leads were imported from a file", Imported),
    EventType(
        "crm.lead.converted",
        "A lead became an account, a contact and perhaps a deal",
        LeadConverted,
    ),
    EventType("crm.lead.claimed", "A salesperson took a lead from the pool", LeadClaimed),
    EventType("crm.lead.released", "A salesperson gave a lead back to the pool", LeadLeftOwner),
    EventType("crm.lead.assigned", "A lead was given to a salesperson", LeadAssigned),
    EventType(
        "crm.lead.returned",
        "A lead left untouched too long went back to the pool by itself",
        LeadLeftOwner,
    ),
    EventType("crm.deal.won", "A deal was won: with its account and lines", DealWon),
    EventType("crm.deal.lost", "A deal was lost, and why", DealLost),
    EventType("crm.ticket.created", "A support ticket was opened", TicketFacts),
    EventType("crm.ticket.breached", "A ticket passed its SLA due time unresolved", TicketFacts),
)
