"""Tasks: in a project or personal, with subtasks, an assignee, a due date, a priority and a
status. The rules; the routes are in task_routes.py.

Statuses: todo -> in_progress -> done, and cancelled; a done task may be reopened (to todo or
in_progress), a cancelled one to todo. The assignee is told when a task is given to them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, Conflict, Forbidden, Invalid, Uow, emit, notify
from tessera_oa.projects import clean
from tessera_oa.task_access import (
    checked_project,
    checked_task,
    get_task,
    may_delete,
    members_among,
    project_members_among,
)
from tessera_oa.task_models import ChecklistItem, Project, Task
from tessera_oa.task_schemas import OfficeTaskOut, TaskIn, TaskPatch
from tessera_oa.task_tree import checked_parent, lock_tree

#: Where a task may go from each status.
TRANSITIONS: dict[str, frozenset[str]] = {
    "todo": frozenset({"in_progress", "done", "cancelled"}),
    "in_progress": frozenset({"todo", "done", "cancelled"}),
    "done": frozenset({"todo", "in_progress"}),
    "cancelled": frozenset({"todo"}),
}
#: The event a move into each status emits (from a closed status back to an open one:
#: reopened).
STATUS_EVENTS = {"done": "oa.task.completed", "cancelled": "oa.task.cancelled"}
REOPENED = "oa.task.reopened"
ASSIGNED = "oa.task_assigned"


def task_link(task_id: uuid.UUID) -> str:
    return f"/oa/tasks/{task_id}"


async def tasks_out(db: AsyncSession, tasks: Sequence[Task]) -> list[OfficeTaskOut]:
    """The tasks as the API shows them, with their subtask and checklist counts."""
    ids = [t.id for t in tasks]
    subtasks: dict[uuid.UUID, int] = {}
    checklists: dict[uuid.UUID, tuple[int, int]] = {}
    if ids:
        below = await db.execute(
            select(Task.parent_id, func.count())
            .where(Task.parent_id.in_(ids))
            .group_by(Task.parent_id)
        )
        subtasks = {row[0]: row[1] for row in below if row[0] is not None}
        lines = await db.execute(
            select(
                ChecklistItem.task_id,
                func.count().filter(ChecklistItem.done),
                func.count(),
            )
            .where(ChecklistItem.task_id.in_(ids))
            .group_by(ChecklistItem.task_id)
        )
        checklists = {row[0]: (row[1], row[2]) for row in lines}
    return [
        OfficeTaskOut(
            id=t.id,
            project_id=t.project_id,
            parent_id=t.parent_id,
            title=t.title,
            description=t.description,
            assignee_id=t.assignee_id,
            due_date=t.due_date,
            priority=t.priority,
            status=t.status,
            completed_at=t.completed_at,
            created_by=t.created_by,
            source_module=t.source_module,
            source_record_type=t.source_record_type,
            source_record_id=t.source_record_id,
            subtasks=subtasks.get(t.id, 0),
            checklist_done=checklists.get(t.id, (0, 0))[0],
            checklist_total=checklists.get(t.id, (0, 0))[1],
            created_at=t.created_at,
            updated_at=t.updated_at,
        )
        for t in tasks
    ]


async def task_out(db: AsyncSession, task: Task) -> OfficeTaskOut:
    return (await tasks_out(db, [task]))[0]


async def checked_assignee(
    db: AsyncSession, project_id: uuid.UUID | None, assignee_id: uuid.UUID | None
) -> uuid.UUID | None:
    """A member of the task's project, or of the tenant for a personal task (422 otherwise)."""
    if assignee_id is None:
        return None
    if not await members_among(db, [assignee_id]):
        raise Invalid("assignee_id", "is not a member of this tenant")
    if project_id is not None and not await project_members_among(db, project_id, [assignee_id]):
        raise Invalid("assignee_id", "is not a member of the task's project: add them first")
    return assignee_id


async def assigned(db: AsyncSession, task: Task, by: uuid.UUID | None) -> None:
    """Tell the new assignee (unless they gave it to themselves) and say so as an event."""
    if task.assignee_id is None:
        return
    await emit(
        db,
        task.tenant_id,
        "oa.task.assigned",
        {"task_id": task.id, "assignee_id": task.assignee_id, "by_user_id": by},
    )
    if task.assignee_id != by:
        await notify(
            db,
            task.tenant_id,
            [task.assignee_id],
            ASSIGNED,
            f"A task was assigned to you: {task.title}",
            body=f"Due {task.due_date}" if task.due_date else "",
            link=task_link(task.id),
        )


async def _project_of(uow: Uow, actor: Actor, data: TaskIn) -> Project | None:
    """The new task's project: the one named, else its parent's; refused if archived."""
    project_id = data.project_id
    if project_id is None and data.parent_id is not None:
        project_id = (await checked_task(uow.db, actor, data.parent_id, "parent_id")).project_id
    if project_id is None:
        return None
    project = await checked_project(uow.db, actor, project_id, "project_id")
    if project.status != "active":
        raise Conflict("The project is archived: it takes no new tasks.")
    return project


async def create_task(uow: Uow, actor: Actor, data: TaskIn) -> Task:
    db = uow.db
    project = await _project_of(uow, actor, data)
    project_id = project.id if project is not None else None
    if data.parent_id is not None:
        await lock_tree(db, actor.tenant)
        await checked_parent(db, actor, data.parent_id, project_id, None)
    now = datetime.now(UTC)
    task = Task(
        tenant_id=actor.tenant,
        project_id=project_id,
        parent_id=data.parent_id,
        title=clean(data.title, "title"),
        description=data.description,
        assignee_id=await checked_assignee(db, project_id, data.assignee_id),
        due_date=data.due_date,
        priority=data.priority,
        status=data.status,
        completed_at=now if data.status == "done" else None,
        created_by=actor.user_id,
    )
    db.add(task)
    await db.flush()
    for position, line in enumerate(data.checklist):
        db.add(
            ChecklistItem(
                tenant_id=actor.tenant,
                task_id=task.id,
                text=clean(line, f"checklist[{position}]"),
                position=position,
            )
        )
    await db.flush()
    await db.refresh(task)
    await emit(db, actor.tenant, "oa.task.created", created_facts(task))
    await assigned(db, task, actor.user_id)
    return task


def created_facts(task: Task) -> dict[str, object]:
    return {
        "task_id": task.id,
        "project_id": task.project_id,
        "parent_id": task.parent_id,
        "assignee_id": task.assignee_id,
        "source_record_type": task.source_record_type,
        "source_record_id": task.source_record_id,
    }


async def move(db: AsyncSession, task: Task, status: str) -> None:
    """Move the task to ``status`` (409 if its current status does not lead there)."""
    if status == task.status:
        return
    if status not in TRANSITIONS[task.status]:
        raise Conflict(
            f"A {task.status} task cannot become {status}"
            + (": reopen it to todo first." if task.status == "cancelled" else ".")
        )
    was_closed = task.status in ("done", "cancelled")
    task.status = status
    task.completed_at = datetime.now(UTC) if status == "done" else None
    await db.flush()
    kind = STATUS_EVENTS.get(status, REOPENED if was_closed else None)
    if kind is not None:
        await emit(db, task.tenant_id, kind, {"task_id": task.id, "status": status})


async def change_task(uow: Uow, actor: Actor, task_id: uuid.UUID, data: TaskPatch) -> Task:
    db = uow.db
    if not isinstance(data.parent_id, msgspec.UnsetType):
        # Before the task's row lock: the tree lock is always taken first.
        await lock_tree(db, actor.tenant)
    task = await get_task(db, actor, task_id, lock=True)
    if data.title is not None:
        task.title = clean(data.title, "title")
    if data.description is not None:
        task.description = data.description
    if not isinstance(data.parent_id, msgspec.UnsetType) and data.parent_id != task.parent_id:
        if data.parent_id is not None:
            await checked_parent(db, actor, data.parent_id, task.project_id, task.id)
        task.parent_id = data.parent_id
    if not isinstance(data.due_date, msgspec.UnsetType):
        task.due_date = data.due_date
    if data.priority is not None:
        task.priority = data.priority
    newly_assigned = False
    if not isinstance(data.assignee_id, msgspec.UnsetType) and data.assignee_id != task.assignee_id:
        task.assignee_id = await checked_assignee(db, task.project_id, data.assignee_id)
        newly_assigned = task.assignee_id is not None
    await db.flush()
    if data.status is not None:
        await move(db, task, data.status)
    await db.refresh(task)
    if newly_assigned:
        await assigned(db, task, actor.user_id)
    return task


async def delete_task(uow: Uow, actor: Actor, task_id: uuid.UUID) -> None:
    db = uow.db
    task = await get_task(db, actor, task_id)
    if not await may_delete(db, actor, task):
        raise Forbidden(
            "Only whoever created the task, its project's managers and task managers delete it."
        )
    await db.delete(task)
    await db.flush()
    await emit(db, actor.tenant, "oa.task.deleted", {"task_id": task_id})
