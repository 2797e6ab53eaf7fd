"""Tasks over HTTP, under /api/v1/oa/tasks: the list (by due date by default, filtered for a
board, a calendar window or another module's record), one task, and changes to it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import ColumnElement, Select, or_, select

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Invalid,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    requires,
)
from tessera_oa.task_access import READ, WRITE, get_task, visible_tasks
from tessera_oa.task_models import TASK_PRIORITIES, TASK_STATUSES, Task
from tessera_oa.task_schemas import OfficeTaskOut, TaskIn, TaskPatch, choice
from tessera_oa.tasks import change_task, create_task, delete_task, task_out, tasks_out

SORTING = Sorting(
    {
        "due_date": Task.due_date,
        "title": Task.title,
        "created_at": Task.created_at,
        "updated_at": Task.updated_at,
    },
    Task.id,
    default="due_date",
)
StatusFilter = Annotated[str | None, QueryParameter(pattern=choice(TASK_STATUSES))]
PriorityFilter = Annotated[str | None, QueryParameter(pattern=choice(TASK_PRIORITIES))]
AssigneeFilter = Annotated[
    str | None,
    QueryParameter(pattern=r"^(me|[0-9a-fA-F-]{32,36})$", description="'me' or a user id"),
]
Search = Annotated[
    str | None, QueryParameter(max_length=200, description="Words of the title or description")
]
DueFrom = Annotated[date | None, QueryParameter(description="Due on or after this day")]
DueTo = Annotated[date | None, QueryParameter(description="Due on or before this day")]
SourceType = Annotated[
    str | None,
    QueryParameter(max_length=100, description="Tasks made for records of this type (crm.ticket)"),
]
SourceId = Annotated[
    str | None, QueryParameter(max_length=100, description="Tasks made for this record")
]


def assignee_of(actor: Actor, assignee: str) -> uuid.UUID:
    if assignee == "me":
        return actor.user_id
    try:
        return uuid.UUID(assignee)
    except ValueError:
        raise Invalid("assignee_id", "is 'me' or a user id") from None


def due_window(due_from: date | None, due_to: date | None) -> list[ColumnElement[bool]]:
    if due_from is not None and due_to is not None and due_to < due_from:
        raise Invalid("due_to", "must not be before due_from")
    conditions: list[ColumnElement[bool]] = []
    if due_from is not None:
        conditions.append(Task.due_date >= due_from)
    if due_to is not None:
        conditions.append(Task.due_date <= due_to)
    return conditions


class TasksController(Controller):
    path = "/tasks"
    tags = ["oa"]

    @get("/", summary="The tasks you may see, by due date", opt=requires(READ))
    async def list_tasks(
        self,
        actor: Member,
        uow: Uow,
        project_id: Annotated[uuid.UUID | None, QueryParameter()] = None,
        personal: Annotated[
            bool | None, QueryParameter(description="Only tasks outside (true) or in projects")
        ] = None,
        parent_id: Annotated[uuid.UUID | None, QueryParameter(description="Its subtasks")] = None,
        assignee_id: AssigneeFilter = None,
        status: StatusFilter = None,
        priority: PriorityFilter = None,
        due_from: DueFrom = None,
        due_to: DueTo = None,
        q: Search = None,
        source_record_type: SourceType = None,
        source_record_id: SourceId = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[OfficeTaskOut]:
        conditions = due_window(due_from, due_to)
        if project_id is not None:
            conditions.append(Task.project_id == project_id)
        if personal is not None:
            conditions.append(
                Task.project_id.is_(None) if personal else Task.project_id.is_not(None)
            )
        if parent_id is not None:
            conditions.append(Task.parent_id == parent_id)
        if assignee_id is not None:
            conditions.append(Task.assignee_id == assignee_of(actor, assignee_id))
        if status:
            conditions.append(Task.status == status)
        if priority:
            conditions.append(Task.priority == priority)
        if q:
            conditions.append(
                or_(
                    Task.title.icontains(q, autoescape=True),
                    Task.description.icontains(q, autoescape=True),
                )
            )
        if source_record_type is not None:
            conditions.append(Task.source_record_type == source_record_type)
        if source_record_id is not None:
            conditions.append(Task.source_record_id == source_record_id)
        query: Select[Any] = select(Task).where(visible_tasks(actor), *conditions)
        page = SORTING.page(query, sort, cursor, limit)
        rows = list((await uow.db.scalars(page.query)).all())
        shown = {t.id: t for t in await tasks_out(uow.db, rows[:limit])}
        return page.of(rows, lambda task: shown[task.id])

    @post("/", status_code=HTTP_201_CREATED, summary="Create a task", opt=requires(WRITE))
    async def create(self, data: JSONBody[TaskIn], actor: Member, uow: Uow) -> OfficeTaskOut:
        return await task_out(uow.db, await create_task(uow, actor, data))

    @get("/{task_id:uuid}", summary="One task", opt=requires(READ))
    async def get_one(self, task_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> OfficeTaskOut:
        return await task_out(uow.db, await get_task(uow.db, actor, task_id))

    @patch(
        "/{task_id:uuid}",
        summary="Change a task: its title, parent, assignee, due date, priority or status",
        opt=requires(WRITE),
    )
    async def change(
        self, task_id: FromPath[uuid.UUID], data: JSONBody[TaskPatch], actor: Member, uow: Uow
    ) -> OfficeTaskOut:
        return await task_out(uow.db, await change_task(uow, actor, task_id, data))

    @delete(
        "/{task_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a task with its subtasks, checklist and comments (to the recycle bin)",
        opt=requires(WRITE),
    )
    async def remove(self, task_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_task(uow, actor, task_id)
