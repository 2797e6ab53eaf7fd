"""Projects: shared pieces of work with members. Under /api/v1/oa/projects.

Whoever creates a project owns it and manages it; managers rename, archive and delete it and
choose its members. Members see the project's tasks and work on them.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    Invalid,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    emit,
    notify,
    requires,
)
from tessera_oa.task_access import (
    READ,
    WRITE,
    get_project,
    members_among,
    require_manager,
    visible_projects,
)
from tessera_oa.task_models import PROJECT_STATUSES, Project, ProjectMember, Task
from tessera_oa.task_schemas import ProjectIn, ProjectOut, ProjectPatch, choice

SORTING = Sorting(
    {"name": Project.name, "created_at": Project.created_at, "updated_at": Project.updated_at},
    Project.id,
    default="name",
)
JOINED = "oa.project_joined"
StatusFilter = Annotated[str | None, QueryParameter(pattern=choice(PROJECT_STATUSES))]
Search = Annotated[str | None, QueryParameter(max_length=200, description="Part of the name")]


def clean(text: str, field: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise Invalid(field, "must not be blank")
    return cleaned


async def roles_of(
    db: AsyncSession, user_id: uuid.UUID, project_ids: list[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """``user_id``'s role in each of the projects they take part in."""
    if not project_ids:
        return {}
    rows = await db.execute(
        select(ProjectMember.project_id, ProjectMember.role).where(
            ProjectMember.user_id == user_id, ProjectMember.project_id.in_(project_ids)
        )
    )
    return {row.project_id: row.role for row in rows}


async def projects_out(db: AsyncSession, actor: Actor, projects: list[Project]) -> list[ProjectOut]:
    roles = await roles_of(db, actor.user_id, [p.id for p in projects])
    return [
        ProjectOut(
            id=p.id,
            name=p.name,
            description=p.description,
            status=p.status,
            owner_id=p.owner_id,
            my_role=roles.get(p.id),
            created_at=p.created_at,
            updated_at=p.updated_at,
        )
        for p in projects
    ]


async def project_out(db: AsyncSession, actor: Actor, project: Project) -> ProjectOut:
    return (await projects_out(db, actor, [project]))[0]


async def place(db: AsyncSession, project: Project, user_id: uuid.UUID, role: str) -> ProjectMember:
    """``user_id`` in the project with ``role``: added, or their role changed."""
    query = select(ProjectMember).where(
        ProjectMember.project_id == project.id, ProjectMember.user_id == user_id
    )
    found = (await db.scalars(query.with_for_update())).first()
    if found is None:
        found = ProjectMember(
            tenant_id=project.tenant_id, project_id=project.id, user_id=user_id, role=role
        )
        db.add(found)
    else:
        found.role = role
    await db.flush()
    return found


async def tell_joined(
    db: AsyncSession, project: Project, user_ids: set[uuid.UUID], by: uuid.UUID
) -> None:
    """Tell people added to the project by someone else."""
    told = sorted(user_ids - {by})
    if told:
        await notify(
            db,
            project.tenant_id,
            told,
            JOINED,
            f"You were added to the project {project.name}",
            link=f"/oa/projects/{project.id}",
        )


async def create_project(uow: Uow, actor: Actor, data: ProjectIn) -> Project:
    db = uow.db
    owner_id = data.owner_id or actor.user_id
    people = {owner_id, *data.member_ids}
    strangers = people - await members_among(db, people)
    if strangers:
        field = "owner_id" if owner_id in strangers else "member_ids"
        raise Invalid(field, f"{sorted(map(str, strangers))[0]} is not a member of this tenant")
    project = Project(
        tenant_id=actor.tenant,
        name=clean(data.name, "name"),
        description=data.description,
        status=data.status,
        owner_id=owner_id,
    )
    db.add(project)
    await db.flush()
    managers = {actor.user_id, owner_id}
    for user_id in sorted(people | managers):
        await place(db, project, user_id, "manager" if user_id in managers else "member")
    await db.refresh(project)
    await emit(db, actor.tenant, "oa.project.created", {"project_id": project.id})
    await tell_joined(db, project, people | managers, actor.user_id)
    return project


async def change_project(
    uow: Uow, actor: Actor, project_id: uuid.UUID, data: ProjectPatch
) -> Project:
    db = uow.db
    project = await get_project(db, actor, project_id)
    await require_manager(db, actor, project)
    if data.name is not None:
        project.name = clean(data.name, "name")
    if data.description is not None:
        project.description = data.description
    if data.status is not None:
        project.status = data.status
    if data.owner_id is not None and data.owner_id != project.owner_id:
        taking_part = await db.scalar(
            select(ProjectMember.id).where(
                ProjectMember.project_id == project.id, ProjectMember.user_id == data.owner_id
            )
        )
        if taking_part is None:
            raise Invalid("owner_id", "is not a member of the project: add them first")
        await place(db, project, data.owner_id, "manager")
        project.owner_id = data.owner_id
    await db.flush()
    await db.refresh(project)
    return project


async def delete_project(uow: Uow, actor: Actor, project_id: uuid.UUID) -> None:
    db = uow.db
    project = await get_project(db, actor, project_id)
    await require_manager(db, actor, project)
    tasks = await db.scalar(
        select(func.count()).select_from(Task).where(Task.project_id == project.id)
    )
    if tasks:
        raise Conflict(f"The project has {tasks} task(s): archive it, or delete its tasks first.")
    await db.delete(project)
    await db.flush()
    await emit(db, actor.tenant, "oa.project.deleted", {"project_id": project_id})


class ProjectsController(Controller):
    path = "/projects"
    tags = ["oa"]

    @get(
        "/",
        summary="The projects you take part in (every one, for task managers)",
        opt=requires(READ),
    )
    async def list_projects(
        self,
        actor: Member,
        uow: Uow,
        status: StatusFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[ProjectOut]:
        page = SORTING.page(select(Project).where(visible_projects(actor)), sort, cursor, limit)
        query = page.query
        if status:
            query = query.where(Project.status == status)
        if q:
            query = query.where(Project.name.icontains(q, autoescape=True))
        rows = list((await uow.db.scalars(query)).all())
        shown = {p.id: p for p in await projects_out(uow.db, actor, rows[:limit])}
        return page.of(rows, lambda project: shown[project.id])

    @post("/", status_code=HTTP_201_CREATED, summary="Start a project", opt=requires(WRITE))
    async def create(self, data: JSONBody[ProjectIn], actor: Member, uow: Uow) -> ProjectOut:
        return await project_out(uow.db, actor, await create_project(uow, actor, data))

    @get("/{project_id:uuid}", summary="One project", opt=requires(READ))
    async def get_one(self, project_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> ProjectOut:
        return await project_out(uow.db, actor, await get_project(uow.db, actor, project_id))

    @patch(
        "/{project_id:uuid}",
        summary="Rename, describe, archive or hand over a project (its managers)",
        opt=requires(WRITE),
    )
    async def change(
        self, project_id: FromPath[uuid.UUID], data: JSONBody[ProjectPatch], actor: Member, uow: Uow
    ) -> ProjectOut:
        project = await change_project(uow, actor, project_id, data)
        return await project_out(uow.db, actor, project)

    @delete(
        "/{project_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a project without tasks (its managers; to the recycle bin)",
        opt=requires(WRITE),
    )
    async def remove(self, project_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_project(uow, actor, project_id)
