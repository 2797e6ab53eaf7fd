"""Who reaches which projects and tasks.

A project is seen by its members; its tasks by the same people. A personal task (no project)
is seen by whoever created it and whoever it is assigned to. Holders of ``oa.task.manage`` see
and change everything. Records outside these rules answer 404, as if they did not exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    BUILTIN_ROLES,
    Actor,
    Forbidden,
    Invalid,
    NotFound,
    Permission,
    member_emails,
)
from tessera_oa.task_models import Project, ProjectMember, Task

READ, WRITE, MANAGE = "oa.task.read", "oa.task.write", "oa.task.manage"


def my_projects(user_id: uuid.UUID) -> ColumnElement[bool]:
    """Projects ``user_id`` takes part in (over ``Project.id``)."""
    return Project.id.in_(select(ProjectMember.project_id).where(ProjectMember.user_id == user_id))


def visible_projects(actor: Actor) -> ColumnElement[bool]:
    return true() if actor.can(MANAGE) else my_projects(actor.user_id)


def sees_task(user_id: uuid.UUID) -> ColumnElement[bool]:
    """Tasks ``user_id`` may see by the rules above, as a condition over ``Task``."""
    theirs = select(ProjectMember.project_id).where(ProjectMember.user_id == user_id)
    return or_(
        Task.project_id.in_(theirs),
        and_(
            Task.project_id.is_(None),
            or_(Task.created_by == user_id, Task.assignee_id == user_id),
        ),
    )


def visible_tasks(actor: Actor) -> ColumnElement[bool]:
    return true() if actor.can(MANAGE) else sees_task(actor.user_id)


async def get_project(db: AsyncSession, actor: Actor, project_id: uuid.UUID) -> Project:
    query = select(Project).where(Project.id == project_id, visible_projects(actor))
    project = (await db.scalars(query)).first()
    if project is None:
        raise NotFound("No such project.")
    return project


async def checked_project(
    db: AsyncSession, actor: Actor, project_id: uuid.UUID, field: str
) -> Project:
    """The project an input names; 422 naming ``field`` if the actor reaches none by that id."""
    query = select(Project).where(Project.id == project_id, visible_projects(actor))
    project = (await db.scalars(query)).first()
    if project is None:
        raise Invalid(field, "no such project (or you do not take part in it)")
    return project


async def role_in(db: AsyncSession, project_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    """``user_id``'s role in the project: manager, member, or None."""
    query = select(ProjectMember.role).where(
        ProjectMember.project_id == project_id, ProjectMember.user_id == user_id
    )
    return (await db.scalars(query)).first()


async def may_manage(db: AsyncSession, actor: Actor, project: Project) -> bool:
    return actor.can(MANAGE) or await role_in(db, project.id, actor.user_id) == "manager"


async def require_manager(db: AsyncSession, actor: Actor, project: Project) -> None:
    if not await may_manage(db, actor, project):
        raise Forbidden("Only the project's managers (and task managers) may do this.")


async def get_task(
    db: AsyncSession, actor: Actor, task_id: uuid.UUID, *, lock: bool = False
) -> Task:
    """The task, if the actor may see it; else 404. ``lock`` holds its row until commit."""
    query = select(Task).where(Task.id == task_id, visible_tasks(actor))
    if lock:
        query = query.with_for_update(of=Task)
    task = (await db.scalars(query)).first()
    if task is None:
        raise NotFound("No such task.")
    return task


async def checked_task(
    db: AsyncSession, actor: Actor, task_id: uuid.UUID, field: str, *, lock: bool = False
) -> Task:
    """The task an input names; 422 naming ``field`` if the actor sees none by that id."""
    query = select(Task).where(Task.id == task_id, visible_tasks(actor))
    if lock:
        query = query.with_for_update(of=Task)
    task = (await db.scalars(query)).first()
    if task is None:
        raise Invalid(field, "no such task")
    return task


async def members_among(db: AsyncSession, user_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``user_ids`` are members of the tenant (by user id)."""
    return set(await member_emails(db, set(user_ids)))


async def project_members_among(
    db: AsyncSession, project_id: uuid.UUID, user_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    query = select(ProjectMember.user_id).where(
        ProjectMember.project_id == project_id, ProjectMember.user_id.in_(list(user_ids))
    )
    return set((await db.scalars(query)).all())


async def who_may_see(
    db: AsyncSession, task: Task, user_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of ``user_ids`` see ``task`` by membership (task managers aside)."""
    if task.project_id is not None:
        return await project_members_among(db, task.project_id, user_ids)
    return {u for u in user_ids if u in (task.created_by, task.assignee_id)}


async def may_delete(db: AsyncSession, actor: Actor, task: Task) -> bool:
    """Task managers, whoever created the task, and the managers of its project."""
    if actor.can(MANAGE) or task.created_by == actor.user_id:
        return True
    if task.project_id is None:
        return False
    return await role_in(db, task.project_id, actor.user_id) == "manager"


PERMISSIONS = (
    Permission(
        READ,
        "See your tasks and the projects you take part in, with their tasks",
        default_roles=BUILTIN_ROLES,
    ),
    Permission(
        WRITE,
        "Create tasks and projects; work on and comment on the tasks you see",
        default_roles=BUILTIN_ROLES,
    ),
    Permission(MANAGE, "See and change every project and task; restore deleted ones"),
)
