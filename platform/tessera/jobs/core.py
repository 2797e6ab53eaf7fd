"""The platform's own handlers, jobs and schedules (plugins declare theirs through hooks)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from tessera.events.relay import Planner
from tessera.events.types import Event, EventHandler, HandlerContext
from tessera.identity.members import admin_user_ids
from tessera.jobs.actors import Actors
from tessera.jobs.runner import DEAD_LETTERED
from tessera.jobs.types import BackgroundJob, Schedule
from tessera.notifications import service as notifications
from tessera.settings import Settings
from tessera.webhooks.delivery import PAUSED as WEBHOOK_PAUSED
from tessera.webhooks.planner import WebhookPlanner


def core_planners(settings: Settings, actors: Actors) -> tuple[Planner, ...]:
    """What the relay sends besides handler messages (webhook deliveries)."""
    return (WebhookPlanner(actors),)


def core_declarations(settings: Settings) -> Sequence[EventHandler | BackgroundJob | Schedule]:
    return [
        Schedule(
            "tessera.notifications.digest",
            timedelta(seconds=settings.notification_digest_seconds),
            partial(notification_digest, public_url=settings.public_url),
        ),
        EventHandler(DEAD_LETTERED, tell_admins_of_dead_letter, name="tell_admins_of_dead_letter"),
        EventHandler(
            WEBHOOK_PAUSED, tell_admins_of_paused_webhook, name="tell_admins_of_paused_webhook"
        ),
    ]


async def notification_digest(ctx: HandlerContext, *, public_url: str) -> None:
    await notifications.send_digests(ctx.db, ctx.mail, public_url)


async def tell_admins_of_dead_letter(event: Event, ctx: HandlerContext) -> None:
    payload = event.payload
    await notifications.notify(
        ctx.db,
        ctx.tenant_id,
        await admin_user_ids(ctx.db),
        "tessera.dead_letter",
        f"A background step failed: {payload['handler']}",
        body=f"Event {payload['event_type']} could not be handled after every retry.",
        link="/admin/events/dead-letters",
    )


async def tell_admins_of_paused_webhook(event: Event, ctx: HandlerContext) -> None:
    payload = event.payload
    await notifications.notify(
        ctx.db,
        ctx.tenant_id,
        await admin_user_ids(ctx.db),
        "tessera.webhook_paused",
        f"Webhook paused: {payload['url']}",
        body=f"{payload['reason']}. Deliveries resume when you switch the endpoint on again.",
        link=f"/admin/webhooks/{payload['endpoint_id']}",
    )
