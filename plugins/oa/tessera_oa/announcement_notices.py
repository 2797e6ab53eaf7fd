"""Publishing on time and telling the audience: a schedule publishes announcements whose time
came, and a handler of ``oa.announcement.published`` notifies each member of the audience."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Event, EventHandler, HandlerContext, Schedule, notify
from tessera_oa.announcement_audience import audience_members
from tessera_oa.announcement_models import Announcement
from tessera_oa.announcements import PUBLISHED, publish

NOTICE = "oa.announcement"
#: At most this many announcements are published per run; the rest a minute later.
BATCH = 100
#: Members told per notify call: a tenant-wide notice to thousands goes in slices.
SLICE = 1_000


async def publish_due(db: AsyncSession, now: datetime) -> int:
    """Publish the announcements whose ``publish_at`` came; how many.

    ``published_at`` is set in the same transaction as the event that tells the audience, so
    each is announced once: a repeated run finds nothing, a concurrent one skips locked rows.
    """
    query = (
        select(Announcement)
        .where(Announcement.published_at.is_(None), Announcement.publish_at <= now)
        .order_by(Announcement.publish_at)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    due = list((await db.scalars(query)).all())
    for announcement in due:
        await publish(db, announcement, now)
    return len(due)


async def publish_on_time(ctx: HandlerContext) -> None:
    await publish_due(ctx.db, datetime.now(UTC))


async def tell_audience(event: Event, ctx: HandlerContext) -> None:
    announcement_id = uuid.UUID(str(event.payload["announcement_id"]))
    announcement = await ctx.db.get(Announcement, (ctx.tenant_id, announcement_id))
    if announcement is None or announcement.published_at is None:
        return  # deleted, or made a draft again, before the news went out
    audience = await audience_members(ctx.db, announcement)
    people = [
        user_id
        for user_id in (await ctx.db.scalars(audience)).all()
        if user_id != announcement.author_id
    ]
    for start in range(0, len(people), SLICE):
        await notify(
            ctx.db,
            ctx.tenant_id,
            people[start : start + SLICE],
            NOTICE,
            f"Announcement: {announcement.title}",
            link=f"/oa/announcements/{announcement.id}",
        )


PUBLISHING = Schedule("oa.announcement.publish", timedelta(minutes=1), publish_on_time)
HANDLERS = (EventHandler(PUBLISHED, tell_audience, name="tell_audience"),)
