"""A ticket's timeline: what happened around one ticket, newest first, at
/api/v1/crm/tickets/{id}/timeline — its opening and resolution, the activities logged about it,
and what the tenant's other modules contribute through the ``tessera_timeline`` hook (the
office module's task made for the ticket, say) without the CRM knowing of them."""

from __future__ import annotations

import uuid

from litestar import Controller, get
from litestar.params import FromPath
from sqlalchemy import select

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
from tessera_crm.models import Activity, Ticket
from tessera_crm.reads import TIMELINE_DETAIL_CHARACTERS
from tessera_crm.tickets import READ, get_ticket
from tessera_crm.timeline import MODULE, TimelineEntryOut, entry_out

#: The subject other modules are asked about: the platform-wide name of a ticket.
TICKET = "crm.ticket"
ACTIVITY_READ = "crm.activity.read"


def ticket_entries(ticket: Ticket) -> list[TimelineEntry]:
    record_id = str(ticket.id)
    found = [
        TimelineEntry(
            ticket.created_at,
            "crm.ticket.opened",
            f"Ticket opened: {ticket.subject}",
            TICKET,
            record_id,
            f"{ticket.priority} priority",
            module=MODULE,
        )
    ]
    if ticket.resolved_at is not None:
        found.append(
            TimelineEntry(
                ticket.resolved_at,
                "crm.ticket.resolved",
                f"Ticket resolved: {ticket.subject}",
                TICKET,
                record_id,
                module=MODULE,
            )
        )
    return found


async def activity_entries(
    uow: Uow, actor: Actor, ticket_id: uuid.UUID, before: TimelineCursor | None, limit: int
) -> list[TimelineEntry]:
    """The activities about the ticket that the actor may see, newest first."""
    kind = "crm.activity." + Activity.kind
    query = select(Activity).where(
        Activity.record_type == "ticket",
        Activity.record_id == ticket_id,
        visible_to(actor, ACTIVITY_READ, Activity.owner_id),
    )
    if before is not None:
        query = query.where(before.older(Activity.created_at, "crm.activity", Activity.id, kind))
    query = query.order_by(Activity.created_at.desc(), Activity.id.desc()).limit(limit)
    return [
        TimelineEntry(
            activity.created_at,
            f"crm.activity.{activity.kind}",
            activity.subject,
            "crm.activity",
            str(activity.id),
            activity.body[:TIMELINE_DETAIL_CHARACTERS] or None,
            module=MODULE,
        )
        for activity in (await uow.db.scalars(query)).all()
    ]


class TicketTimelineController(Controller):
    path = "/tickets"
    tags = ["crm"]

    @get(
        "/{ticket_id:uuid}/timeline",
        summary="What happened around the ticket, newest first, from every module",
        opt=requires(READ),
    )
    async def timeline(
        self,
        ticket_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[TimelineEntryOut]:
        ticket = await get_ticket(uow, actor, ticket_id, READ)
        before = TimelineCursor.decode(cursor)
        # One more than a page from each source says whether another page follows.
        wanted = check_limit(limit) + 1
        own = [e for e in ticket_entries(ticket) if before is None or before.admits(e)]
        activities = await activity_entries(uow, actor, ticket.id, before, wanted)
        others = await timeline_entries(
            uow.db, actor, TICKET, ticket.id, before=before, limit=wanted
        )
        merged = newest_first([*own, *activities, *others])
        page, more = merged[:limit], len(merged) > limit
        return Page(
            items=[entry_out(entry) for entry in page],
            next_cursor=TimelineCursor.after(page[-1]).encode() if more else None,
        )
