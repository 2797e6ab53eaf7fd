"""Tasks other modules ask for through their events: a new CRM ticket becomes an internal task.

Neither module imports the other. OA subscribes to ``crm.ticket.created`` through the public
``EventHandler`` API, and the platform delivers it only to tenants that have OA switched on
(CRM's own tenants without OA never reach this code). The task records its source — module,
record type, record id — and is unique per source record, so the event delivered twice still
makes one task. The link back: OA adds the task to the ticket's timeline
(``tessera_timeline``), and ``GET /api/v1/oa/tasks?source_record_type=crm.ticket&
source_record_id=<id>`` finds it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    Actor,
    Event,
    EventHandler,
    HandlerContext,
    TimelineCursor,
    TimelineEntry,
    emit,
    newest_first,
)
from tessera_oa.task_access import members_among, visible_tasks
from tessera_oa.task_models import TASK_PRIORITIES, Task
from tessera_oa.tasks import assigned, created_facts

TITLE_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Source:
    """How one module's event becomes a task: which record it is about, and what the task says."""

    module: str
    record_type: str
    #: The payload key holding the record's id.
    id_key: str
    #: The payload key of the text the task's title is made from.
    subject_key: str
    title_prefix: str


TICKET = Source("crm", "crm.ticket", "ticket_id", "subject", "Ticket: ")
#: Event type -> the record it is about. Another module's events join here.
SOURCES = {"crm.ticket.created": TICKET}


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _due_date(value: Any) -> Any:
    """The day a deadline falls on (the ticket's SLA due time, in UTC), if it has one."""
    try:
        return datetime.fromisoformat(str(value)).date() if value else None
    except ValueError:
        return None


async def task_for(event: Event, ctx: HandlerContext) -> None:
    """Make the task for the record ``event`` is about, unless there is one already."""
    source = SOURCES[event.type]
    record_id = str(event.payload[source.id_key])
    made = await ctx.db.scalar(
        select(Task.id).where(
            Task.source_record_type == source.record_type, Task.source_record_id == record_id
        )
    )
    if made is not None:
        return
    people = {u for u in (_uuid(event.payload.get("assignee_id")), event.actor_user_id) if u}
    members = await members_among(ctx.db, people)
    assignee = _uuid(event.payload.get("assignee_id"))
    priority = str(event.payload.get("priority", "normal"))
    subject = str(event.payload.get(source.subject_key) or record_id)
    task = Task(
        tenant_id=ctx.tenant_id,
        title=(source.title_prefix + subject)[:TITLE_LENGTH],
        assignee_id=assignee if assignee in members else None,
        due_date=_due_date(event.payload.get("sla_due_at")),
        priority=priority if priority in TASK_PRIORITIES else "normal",
        created_by=event.actor_user_id if event.actor_user_id in members else None,
        source_module=source.module,
        source_record_type=source.record_type,
        source_record_id=record_id,
    )
    ctx.db.add(task)
    await ctx.db.flush()
    await ctx.db.refresh(task)
    await emit(ctx.db, ctx.tenant_id, "oa.task.created", created_facts(task))
    await assigned(ctx.db, task, task.created_by)


HANDLERS = [
    EventHandler(event, task_for, name=f"task_for_{source.record_type.replace('.', '_')}")
    for event, source in SOURCES.items()
]


def _entries(task: Task) -> list[TimelineEntry]:
    record_id = str(task.id)
    detail = task.status.replace("_", " ")
    found = [
        TimelineEntry(
            task.created_at, "oa.task.created", f"Task: {task.title}", "oa.task", record_id, detail
        )
    ]
    if task.completed_at is not None and task.status == "done":
        found.append(
            TimelineEntry(
                task.completed_at, "oa.task.completed", f"Task done: {task.title}", "oa.task",
                record_id,
            )
        )  # fmt: skip
    return found


async def timeline(
    db: AsyncSession,
    actor: Actor,
    record_type: str,
    record_id: str,
    before: TimelineCursor | None,
    limit: int,
) -> list[TimelineEntry]:
    """The tasks made for a record of another module, on that record's timeline.

    Only for record types OA makes tasks for, and only the tasks the actor may see.
    """
    if record_type not in {source.record_type for source in SOURCES.values()}:
        return []
    query = select(Task).where(
        Task.source_record_type == record_type,
        Task.source_record_id == record_id,
        visible_tasks(actor),
    )
    entries = [entry for task in (await db.scalars(query)).all() for entry in _entries(task)]
    if before is not None:
        entries = [entry for entry in entries if before.admits(entry)]
    return newest_first(entries)[:limit]
