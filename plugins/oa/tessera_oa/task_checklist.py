"""Each task's checklist: ordered lines with done flags. Under /api/v1/oa/task-checklist.

Positions run 0, 1, 2 … without gaps: adding, moving and removing a line moves the others to
close up. Changes to one task's checklist take turns on the task's row lock, so two at once
cannot leave two lines in one place.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    requires,
)
from tessera_oa.projects import clean
from tessera_oa.task_access import READ, WRITE, checked_task, get_task, visible_tasks
from tessera_oa.task_models import ChecklistItem, Task
from tessera_oa.task_schemas import (
    MAX_CHECKLIST,
    ChecklistItemIn,
    ChecklistItemOut,
    ChecklistItemPatch,
)

SORTING = Sorting(
    {"position": ChecklistItem.position, "created_at": ChecklistItem.created_at},
    ChecklistItem.id,
    default="position",
)
TaskFilter = Annotated[uuid.UUID | None, QueryParameter(description="The checklist of this task")]


def item_out(item: ChecklistItem) -> ChecklistItemOut:
    return ChecklistItemOut(
        id=item.id,
        task_id=item.task_id,
        text=item.text,
        done=item.done,
        position=item.position,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


async def _length(db: AsyncSession, task_id: uuid.UUID) -> int:
    query = select(func.count()).select_from(ChecklistItem).where(ChecklistItem.task_id == task_id)
    return int(await db.scalar(query) or 0)


async def _shift(db: AsyncSession, task_id: uuid.UUID, where: ColumnElement[bool], by: int) -> None:
    await db.execute(
        update(ChecklistItem)
        .where(ChecklistItem.task_id == task_id, where)
        .values(position=ChecklistItem.position + by)
        .execution_options(synchronize_session=False)
    )


async def _item(db: AsyncSession, actor: Actor, item_id: uuid.UUID) -> ChecklistItem:
    """A line of a task the actor sees; 404 otherwise."""
    query = (
        select(ChecklistItem)
        .join(Task, Task.id == ChecklistItem.task_id)
        .where(ChecklistItem.id == item_id, visible_tasks(actor))
    )
    item = (await db.scalars(query)).first()
    if item is None:
        raise NotFound("No such checklist item.")
    return item


async def add_item(uow: Uow, actor: Actor, data: ChecklistItemIn) -> ChecklistItem:
    db = uow.db
    task = await checked_task(db, actor, data.task_id, "task_id", lock=True)
    length = await _length(db, task.id)
    if length >= MAX_CHECKLIST:
        raise Conflict(f"A checklist holds at most {MAX_CHECKLIST} lines.")
    position = length if data.position is None else data.position
    if position > length:
        raise Invalid("position", f"is at most {length} (the end of the checklist)")
    await _shift(db, task.id, ChecklistItem.position >= position, 1)
    item = ChecklistItem(
        tenant_id=actor.tenant,
        task_id=task.id,
        text=clean(data.text, "text"),
        done=data.done,
        position=position,
    )
    db.add(item)
    await db.flush()
    await db.refresh(item)
    return item


async def change_item(
    uow: Uow, actor: Actor, item_id: uuid.UUID, data: ChecklistItemPatch
) -> ChecklistItem:
    db = uow.db
    item = await _item(db, actor, item_id)
    await get_task(db, actor, item.task_id, lock=True)
    await db.refresh(item)
    if data.text is not None:
        item.text = clean(data.text, "text")
    if data.done is not None:
        item.done = data.done
    if data.position is not None and data.position != item.position:
        last = await _length(db, item.task_id) - 1
        if data.position > last:
            raise Invalid("position", f"is at most {last} (the last line)")
        old, new = item.position, data.position
        if new < old:
            await _shift(
                db,
                item.task_id,
                and_(ChecklistItem.position >= new, ChecklistItem.position < old),
                1,
            )
        else:
            await _shift(
                db,
                item.task_id,
                and_(ChecklistItem.position > old, ChecklistItem.position <= new),
                -1,
            )
        item.position = new
    await db.flush()
    await db.refresh(item)
    return item


async def remove_item(uow: Uow, actor: Actor, item_id: uuid.UUID) -> None:
    db = uow.db
    item = await _item(db, actor, item_id)
    await get_task(db, actor, item.task_id, lock=True)
    await db.refresh(item)
    task_id, position = item.task_id, item.position
    await db.delete(item)
    await db.flush()
    await _shift(db, task_id, ChecklistItem.position > position, -1)


class ChecklistController(Controller):
    path = "/task-checklist"
    tags = ["oa"]

    @get("/", summary="Checklist lines of the tasks you see, in order", opt=requires(READ))
    async def list_items(
        self,
        actor: Member,
        uow: Uow,
        task_id: TaskFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[ChecklistItemOut]:
        query = select(ChecklistItem).join(Task, Task.id == ChecklistItem.task_id)
        query = query.where(visible_tasks(actor))
        if task_id is not None:
            query = query.where(ChecklistItem.task_id == task_id)
        page = SORTING.page(query, sort, cursor, limit)
        return page.of(list((await uow.db.scalars(page.query)).all()), item_out)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Add a line to a task's checklist",
        opt=requires(WRITE),
    )
    async def add(
        self, data: JSONBody[ChecklistItemIn], actor: Member, uow: Uow
    ) -> ChecklistItemOut:
        return item_out(await add_item(uow, actor, data))

    @get("/{item_id:uuid}", summary="One checklist line", opt=requires(READ))
    async def get_one(
        self, item_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> ChecklistItemOut:
        return item_out(await _item(uow.db, actor, item_id))

    @patch(
        "/{item_id:uuid}",
        summary="Tick, untick, reword or move a checklist line",
        opt=requires(WRITE),
    )
    async def change(
        self,
        item_id: FromPath[uuid.UUID],
        data: JSONBody[ChecklistItemPatch],
        actor: Member,
        uow: Uow,
    ) -> ChecklistItemOut:
        return item_out(await change_item(uow, actor, item_id, data))

    @delete(
        "/{item_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Remove a checklist line (the others close up)",
        opt=requires(WRITE),
    )
    async def remove(self, item_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await remove_item(uow, actor, item_id)
