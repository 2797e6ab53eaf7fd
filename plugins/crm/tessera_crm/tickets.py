"""Tickets: customers' support requests, with an SLA by priority. Under /api/v1/crm/tickets."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import ColumnElement, and_, not_, or_, select

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    Input,
    Invalid,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    emit,
    requires,
    visible_to,
)
from tessera_crm.contacts import READ as CONTACT_READ
from tessera_crm.contacts import checked_account
from tessera_crm.models import OPEN_STATUSES, TICKET_PRIORITIES, TICKET_STATUSES, Contact, Ticket
from tessera_crm.records import checked_owner, choice, get_visible, page_query
from tessera_crm.sla import is_breached, sla_due, ticket_facts

READ, WRITE = "crm.ticket.read", "crm.ticket.write"
CREATED = "crm.ticket.created"
SORTING = Sorting(
    {
        "subject": Ticket.subject,
        "sla_due_at": Ticket.sla_due_at,
        "created_at": Ticket.created_at,
        "updated_at": Ticket.updated_at,
    },
    Ticket.id,
)
#: Where a ticket may go from each status. Closed is final: a new request is a new ticket.
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"pending", "resolved", "closed"}),
    "pending": frozenset({"open", "resolved", "closed"}),
    "resolved": frozenset({"open", "pending", "closed"}),
    "closed": frozenset(),
}
DONE_STATUSES = ("resolved", "closed")

Subject = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Description = Annotated[str, msgspec.Meta(max_length=10_000)]
Status = Annotated[str, msgspec.Meta(pattern=choice(TICKET_STATUSES))]
Priority = Annotated[str, msgspec.Meta(pattern=choice(TICKET_PRIORITIES))]
Search = Annotated[
    str | None, QueryParameter(max_length=200, description="Words of the subject or description")
]
StatusFilter = Annotated[str | None, QueryParameter(pattern=choice(TICKET_STATUSES))]
PriorityFilter = Annotated[str | None, QueryParameter(pattern=choice(TICKET_PRIORITIES))]
AssigneeFilter = Annotated[
    str | None,
    QueryParameter(pattern=r"^(me|[0-9a-fA-F-]{32,36})$", description="'me' or a user id"),
]
BreachedFilter = Annotated[
    bool | None, QueryParameter(description="Only tickets past (true) or within (false) the SLA")
]
AccountFilter = Annotated[uuid.UUID | None, QueryParameter(description="Tickets of this account")]


class TicketIn(Input):
    subject: Subject
    description: Description = ""
    account_id: uuid.UUID | None = None
    #: A contact of the account; the account is the contact's when not given.
    contact_id: uuid.UUID | None = None
    priority: Priority = "normal"
    #: A member of the tenant; default: whoever opens it.
    assignee_id: uuid.UUID | None = None


class TicketPatch(Input):
    subject: Subject | None = None
    description: Description | None = None
    account_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    #: Changing it moves the SLA due time (counted from when the ticket was opened).
    priority: Priority | None = None
    #: resolved or closed sets resolved_at; back to open or pending clears it.
    status: Status | None = None
    assignee_id: uuid.UUID | None = None


class TicketOut(msgspec.Struct):
    id: uuid.UUID
    subject: str
    description: str
    account_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    status: str
    priority: str
    assignee_id: uuid.UUID | None
    sla_due_at: datetime
    resolved_at: datetime | None
    breached_at: datetime | None
    #: Past the SLA and unresolved now, or marked breached by the SLA check before.
    breached: bool
    created_at: datetime
    updated_at: datetime


def ticket_out(ticket: Ticket, now: datetime | None = None) -> TicketOut:
    return TicketOut(
        id=ticket.id,
        subject=ticket.subject,
        description=ticket.description,
        account_id=ticket.account_id,
        contact_id=ticket.contact_id,
        status=ticket.status,
        priority=ticket.priority,
        assignee_id=ticket.assignee_id,
        sla_due_at=ticket.sla_due_at,
        resolved_at=ticket.resolved_at,
        breached_at=ticket.breached_at,
        breached=is_breached(ticket, now or datetime.now(UTC)),
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
    )


def breached_filter(now: datetime) -> ColumnElement[bool]:
    """SQL twin of :func:`tessera_crm.sla.is_breached`."""
    return or_(
        Ticket.breached_at.is_not(None),
        and_(Ticket.status.in_(OPEN_STATUSES), Ticket.sla_due_at < now),
    )


async def get_ticket(uow: Uow, actor: Actor, ticket_id: uuid.UUID, permission: str) -> Ticket:
    return await get_visible(uow, actor, Ticket, ticket_id, permission)


async def checked_party(
    uow: Uow, actor: Actor, account_id: uuid.UUID | None, contact_id: uuid.UUID | None
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The ticket's account and contact: both visible to the actor, the contact of the account."""
    account_id = await checked_account(uow, actor, account_id)
    if contact_id is None:
        return account_id, None
    query = select(Contact.account_id).where(
        Contact.id == contact_id, visible_to(actor, CONTACT_READ, Contact.owner_id)
    )
    found = (await uow.db.execute(query)).first()
    if found is None:
        raise Invalid("contact_id", "no such contact")
    if account_id is None:
        return found.account_id, contact_id
    if found.account_id != account_id:
        raise Invalid("contact_id", "is not a contact of the ticket's account")
    return account_id, contact_id


def move(ticket: Ticket, status: str, now: datetime) -> None:
    if status == ticket.status:
        return
    if status not in TRANSITIONS[ticket.status]:
        raise Conflict(f"A {ticket.status} ticket cannot become {status}.")
    if status in DONE_STATUSES:
        ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = None
    ticket.status = status


class TicketsController(Controller):
    path = "/tickets"
    tags = ["crm"]

    @get("/", summary="Tickets you may see", opt=requires(READ))
    async def list_tickets(
        self,
        actor: Member,
        uow: Uow,
        q: Search = None,
        status: StatusFilter = None,
        priority: PriorityFilter = None,
        assignee: AssigneeFilter = None,
        breached: BreachedFilter = None,
        account_id: AccountFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[TicketOut]:
        page = page_query(
            Ticket,
            actor,
            READ,
            sorting=SORTING,
            owner=assignee,
            q=q,
            sort=sort,
            limit=limit,
            cursor=cursor,
        )
        now = datetime.now(UTC)
        query = page.query
        if status:
            query = query.where(Ticket.status == status)
        if priority:
            query = query.where(Ticket.priority == priority)
        if breached is not None:
            late = breached_filter(now)
            query = query.where(late if breached else not_(late))
        if account_id is not None:
            query = query.where(Ticket.account_id == account_id)
        rows = list((await uow.db.execute(query)).scalars())
        return page.of(rows, lambda ticket: ticket_out(ticket, now))

    @post("/", status_code=HTTP_201_CREATED, summary="Open a ticket", opt=requires(WRITE))
    async def create(self, data: JSONBody[TicketIn], actor: Member, uow: Uow) -> TicketOut:
        account_id, contact_id = await checked_party(uow, actor, data.account_id, data.contact_id)
        now = datetime.now(UTC)
        ticket = Ticket(
            tenant_id=actor.tenant,
            subject=data.subject.strip(),
            description=data.description,
            account_id=account_id,
            contact_id=contact_id,
            status="open",
            priority=data.priority,
            assignee_id=await checked_owner(uow, actor, data.assignee_id, field="assignee_id"),
            # Counted from the ticket's creation, so the SLA check and the flag agree.
            created_at=now,
            sla_due_at=sla_due(data.priority, now),
        )
        uow.db.add(ticket)
        await uow.db.flush()
        await uow.db.refresh(ticket)
        await emit(uow.db, actor.tenant, CREATED, ticket_facts(ticket))
        return ticket_out(ticket)

    @get("/{ticket_id:uuid}", summary="One ticket", opt=requires(READ))
    async def get_one(self, ticket_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> TicketOut:
        return ticket_out(await get_ticket(uow, actor, ticket_id, READ))

    @patch(
        "/{ticket_id:uuid}",
        summary="Change a ticket, its priority (and so its SLA) or its status",
        opt=requires(WRITE),
    )
    async def change(
        self, ticket_id: FromPath[uuid.UUID], data: JSONBody[TicketPatch], actor: Member, uow: Uow
    ) -> TicketOut:
        ticket = await get_ticket(uow, actor, ticket_id, WRITE)
        if ticket.status == "closed":
            raise Conflict("The ticket is closed; open a new one.")
        if data.subject is not None:
            ticket.subject = data.subject.strip()
        if data.description is not None:
            ticket.description = data.description
        if data.account_id is not None or data.contact_id is not None:
            ticket.account_id, ticket.contact_id = await checked_party(
                uow,
                actor,
                data.account_id if data.account_id is not None else ticket.account_id,
                data.contact_id if data.contact_id is not None else ticket.contact_id,
            )
        if data.priority is not None and data.priority != ticket.priority:
            ticket.priority = data.priority
            ticket.sla_due_at = sla_due(data.priority, ticket.created_at)
        if data.status is not None:
            move(ticket, data.status, datetime.now(UTC))
        if data.assignee_id is not None:
            ticket.assignee_id = await checked_owner(
                uow, actor, data.assignee_id, field="assignee_id"
            )
        await uow.db.flush()
        await uow.db.refresh(ticket)
        return ticket_out(ticket)

    @delete(
        "/{ticket_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a ticket (to the recycle bin)",
        opt=requires(WRITE),
    )
    async def remove(self, ticket_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await uow.db.delete(await get_ticket(uow, actor, ticket_id, WRITE))
        await uow.db.flush()
