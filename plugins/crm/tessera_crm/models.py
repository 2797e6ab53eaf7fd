"""Accounts (companies), contacts (people), leads, pipelines with their stages, and deals."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, get_args

from sqlalchemy import CheckConstraint, Computed, Index, Integer, Numeric, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, tenant_fk, tenant_unique


def search_vector(*expressions: str) -> Mapped[Any]:
    """A full-text vector PostgreSQL keeps up to date from ``expressions`` (SQL, may be NULL).

    The 'simple' configuration: no stemming, since names are not in one language. Emails are
    indexed whole and split at '@' and '.', so a search for the domain finds them too.
    """
    parts = " || ' ' || ".join(f"coalesce({expression}, '')" for expression in expressions)
    return mapped_column(
        TSVECTOR, Computed(f"to_tsvector('simple'::regconfig, {parts})", persisted=True),
        deferred=True, sort_order=95,
    )  # fmt: skip


def email_words(column: str) -> str:
    return f"translate({column}, '@.', '  ')"


class Account(TenantModel, Timestamps):
    __tablename__ = "crm_account"
    __recycle_permission__ = "crm.account.write"
    __table_args__ = (
        # Record rules compare the owner; duplicate checks look up the keys.
        Index("ix_crm_account_owner", "tenant_id", "owner_id"),
        Index("ix_crm_account_name_key", "tenant_id", "name_key"),
        Index("ix_crm_account_email_key", "tenant_id", "email_key"),
        Index("ix_crm_account_phone_key", "tenant_id", "phone_key"),
        Index("ix_crm_account_search", "tenant_id", "search_vector", postgresql_using="gin"),
        Index("ix_crm_account_name", "tenant_id", "name", "id"),
    )

    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))
    email_key: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_key: Mapped[str | None] = mapped_column(String(40))
    industry: Mapped[str | None] = mapped_column(String(100))
    #: street, city, region, postal_code, country
    address: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[uuid.UUID | None]
    search_vector = search_vector("name", "website", "email", email_words("email"), "phone_key")


class Contact(TenantModel, Timestamps):
    __tablename__ = "crm_contact"
    __recycle_permission__ = "crm.contact.write"
    __table_args__ = (
        # Deleting an account takes its contacts to the recycle bin with it (and back).
        tenant_fk("account_id", "crm_account", ondelete="CASCADE"),
        Index("ix_crm_contact_account", "tenant_id", "account_id"),
        Index("ix_crm_contact_owner", "tenant_id", "owner_id"),
        Index("ix_crm_contact_email_key", "tenant_id", "email_key"),
        Index("ix_crm_contact_phone_key", "tenant_id", "phone_key"),
        Index("ix_crm_contact_search", "tenant_id", "search_vector", postgresql_using="gin"),
        Index("ix_crm_contact_last_name", "tenant_id", "last_name", "id"),
    )

    account_id: Mapped[uuid.UUID | None]
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    email_key: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_key: Mapped[str | None] = mapped_column(String(40))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[uuid.UUID | None]
    search_vector = search_vector(
        "first_name", "last_name", "title", "email", email_words("email"), "phone_key"
    )


class Pipeline(TenantModel, Timestamps):
    """A sales process: its stages in order. A tenant may run several."""

    __tablename__ = "crm_pipeline"
    __recycle_permission__ = "crm.pipeline.manage"
    __table_args__ = (tenant_unique("name"),)

    name: Mapped[str] = mapped_column(String(100))
    #: New deals go here unless they name another.
    is_default: Mapped[bool] = mapped_column(default=False)


class Stage(TenantModel):
    __tablename__ = "crm_stage"
    __table_args__ = (
        tenant_fk("pipeline_id", "crm_pipeline", ondelete="CASCADE"),
        tenant_unique("pipeline_id", "name"),
        CheckConstraint("probability BETWEEN 0 AND 100", name="probability"),
    )

    pipeline_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    #: The chance, in percent, that a deal in this stage is won (for the weighted forecast).
    probability: Mapped[int] = mapped_column(Integer)


class Deal(TenantModel, Timestamps):
    __tablename__ = "crm_deal"
    __recycle_permission__ = "crm.deal.write"
    __table_args__ = (
        tenant_fk("account_id", "crm_account", ondelete="CASCADE"),
        tenant_fk("stage_id", "crm_stage", ondelete="RESTRICT"),
        tenant_fk("pipeline_id", "crm_pipeline", ondelete="RESTRICT"),
        CheckConstraint("amount >= 0", name="amount"),
        CheckConstraint("status IN ('open', 'won', 'lost')", name="status"),
        CheckConstraint("discount BETWEEN 0 AND 100", name="discount"),
        CheckConstraint("approval IN ('none', 'pending', 'approved', 'rejected')", name="approval"),
        Index("ix_crm_deal_owner", "tenant_id", "owner_id"),
        Index("ix_crm_deal_stage", "tenant_id", "stage_id"),
        Index("ix_crm_deal_account", "tenant_id", "account_id"),
        Index("ix_crm_deal_search", "tenant_id", "search_vector", postgresql_using="gin"),
        # Reports pick deals by when they close, are expected to close, or came in.
        Index("ix_crm_deal_closed_at", "tenant_id", "closed_at"),
        Index("ix_crm_deal_expected_close", "tenant_id", "expected_close"),
        Index("ix_crm_deal_pipeline_created", "tenant_id", "pipeline_id", "created_at"),
    )

    name: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[uuid.UUID | None]
    pipeline_id: Mapped[uuid.UUID]
    stage_id: Mapped[uuid.UUID]
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    expected_close: Mapped[date | None]
    #: open, won or lost
    status: Mapped[str] = mapped_column(String(10), default="open")
    lost_reason: Mapped[str | None] = mapped_column(String(500))
    closed_at: Mapped[datetime | None]
    owner_id: Mapped[uuid.UUID | None]
    #: Percent off; above the tenant's discount threshold the deal is won only once approved.
    discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0), server_default="0")
    #: none, pending, approved or rejected: where the approval of the discount stands.
    approval: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    #: The approval (workflow instance) ``approval`` speaks of: outcomes of others are stale.
    approval_id: Mapped[uuid.UUID | None]
    #: The sales order the ERP made of the won deal, as the ERP announced it (no foreign key:
    #: the CRM works without the ERP, and the order may be deleted there).
    sales_order_id: Mapped[uuid.UUID | None]
    sales_order_number: Mapped[str | None] = mapped_column(String(40))
    search_vector = search_vector("name")


class DealLine(TenantModel):
    """What a deal sells, line by line; with lines, the deal's amount is their total.

    ``sku`` names a product as the ERP knows it, as text: the CRM works without the ERP, and a
    won deal's lines become a sales order's where the ERP finds the SKU.
    """

    __tablename__ = "crm_deal_line"
    __recycle__ = False
    __table_args__ = (
        tenant_fk("deal_id", "crm_deal", ondelete="CASCADE"),
        tenant_unique("deal_id", "position"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
        CheckConstraint("discount BETWEEN 0 AND 100", name="discount"),
    )

    deal_id: Mapped[uuid.UUID]
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))


LeadSource = Literal["web", "referral", "event", "cold_call", "advertising", "partner", "other"]
#: ``converted`` is reached only by converting the lead.
LeadStatus = Literal["new", "contacted", "qualified", "unqualified", "converted"]
LEAD_SOURCES: tuple[str, ...] = get_args(LeadSource)
LEAD_STATUSES: tuple[str, ...] = get_args(LeadStatus)


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=column)


class Lead(TenantModel, Timestamps):
    """Someone who may become a customer. Without an owner, the lead is in the pool: any rep
    may claim it. Converting it makes an account, a contact and perhaps a deal of it."""

    __tablename__ = "crm_lead"
    __recycle_permission__ = "crm.lead.write"
    __table_args__ = (
        # The records a conversion made may be deleted later; the lead stays, unlinked.
        tenant_fk("converted_account_id", "crm_account", ondelete="SET NULL"),
        tenant_fk("converted_contact_id", "crm_contact", ondelete="SET NULL"),
        tenant_fk("converted_deal_id", "crm_deal", ondelete="SET NULL"),
        _one_of("source", LEAD_SOURCES),
        _one_of("status", LEAD_STATUSES),
        # Record rules and the pool (owner_id IS NULL) look up the owner.
        Index("ix_crm_lead_owner", "tenant_id", "owner_id"),
        Index("ix_crm_lead_email_key", "tenant_id", "email_key"),
        Index("ix_crm_lead_phone_key", "tenant_id", "phone_key"),
        Index("ix_crm_lead_search", "tenant_id", "search_vector", postgresql_using="gin"),
        Index("ix_crm_lead_last_name", "tenant_id", "last_name", "id"),
        Index("ix_crm_lead_company", "tenant_id", "company", "id"),
        # Sorting by it, and the return-to-pool rule's search for leads left untouched.
        Index("ix_crm_lead_last_touched", "tenant_id", "last_touched_at", "id"),
    )

    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    email_key: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_key: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20), default="other")
    status: Mapped[str] = mapped_column(String(20), default="new")
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: NULL: the lead is in the pool.
    owner_id: Mapped[uuid.UUID | None]
    #: When its owner last worked on it; the return-to-pool rule counts from here.
    last_touched_at: Mapped[datetime] = mapped_column(server_default=func.now())
    returned_to_pool_at: Mapped[datetime | None]
    converted_at: Mapped[datetime | None]
    converted_account_id: Mapped[uuid.UUID | None]
    converted_contact_id: Mapped[uuid.UUID | None]
    converted_deal_id: Mapped[uuid.UUID | None]
    search_vector = search_vector(
        "first_name", "last_name", "company", "email", email_words("email"), "phone_key"
    )


class CrmSettings(TenantModel, Timestamps):
    """The tenant's CRM rules: one row per tenant, made when the module is first enabled."""

    __tablename__ = "crm_settings"
    __table_args__ = (
        tenant_unique(),
        CheckConstraint("lead_pool_days BETWEEN 0 AND 3650", name="lead_pool_days"),
        CheckConstraint(
            "discount_threshold >= 0 AND discount_threshold <= 100", name="discount_threshold"
        ),
    )

    #: Leads nobody touched for this many days go back to the pool; 0 turns the rule off.
    lead_pool_days: Mapped[int] = mapped_column(Integer, default=30)
    #: A deal discounted by more than this (percent) needs approval before it is won.
    discount_threshold: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(15))
    #: New deals are in this currency unless they say otherwise.
    default_currency: Mapped[str] = mapped_column(String(3), default="USD")


ACTIVITY_KINDS = ("call", "email", "meeting", "note", "task")


class Activity(TenantModel, Timestamps):
    """A call, email, meeting, note or task about one CRM record (see record_types.py)."""

    __tablename__ = "crm_activity"
    __recycle_permission__ = "crm.activity.write"
    __table_args__ = (
        # Kept with the account: deleted (to the recycle bin) and restored with it.
        tenant_fk("account_id", "crm_account", ondelete="CASCADE"),
        _one_of("kind", ACTIVITY_KINDS),
        Index("ix_crm_activity_record", "tenant_id", "record_type", "record_id"),
        # The account's timeline reads its activities newest first.
        Index("ix_crm_activity_account", "tenant_id", "account_id", "created_at"),
        Index("ix_crm_activity_owner", "tenant_id", "owner_id"),
        # The calendar asks for a range of due dates.
        Index("ix_crm_activity_due", "tenant_id", "due_at"),
        # The reminder schedule looks only at reminders still to send.
        Index(
            "ix_crm_activity_remind",
            "tenant_id",
            "remind_at",
            postgresql_where=text("reminded_at IS NULL AND done_at IS NULL"),
        ),
    )

    kind: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    #: What the activity is about: a key of record_types.RECORD_TYPES, and the record's id. No
    #: foreign key can span several tables; the API checks the record when it is given.
    record_type: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[uuid.UUID]
    #: The record's account (the account itself, or the one a contact, deal or ticket is of).
    account_id: Mapped[uuid.UUID | None]
    due_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    remind_at: Mapped[datetime | None]
    #: When the owner was reminded; the reminder goes out once.
    reminded_at: Mapped[datetime | None]
    owner_id: Mapped[uuid.UUID | None]


TICKET_STATUSES = ("open", "pending", "resolved", "closed")
#: Statuses in which the SLA clock runs.
OPEN_STATUSES = ("open", "pending")
TICKET_PRIORITIES = ("low", "normal", "high", "urgent")


class Ticket(TenantModel, Timestamps):
    """A customer's support request, answered within the SLA of its priority."""

    __tablename__ = "crm_ticket"
    __recycle_permission__ = "crm.ticket.write"
    #: Record rules compare the assignee: a ticket belongs to whoever works on it.
    __owner__ = "assignee_id"
    __table_args__ = (
        tenant_fk("account_id", "crm_account", ondelete="CASCADE"),
        # No cascade: a contact with tickets is not deleted (409) until they are moved.
        tenant_fk("contact_id", "crm_contact"),
        _one_of("status", TICKET_STATUSES),
        _one_of("priority", TICKET_PRIORITIES),
        Index("ix_crm_ticket_account", "tenant_id", "account_id", "created_at"),
        Index("ix_crm_ticket_contact", "tenant_id", "contact_id"),
        Index("ix_crm_ticket_assignee", "tenant_id", "assignee_id"),
        # The SLA schedule looks only at open tickets not yet marked breached.
        Index(
            "ix_crm_ticket_sla",
            "tenant_id",
            "sla_due_at",
            postgresql_where=text("breached_at IS NULL AND status IN ('open', 'pending')"),
        ),
        Index("ix_crm_ticket_search", "tenant_id", "search_vector", postgresql_using="gin"),
    )

    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    account_id: Mapped[uuid.UUID | None]
    contact_id: Mapped[uuid.UUID | None]
    status: Mapped[str] = mapped_column(String(10), default="open")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    assignee_id: Mapped[uuid.UUID | None]
    #: When the ticket must be resolved by: its creation plus the priority's SLA (sla.py).
    sla_due_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    #: When the SLA schedule found it past due and unresolved; kept after it is resolved.
    breached_at: Mapped[datetime | None]
    search_vector = search_vector("subject", "description")
