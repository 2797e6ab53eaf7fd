"""Follow-up reminders: every minute, owners hear of their activities whose reminder time came."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import HandlerContext, Schedule, notify
from tessera_crm.models import Activity
from tessera_crm.records import utc_minute

REMINDER = "crm.activity_reminder"
#: At most this many reminders go out per run; the rest a minute later.
BATCH = 500


async def send_reminders(db: AsyncSession, tenant_id: uuid.UUID, now: datetime) -> int:
    """Remind the owners of the tenant's open activities due for a reminder at ``now``.

    ``reminded_at`` is set in the same transaction as the notification, so each reminder goes
    out once: a repeated run finds nothing, a concurrent one skips the locked rows.
    """
    query = (
        select(Activity)
        .where(
            Activity.remind_at <= now,
            Activity.reminded_at.is_(None),
            Activity.done_at.is_(None),
        )
        .order_by(Activity.remind_at)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    activities = list((await db.execute(query)).scalars())
    for activity in activities:
        if activity.owner_id is not None:
            due = f"Due {utc_minute(activity.due_at)}" if activity.due_at else ""
            await notify(
                db,
                tenant_id,
                [activity.owner_id],
                REMINDER,
                f"Reminder: {activity.subject}",
                body=due,
                link=f"/crm/activities/{activity.id}",
            )
        activity.reminded_at = now
    await db.flush()
    return len(activities)


async def remind(ctx: HandlerContext) -> None:
    await send_reminders(ctx.db, ctx.tenant_id, datetime.now(UTC))


REMINDERS = Schedule("crm.activity.remind", timedelta(minutes=1), remind)
