"""Service levels of tickets: how long each priority may stay unresolved, and the schedule that
marks tickets found past it (``crm.ticket.breached``, the assignee notified)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import HandlerContext, Schedule, emit, notify
from tessera_crm.models import OPEN_STATUSES, Ticket
from tessera_crm.records import utc_minute

#: The SLA policy: a ticket of each priority is to be resolved within this many hours of being
#: opened. The one place it is written down.
SLA_HOURS: dict[str, int] = {"urgent": 4, "high": 8, "normal": 24, "low": 72}
#: At most this many tickets are marked per run; the rest wait a minute for the next.
BATCH = 500
BREACHED = "crm.ticket.breached"


def sla_due(priority: str, opened_at: datetime) -> datetime:
    return opened_at + timedelta(hours=SLA_HOURS[priority])


def is_breached(ticket: Ticket, now: datetime) -> bool:
    """Marked breached once, or past due right now and still unresolved."""
    return ticket.breached_at is not None or (
        ticket.status in OPEN_STATUSES and ticket.sla_due_at < now
    )


def ticket_facts(ticket: Ticket) -> dict[str, object]:
    """What other modules need to act on a ticket (OA turns a new one into a task)."""
    return {
        "ticket_id": ticket.id,
        "subject": ticket.subject,
        "priority": ticket.priority,
        "account_id": ticket.account_id,
        "assignee_id": ticket.assignee_id,
        "sla_due_at": ticket.sla_due_at,
    }


async def mark_breached(db: AsyncSession, tenant_id: uuid.UUID, now: datetime) -> int:
    """Mark the tenant's open tickets past their SLA at ``now``; how many were newly marked.

    A marked ticket is never marked again, so a run repeated (or run twice at once: the rows
    are locked, others skipped) emits and notifies once per ticket.
    """
    query = (
        select(Ticket)
        .where(
            Ticket.breached_at.is_(None),
            Ticket.status.in_(OPEN_STATUSES),
            Ticket.sla_due_at <= now,
        )
        .order_by(Ticket.sla_due_at)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    tickets = list((await db.execute(query)).scalars())
    for ticket in tickets:
        ticket.breached_at = now
        await emit(db, tenant_id, BREACHED, ticket_facts(ticket))
        if ticket.assignee_id is not None:
            await notify(
                db,
                tenant_id,
                [ticket.assignee_id],
                "crm.ticket_breached",
                f"Ticket past its SLA: {ticket.subject}",
                body=f"{ticket.priority.title()} priority, due {utc_minute(ticket.sla_due_at)}",
                link=f"/crm/tickets/{ticket.id}",
            )
    await db.flush()
    return len(tickets)


async def check_slas(ctx: HandlerContext) -> None:
    await mark_breached(ctx.db, ctx.tenant_id, datetime.now(UTC))


SLA_SCHEDULE = Schedule("crm.ticket.sla", timedelta(minutes=1), check_slas)
