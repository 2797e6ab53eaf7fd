"""Subtasks: a task under a parent of the same project, to any depth up to MAX_DEPTH, never
under itself or one of its own subtasks."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, Invalid
from tessera_oa.task_access import checked_task
from tessera_oa.task_models import Task

#: Deep enough for any plan; a walk over bad data still ends.
MAX_DEPTH = 10


async def lock_tree(db: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Take the tenant's task-tree lock until the transaction ends.

    Two moves checked at the same time could each see no cycle and together make one (A under
    B, B under A); moves of one tenant take turns instead.
    """
    await db.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended('oa.task.tree:' || :t, 0))"),
        {"t": str(tenant_id)},
    )


async def ancestors(db: AsyncSession, task_id: uuid.UUID) -> list[uuid.UUID]:
    """``task_id`` and the tasks above it, nearest first."""
    line = (
        select(Task.id, Task.parent_id, literal(1).label("depth"))
        .where(Task.id == task_id)
        .cte("line", recursive=True)
    )
    line = line.union_all(
        select(Task.id, Task.parent_id, line.c.depth + 1)
        .join(line, Task.id == line.c.parent_id)
        .where(line.c.depth <= MAX_DEPTH)
    )
    return list((await db.execute(select(line.c.id).order_by(line.c.depth))).scalars())


def _below(task_id: uuid.UUID) -> Any:
    tree = (
        select(Task.id, literal(1).label("depth"))
        .where(Task.id == task_id)
        .cte("tree", recursive=True)
    )
    return tree.union_all(
        select(Task.id, tree.c.depth + 1)
        .join(tree, Task.parent_id == tree.c.id)
        .where(tree.c.depth <= MAX_DEPTH)
    )


async def height(db: AsyncSession, task_id: uuid.UUID) -> int:
    """Levels from ``task_id`` down to its deepest subtask, counting itself."""
    return int(await db.scalar(select(func.max(_below(task_id).c.depth))) or 1)


async def checked_parent(
    db: AsyncSession,
    actor: Actor,
    parent_id: uuid.UUID,
    project_id: uuid.UUID | None,
    moving: uuid.UUID | None,
) -> Task:
    """The parent a task is put under, refused (422 on ``parent_id``) if the actor cannot see
    it, it lies in another project, it is the task itself or below it, or it is too deep."""
    parent = await checked_task(db, actor, parent_id, "parent_id")
    if parent.project_id != project_id:
        raise Invalid("parent_id", "is in another project: a subtask stays in its parent's")
    line = await ancestors(db, parent.id)
    if moving is not None and moving in line:
        raise Invalid("parent_id", "is this task or one of its subtasks: that would be a cycle")
    below = await height(db, moving) if moving is not None else 1
    if len(line) + below > MAX_DEPTH:
        raise Invalid("parent_id", f"subtasks nest at most {MAX_DEPTH} deep")
    return parent
