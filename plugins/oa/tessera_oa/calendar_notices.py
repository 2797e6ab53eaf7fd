"""What the calendar tells people, as core notifications: invitations and cancellations (from
the events, in the background) and reminders (a schedule, every minute)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Event, EventHandler, HandlerContext, Schedule, notify
from tessera_oa.calendar_models import Attendee, CalendarEvent, Reminder

REMINDER, INVITATION, CANCELLATION = (
    "oa.event_reminder",
    "oa.event_invitation",
    "oa.event_cancelled",
)
#: At most this many reminders go out per run; the rest a minute later.
BATCH = 500


def _link(event_id: object) -> str:
    return f"/oa/events/{event_id}"


def _starts(event: CalendarEvent) -> str:
    if event.all_day:
        return f"All day from {event.starts_at.astimezone(UTC):%Y-%m-%d}"
    return f"Starts {event.starts_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


async def send_reminders(db: AsyncSession, tenant_id: uuid.UUID, now: datetime) -> int:
    """Remind the attendees (but those who declined) of events whose reminder time came.

    ``sent_at`` is set in the same transaction as the notifications, so each reminder goes out
    once: a repeated run finds nothing, a concurrent one skips the locked rows. A reminder
    whose event has already begun is dropped, not sent late.
    """
    query = (
        select(Reminder, CalendarEvent)
        .join(
            CalendarEvent,
            (CalendarEvent.tenant_id == Reminder.tenant_id)
            & (CalendarEvent.id == Reminder.event_id),
        )
        .where(Reminder.remind_at <= now, Reminder.sent_at.is_(None))
        .order_by(Reminder.remind_at)
        .limit(BATCH)
        .with_for_update(of=Reminder, skip_locked=True)
    )
    due = [(row[0], row[1]) for row in await db.execute(query)]
    for reminder, event in due:
        if event.starts_at > now:
            people = await db.scalars(
                select(Attendee.user_id).where(
                    Attendee.event_id == event.id, Attendee.response != "declined"
                )
            )
            await notify(
                db,
                tenant_id,
                list(people),
                REMINDER,
                f"Reminder: {event.title}",
                body=_starts(event),
                link=_link(event.id),
            )
        reminder.sent_at = now
    await db.flush()
    return len(due)


async def remind(ctx: HandlerContext) -> None:
    await send_reminders(ctx.db, ctx.tenant_id, datetime.now(UTC))


def _people(event: Event) -> list[uuid.UUID]:
    return [uuid.UUID(str(u)) for u in event.payload.get("user_ids", [])]


async def tell_invited(event: Event, ctx: HandlerContext) -> None:
    found = await ctx.db.get(
        CalendarEvent, (ctx.tenant_id, uuid.UUID(str(event.payload["event_id"])))
    )
    if found is None:  # cancelled before the news went out
        return
    await notify(
        ctx.db,
        ctx.tenant_id,
        _people(event),
        INVITATION,
        f"You are invited: {found.title}",
        body=_starts(found),
        link=_link(found.id),
    )


async def tell_cancelled(event: Event, ctx: HandlerContext) -> None:
    await notify(
        ctx.db,
        ctx.tenant_id,
        _people(event),
        CANCELLATION,
        f"Cancelled: {event.payload.get('title', '')}",
    )


REMINDERS = Schedule("oa.event.remind", timedelta(minutes=1), remind)
HANDLERS = (
    EventHandler("oa.event.invited", tell_invited, name="tell_invited"),
    EventHandler("oa.event.cancelled", tell_cancelled, name="tell_cancelled"),
)
