"""The customer timeline: everything about an account, newest first, at
/api/v1/crm/accounts/{id}/timeline — the CRM's own records, and what the tenant's other modules
contribute through the ``tessera_timeline`` hook (the ERP's invoices, say)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, get
from litestar.params import FromPath
from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    Text,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    TimelineCursor,
    TimelineEntry,
    Uow,
    check_limit,
    newest_first,
    requires,
    timeline_entries,
    visible_to,
)
from tessera_crm.accounts import READ as ACCOUNT_READ
from tessera_crm.accounts import get_account
from tessera_crm.activities import READ as ACTIVITY_READ
from tessera_crm.contacts import READ as CONTACT_READ
from tessera_crm.deals import READ as DEAL_READ
from tessera_crm.models import Activity, Contact, Deal, Ticket
from tessera_crm.tickets import READ as TICKET_READ

#: The subject other modules are asked about: the platform-wide name of an account.
ACCOUNT = "crm.account"
MODULE = "crm"
#: A timeline shows this much of an activity's text.
DETAIL_CHARACTERS = 300


class TimelineEntryOut(msgspec.Struct):
    at: datetime
    #: What happened: crm.deal.won, crm.activity.call, erp.invoice.issued …
    kind: str
    title: str
    detail: str | None
    #: The record to open: crm.deal, crm.ticket, notes.note …, and its id.
    record_type: str
    record_id: str
    #: The module the entry comes from.
    module: str


def entry_out(entry: TimelineEntry) -> TimelineEntryOut:
    return TimelineEntryOut(
        at=entry.at,
        kind=entry.kind,
        title=entry.title,
        detail=entry.detail,
        record_type=entry.record_type,
        record_id=entry.record_id,
        module=entry.module,
    )


def _source(
    at: Any,
    record_type: str,
    record_id: Any,
    kind: str | SQLColumnExpression[str],
    title: SQLColumnExpression[str],
    detail: SQLColumnExpression[Any],
    where: list[ColumnElement[bool]],
    before: TimelineCursor | None,
    limit: int,
) -> Select[Any]:
    """One kind of entry, at most ``limit`` of them after ``before``, newest first."""
    kind_column = literal(kind, Text) if isinstance(kind, str) else kind
    if before is not None:
        where = [*where, before.older(at, record_type, record_id, kind_column)]
    # Ties by id, largest first: the order of the entries' keys within one source.
    rows = (
        select(
            at.label("at"),
            literal(record_type, Text).label("record_type"),
            cast(record_id, Text).label("record_id"),
            kind_column.label("kind"),
            cast(title, Text).label("title"),
            cast(detail, Text).label("detail"),
        )
        .where(*where)
        .order_by(at.desc(), record_id.desc())
        .limit(limit)
        .subquery()
    )
    return select(rows)


def _sources(
    actor: Actor, account_id: uuid.UUID, before: TimelineCursor | None, limit: int
) -> list[Select[Any]]:
    activities = [
        Activity.account_id == account_id,
        visible_to(actor, ACTIVITY_READ, Activity.owner_id),
    ]
    deals = [Deal.account_id == account_id, visible_to(actor, DEAL_READ, Deal.owner_id)]
    contacts = [Contact.account_id == account_id, visible_to(actor, CONTACT_READ, Contact.owner_id)]
    tickets = [Ticket.account_id == account_id, visible_to(actor, TICKET_READ, Ticket.assignee_id)]
    money = func.concat(Deal.amount, " ", Deal.currency)
    person = func.trim(func.concat(Contact.first_name, " ", Contact.last_name))
    return [
        _source(
            Activity.created_at,
            "crm.activity",
            Activity.id,
            func.concat("crm.activity.", Activity.kind),
            Activity.subject,
            func.nullif(func.left(Activity.body, DETAIL_CHARACTERS), ""),
            activities,
            before,
            limit,
        ),
        _source(
            Deal.created_at,
            "crm.deal",
            Deal.id,
            "crm.deal.created",
            func.concat("Deal created: ", Deal.name),
            money,
            deals,
            before,
            limit,
        ),
        _source(
            Deal.closed_at,
            "crm.deal",
            Deal.id,
            "crm.deal.won",
            func.concat("Deal won: ", Deal.name),
            money,
            [*deals, Deal.status == "won", Deal.closed_at.is_not(None)],
            before,
            limit,
        ),
        _source(
            Deal.closed_at,
            "crm.deal",
            Deal.id,
            "crm.deal.lost",
            func.concat("Deal lost: ", Deal.name),
            Deal.lost_reason,
            [*deals, Deal.status == "lost", Deal.closed_at.is_not(None)],
            before,
            limit,
        ),
        _source(
            Contact.created_at,
            "crm.contact",
            Contact.id,
            "crm.contact.added",
            func.concat("Contact added: ", person),
            Contact.title,
            contacts,
            before,
            limit,
        ),
        _source(
            Ticket.created_at,
            "crm.ticket",
            Ticket.id,
            "crm.ticket.opened",
            func.concat("Ticket opened: ", Ticket.subject),
            func.concat(Ticket.priority, " priority"),
            tickets,
            before,
            limit,
        ),
        _source(
            Ticket.resolved_at,
            "crm.ticket",
            Ticket.id,
            "crm.ticket.resolved",
            func.concat("Ticket resolved: ", Ticket.subject),
            null(),
            [*tickets, Ticket.resolved_at.is_not(None)],
            before,
            limit,
        ),
    ]


async def crm_entries(
    uow: Uow, actor: Actor, account_id: uuid.UUID, before: TimelineCursor | None, limit: int
) -> list[TimelineEntry]:
    """The CRM's own entries about the account that the actor may see, newest first."""
    entries = union_all(*_sources(actor, account_id, before, limit)).subquery("entries")
    query = (
        select(entries)
        .order_by(
            entries.c.at.desc(),
            entries.c.record_type.collate("C").desc(),
            entries.c.record_id.collate("C").desc(),
            entries.c.kind.collate("C").desc(),
        )
        .limit(limit)
    )
    return [
        TimelineEntry(
            at=row.at,
            kind=row.kind,
            title=row.title,
            record_type=row.record_type,
            record_id=row.record_id,
            detail=row.detail,
            module=MODULE,
        )
        for row in await uow.db.execute(query)
    ]


class TimelineController(Controller):
    path = "/accounts"
    tags = ["crm"]

    @get(
        "/{account_id:uuid}/timeline",
        summary="Everything about the account, newest first, from every module",
        opt=requires(ACCOUNT_READ),
    )
    async def timeline(
        self,
        account_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[TimelineEntryOut]:
        account = await get_account(uow, actor, account_id, ACCOUNT_READ)
        before = TimelineCursor.decode(cursor)
        # One more than a page from each source says whether another page follows.
        wanted = check_limit(limit) + 1
        own = await crm_entries(uow, actor, account.id, before, wanted)
        others = await timeline_entries(
            uow.db, actor, ACCOUNT, account.id, before=before, limit=wanted
        )
        merged = newest_first([*own, *others])
        page, more = merged[:limit], len(merged) > limit
        return Page(
            items=[entry_out(entry) for entry in page],
            next_cursor=TimelineCursor.after(page[-1]).encode() if more else None,
        )
