"""The platform's own handlers, jobs and schedules (plugins declare theirs through hooks)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import partial

from tessera.events.relay import Planner
from tessera.events.types import Event, EventHandler, HandlerContext
from tessera.identity.members import admin_user_ids
from tessera.jobs.actors import Actors
from tessera.jobs.runner import DEAD_LETTERED
from tessera.jobs.types import BackgroundJob, Schedule
from tessera.modules.registry import installed_plugins
from tessera.notifications import service as notifications
from tessera.settings import Settings
from tessera.storage import service as storage
from tessera.webhooks.delivery import PAUSED as WEBHOOK_PAUSED
from tessera.webhooks.planner import WebhookPlanner
from tessera.workflow import service as workflow


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
        Schedule(
            "tessera.workflow.escalations",
            timedelta(seconds=settings.workflow_escalation_seconds),
            escalate_overdue_tasks,
        ),
        EventHandler(APPROVAL_REQUESTED, tell_approver, name="tell_approver"),
        EventHandler(APPROVAL_COPIED, tell_copied, name="tell_copied"),
        *(
            EventHandler(
                f"tessera.approval.{outcome}", tell_requester, name=f"tell_requester_{outcome}"
            )
            for outcome in APPROVAL_OUTCOMES
        ),
        EventHandler(
            WEBHOOK_PAUSED, tell_admins_of_paused_webhook, name="tell_admins_of_paused_webhook"
        ),
        Schedule(
            "tessera.storage.sweep",
            timedelta(seconds=settings.storage_sweep_seconds),
            partial(sweep_files, settings=settings),
        ),
    ]


async def sweep_files(ctx: HandlerContext, *, settings: Settings) -> None:
    await storage.sweep(ctx.db, settings)


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


APPROVAL_REQUESTED = "tessera.approval.requested"
APPROVAL_COPIED = "tessera.approval.copied"
#: What the requester of an approval is told about.
APPROVAL_OUTCOMES = ("approved", "rejected", "returned")


async def escalate_overdue_tasks(ctx: HandlerContext) -> None:
    await workflow.escalate_overdue(ctx.db, ctx.tenant_id, datetime.now(UTC))


async def tell_approver(event: Event, ctx: HandlerContext) -> None:
    payload = event.payload
    await notifications.notify(
        ctx.db,
        ctx.tenant_id,
        [uuid.UUID(str(payload["assignee_user_id"]))],
        "tessera.approval_requested",
        f"Approval requested: {record_label(payload['record_type'])} ({payload['step_name']})",
        link=f"/approvals/{payload['instance_id']}",
    )


def record_label(record_type: str) -> str:
    """How people call a record type: its approvable's label (``Expense claim``), else its
    name."""
    approvable = installed_plugins().approvables().get(record_type)
    return approvable.label if approvable is not None else record_type


async def tell_copied(event: Event, ctx: HandlerContext) -> None:
    payload = event.payload
    await notifications.notify(
        ctx.db,
        ctx.tenant_id,
        [uuid.UUID(str(user)) for user in payload["user_ids"]],
        "tessera.approval_copied",
        f"Copied on an approval: {record_label(payload['record_type'])} ({payload['step_name']})",
        link=f"/approvals/{payload['instance_id']}",
    )


async def tell_requester(event: Event, ctx: HandlerContext) -> None:
    """The requester hears the outcome, with a link to the record itself (the app opens
    ``/records/<type>/<id>`` on the record's page): the approvals inbox is the approvers'."""
    payload = event.payload
    outcome = event.type.rsplit(".", 1)[1]
    await notifications.notify(
        ctx.db,
        ctx.tenant_id,
        [uuid.UUID(str(payload["requester_user_id"]))],
        "tessera.approval_decided",
        f"Your {record_label(payload['record_type'])} was {outcome}",
        body=str(payload.get("comment") or ""),
        link=f"/records/{payload['record_type']}/{payload['record_id']}",
    )
