"""Who takes part in each project, as a manager or a member. Under /api/v1/oa/project-members.

One flat collection (filtered by ``project_id``) rather than a path under each project, so the
browser app shows a project's members as a related list of its page. Managers add, change
and remove; every member sees who else takes part. A project keeps at least one manager.
Someone taken out of a project is taken off its tasks too (the database's foreign key from a
task's assignee to the project's members).
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
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    Uow,
    emit,
    member_emails,
    requires,
)
from tessera_oa.projects import place, tell_joined
from tessera_oa.task_access import (
    READ,
    WRITE,
    checked_project,
    members_among,
    require_manager,
    visible_projects,
)
from tessera_oa.task_models import Project, ProjectMember
from tessera_oa.task_schemas import ProjectMemberIn, ProjectMemberOut, ProjectMemberPatch

SORTING = Sorting({}, ProjectMember.id)
ProjectFilter = Annotated[uuid.UUID | None, QueryParameter(description="Members of this project")]
UserFilter = Annotated[uuid.UUID | None, QueryParameter(description="Projects of this member")]


async def members_out(db: AsyncSession, rows: list[ProjectMember]) -> list[ProjectMemberOut]:
    emails = await member_emails(db, {row.user_id for row in rows})
    return [
        ProjectMemberOut(
            id=row.id,
            project_id=row.project_id,
            user_id=row.user_id,
            email=emails.get(row.user_id, ""),
            role=row.role,
            created_at=row.created_at,
        )
        for row in rows
    ]


async def get_place(db: AsyncSession, actor: Actor, place_id: uuid.UUID) -> ProjectMember:
    """A membership of a project the actor sees; 404 otherwise."""
    query = (
        select(ProjectMember)
        .join(Project, Project.id == ProjectMember.project_id)
        .where(ProjectMember.id == place_id, visible_projects(actor))
    )
    found = (await db.scalars(query)).first()
    if found is None:
        raise NotFound("No such project member.")
    return found


async def refuse_losing_last_manager(db: AsyncSession, place: ProjectMember) -> None:
    if place.role != "manager":
        return
    # Locked in a fixed order: two managers stepping down at once cannot both pass the count.
    managers = list(
        (
            await db.scalars(
                select(ProjectMember.id)
                .where(
                    ProjectMember.project_id == place.project_id, ProjectMember.role == "manager"
                )
                .order_by(ProjectMember.id)
                .with_for_update()
            )
        ).all()
    )
    if managers == [place.id]:
        raise Conflict("A project keeps at least one manager: make someone else manager first.")


async def add_member(uow: Uow, actor: Actor, data: ProjectMemberIn) -> ProjectMember:
    db = uow.db
    project = await checked_project(db, actor, data.project_id, "project_id")
    await require_manager(db, actor, project)
    if not await members_among(db, [data.user_id]):
        raise Invalid("user_id", "is not a member of this tenant")
    taken = await db.scalar(
        select(func.count())
        .select_from(ProjectMember)
        .where(ProjectMember.project_id == project.id, ProjectMember.user_id == data.user_id)
    )
    if taken:
        raise Conflict("They already take part in the project: change their role instead.")
    added = await place(db, project, data.user_id, data.role)
    await emit(
        db,
        actor.tenant,
        "oa.project.member_added",
        {"project_id": project.id, "user_id": data.user_id, "role": data.role},
    )
    await tell_joined(db, project, {data.user_id}, actor.user_id)
    return added


async def change_member(
    uow: Uow, actor: Actor, place_id: uuid.UUID, data: ProjectMemberPatch
) -> ProjectMember:
    db = uow.db
    found = await get_place(db, actor, place_id)
    project = await db.get(Project, (actor.tenant, found.project_id))
    assert project is not None
    await require_manager(db, actor, project)
    if found.role == data.role:
        return found
    await refuse_losing_last_manager(db, found)
    if project.owner_id == found.user_id:
        raise Conflict("The project's owner stays a manager: hand the project over first.")
    found.role = data.role
    await db.flush()
    return found


async def remove_member(uow: Uow, actor: Actor, place_id: uuid.UUID) -> None:
    db = uow.db
    found = await get_place(db, actor, place_id)
    project = await db.get(Project, (actor.tenant, found.project_id))
    assert project is not None
    leaving = found.user_id == actor.user_id
    if not leaving:
        await require_manager(db, actor, project)
    await refuse_losing_last_manager(db, found)
    if project.owner_id == found.user_id:
        raise Conflict("The project's owner stays in it: hand the project over first.")
    await db.delete(found)
    await db.flush()
    await emit(
        db,
        actor.tenant,
        "oa.project.member_removed",
        {"project_id": project.id, "user_id": found.user_id},
    )


class ProjectMembersController(Controller):
    path = "/project-members"
    tags = ["oa"]

    @get("/", summary="Who takes part in the projects you see", opt=requires(READ))
    async def list_members(
        self,
        actor: Member,
        uow: Uow,
        project_id: ProjectFilter = None,
        user_id: UserFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[ProjectMemberOut]:
        visible = (
            select(ProjectMember)
            .join(Project, Project.id == ProjectMember.project_id)
            .where(visible_projects(actor))
        )
        page = SORTING.page(visible, None, cursor, limit)
        query = page.query
        if project_id is not None:
            query = query.where(ProjectMember.project_id == project_id)
        if user_id is not None:
            query = query.where(ProjectMember.user_id == user_id)
        rows = list((await uow.db.scalars(query)).all())
        shown = {m.id: m for m in await members_out(uow.db, rows[:limit])}
        return page.of(rows, lambda row: shown[row.id])

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Add a member of the tenant to a project (its managers)",
        opt=requires(WRITE),
    )
    async def add(
        self, data: JSONBody[ProjectMemberIn], actor: Member, uow: Uow
    ) -> ProjectMemberOut:
        return (await members_out(uow.db, [await add_member(uow, actor, data)]))[0]

    @get("/{member_id:uuid}", summary="One project member", opt=requires(READ))
    async def get_one(
        self, member_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> ProjectMemberOut:
        return (await members_out(uow.db, [await get_place(uow.db, actor, member_id)]))[0]

    @patch(
        "/{member_id:uuid}",
        summary="Make a project member a manager, or a manager a member (its managers)",
        opt=requires(WRITE),
    )
    async def change(
        self,
        member_id: FromPath[uuid.UUID],
        data: JSONBody[ProjectMemberPatch],
        actor: Member,
        uow: Uow,
    ) -> ProjectMemberOut:
        changed = await change_member(uow, actor, member_id, data)
        return (await members_out(uow.db, [changed]))[0]

    @delete(
        "/{member_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Take someone out of a project (its managers; anyone may leave); their tasks there are unassigned",
        opt=requires(WRITE),
    )
    async def remove(self, member_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await remove_member(uow, actor, member_id)
