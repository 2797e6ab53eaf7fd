"""Departments: the org structure, as a tree of units with heads and members.

Mounted under /api/v1/oa/departments. The reporting line (who approves whose requests) stays
the core's: each member's manager. A department groups people for calendars, sharing and
reports; its members are listed with their manager so the two views meet.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import func, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    Input,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    emit,
    is_member,
    managers_of,
    member_emails,
    requires,
)
from tessera_oa.models import Department, DepartmentMember

READ, MANAGE = "oa.department.read", "oa.department.manage"
SORTING = Sorting(
    {"name": Department.name, "created_at": Department.created_at}, Department.id, default="name"
)
DepartmentName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
ParentFilter = Annotated[
    uuid.UUID | None, QueryParameter(description="Only the direct sub-departments of this one")
]
Search = Annotated[str | None, QueryParameter(max_length=120, description="Part of the name")]
#: Depth beyond which a tree is refused: deep enough for any organisation, and a walk that
#: could not end on bad data still ends.
MAX_DEPTH = 32


class DepartmentIn(Input):
    name: DepartmentName
    parent_id: uuid.UUID | None = None
    head_user_id: uuid.UUID | None = None


class DepartmentPatch(Input):
    name: DepartmentName | None = None
    #: null moves the department to the top; absent leaves it where it is.
    parent_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET
    head_user_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET


class DepartmentOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None
    head_user_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class DepartmentMemberOut(msgspec.Struct):
    department_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    #: The member's manager in the core's reporting line, if any.
    manager_user_id: uuid.UUID | None


def department_out(department: Department) -> DepartmentOut:
    return msgspec.convert(department, DepartmentOut, from_attributes=True)


async def get_department(
    db: AsyncSession, tenant_id: uuid.UUID, department_id: uuid.UUID
) -> Department:
    department = await db.get(Department, (tenant_id, department_id))
    if department is None:
        raise NotFound("No such department.")
    return department


async def checked_department(
    db: AsyncSession, tenant_id: uuid.UUID, department_id: uuid.UUID, field: str
) -> Department:
    """The department an input names; 422 naming ``field`` if the tenant has none by that id."""
    department = await db.get(Department, (tenant_id, department_id))
    if department is None:
        raise Invalid(field, "no such department")
    return department


async def _checked_head(db: AsyncSession, user_id: uuid.UUID | None) -> uuid.UUID | None:
    if user_id is not None and not await is_member(db, user_id):
        raise Invalid("head_user_id", "is not a member of this tenant")
    return user_id


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name", "must not be blank")
    return cleaned


async def _refuse_taken_name(db: AsyncSession, name: str, excluding: uuid.UUID | None) -> None:
    query = select(Department.id).where(func.lower(Department.name) == name.casefold())
    if excluding is not None:
        query = query.where(Department.id != excluding)
    if await db.scalar(query) is not None:
        raise Conflict(f"A department is already named {name!r}.")


async def lock_tree(db: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Take the tenant's department-tree lock until the transaction ends.

    Two moves checked at the same time could each see no loop and together make one (A under
    B, B under A); moves and creations of one tenant take turns instead.
    """
    await db.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended('oa.department.tree:' || :t, 0))"),
        {"t": str(tenant_id)},
    )


async def ancestors(db: AsyncSession, department_id: uuid.UUID) -> list[uuid.UUID]:
    """``department_id`` and the departments above it, nearest first."""
    line = (
        select(Department.id, Department.parent_id, literal(1).label("depth"))
        .where(Department.id == department_id)
        .cte("line", recursive=True)
    )
    line = line.union_all(
        select(Department.id, Department.parent_id, line.c.depth + 1)
        .join(line, Department.id == line.c.parent_id)
        .where(line.c.depth < MAX_DEPTH)
    )
    rows = await db.execute(select(line.c.id).order_by(line.c.depth))
    return list(rows.scalars())


def _below(department_id: uuid.UUID) -> Any:
    """A recursive query of ``department_id`` and every department below it, with depths."""
    tree = (
        select(Department.id, literal(1).label("depth"))
        .where(Department.id == department_id)
        .cte("tree", recursive=True)
    )
    return tree.union_all(
        select(Department.id, tree.c.depth + 1)
        .join(tree, Department.parent_id == tree.c.id)
        .where(tree.c.depth < MAX_DEPTH)
    )


async def subtree(db: AsyncSession, department_id: uuid.UUID) -> list[uuid.UUID]:
    """``department_id`` and every department below it, at any depth."""
    return list((await db.execute(select(_below(department_id).c.id))).scalars())


async def _height(db: AsyncSession, department_id: uuid.UUID) -> int:
    """Levels from ``department_id`` down to its deepest sub-department, counting itself."""
    return int(await db.scalar(select(func.max(_below(department_id).c.depth))) or 1)


async def _checked_parent(
    db: AsyncSession, tenant_id: uuid.UUID, parent_id: uuid.UUID | None, moving: uuid.UUID | None
) -> uuid.UUID | None:
    """The new parent, refused if unknown, if it would close a loop, or if too deep."""
    if parent_id is None:
        return None
    await checked_department(db, tenant_id, parent_id, "parent_id")
    line = await ancestors(db, parent_id)
    if moving is not None and moving in line:
        raise Invalid("parent_id", "that department is this one or lies inside it")
    below = await _height(db, moving) if moving is not None else 1
    if len(line) + below > MAX_DEPTH:
        raise Invalid("parent_id", f"departments nest at most {MAX_DEPTH} deep")
    return parent_id


async def create_department(uow: Uow, actor: Actor, data: DepartmentIn) -> Department:
    db, name = uow.db, clean_name(data.name)
    await lock_tree(db, actor.tenant)
    await _refuse_taken_name(db, name, None)
    department = Department(
        tenant_id=actor.tenant,
        name=name,
        parent_id=await _checked_parent(db, actor.tenant, data.parent_id, None),
        head_user_id=await _checked_head(db, data.head_user_id),
    )
    db.add(department)
    await db.flush()
    await emit(db, actor.tenant, "oa.department.created", {"department_id": department.id})
    return department


async def change_department(
    uow: Uow, actor: Actor, department_id: uuid.UUID, data: DepartmentPatch
) -> Department:
    db = uow.db
    await lock_tree(db, actor.tenant)
    department = await get_department(db, actor.tenant, department_id)
    if data.name is not None:
        name = clean_name(data.name)
        await _refuse_taken_name(db, name, department.id)
        department.name = name
    if not isinstance(data.parent_id, msgspec.UnsetType):
        department.parent_id = await _checked_parent(
            db, actor.tenant, data.parent_id, department.id
        )
    if not isinstance(data.head_user_id, msgspec.UnsetType):
        department.head_user_id = await _checked_head(db, data.head_user_id)
    await db.flush()
    await db.refresh(department)
    return department


async def delete_department(uow: Uow, actor: Actor, department_id: uuid.UUID) -> None:
    db = uow.db
    await lock_tree(db, actor.tenant)
    department = await get_department(db, actor.tenant, department_id)
    child = await db.scalar(select(Department.name).where(Department.parent_id == department.id))
    if child is not None:
        raise Conflict(
            f"The department has sub-departments ({child!r} among them): move or delete them first."
        )
    await db.delete(department)
    await db.flush()
    await emit(db, actor.tenant, "oa.department.deleted", {"department_id": department_id})


async def department_of(db: AsyncSession, user_id: uuid.UUID) -> uuid.UUID | None:
    """The department ``user_id`` belongs to, if any."""
    query = select(DepartmentMember.department_id).where(DepartmentMember.user_id == user_id)
    return (await db.scalars(query)).first()


async def member_ids(db: AsyncSession, department_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """The members of these departments."""
    if not department_ids:
        return []
    query = select(DepartmentMember.user_id).where(
        DepartmentMember.department_id.in_(department_ids)
    )
    return list((await db.scalars(query)).all())


async def place_member(
    uow: Uow, actor: Actor, department_id: uuid.UUID, user_id: uuid.UUID
) -> DepartmentMember:
    """Put ``user_id`` in the department, moving them out of any other."""
    db = uow.db
    await get_department(db, actor.tenant, department_id)
    if not await is_member(db, user_id):
        raise Invalid("user_id", "is not a member of this tenant")
    place = (
        await db.scalars(
            select(DepartmentMember).where(DepartmentMember.user_id == user_id).with_for_update()
        )
    ).first()
    if place is None:
        place = DepartmentMember(
            tenant_id=actor.tenant, department_id=department_id, user_id=user_id
        )
        db.add(place)
    elif place.department_id != department_id:
        place.department_id = department_id
    else:
        return place
    await db.flush()
    await emit(
        db,
        actor.tenant,
        "oa.department.member_placed",
        {"department_id": department_id, "user_id": user_id},
    )
    return place


async def remove_member(
    uow: Uow, actor: Actor, department_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    db = uow.db
    place = (
        await db.scalars(
            select(DepartmentMember).where(
                DepartmentMember.user_id == user_id,
                DepartmentMember.department_id == department_id,
            )
        )
    ).first()
    if place is None:
        raise NotFound("That member is not in this department.")
    await db.delete(place)
    await db.flush()


async def members_out(
    db: AsyncSession, department_id: uuid.UUID, places: list[DepartmentMember]
) -> list[DepartmentMemberOut]:
    ids = [place.user_id for place in places]
    emails, managers = await member_emails(db, ids), await managers_of(db, ids)
    return [DepartmentMemberOut(department_id, i, emails.get(i, ""), managers.get(i)) for i in ids]


class DepartmentsController(Controller):
    path = "/departments"
    tags = ["oa"]

    @get("/", summary="The tenant's departments", opt=requires(READ))
    async def list_departments(
        self,
        actor: Member,
        uow: Uow,
        parent_id: ParentFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[DepartmentOut]:
        page = SORTING.page(select(Department), sort, cursor, limit)
        query = page.query
        if parent_id is not None:
            query = query.where(Department.parent_id == parent_id)
        if q:
            query = query.where(Department.name.icontains(q, autoescape=True))
        return page.of(list((await uow.db.scalars(query)).all()), department_out)

    @post("/", status_code=HTTP_201_CREATED, summary="Create a department", opt=requires(MANAGE))
    async def create(self, data: JSONBody[DepartmentIn], actor: Member, uow: Uow) -> DepartmentOut:
        return department_out(await create_department(uow, actor, data))

    @get("/{department_id:uuid}", summary="One department", opt=requires(READ))
    async def get_one(
        self, department_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> DepartmentOut:
        return department_out(await get_department(uow.db, actor.tenant, department_id))

    @patch(
        "/{department_id:uuid}",
        summary="Rename a department, move it, or change its head",
        opt=requires(MANAGE),
    )
    async def change(
        self,
        department_id: FromPath[uuid.UUID],
        data: JSONBody[DepartmentPatch],
        actor: Member,
        uow: Uow,
    ) -> DepartmentOut:
        return department_out(await change_department(uow, actor, department_id, data))

    @delete(
        "/{department_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a department without sub-departments (to the recycle bin, with its members' places)",
        opt=requires(MANAGE),
    )
    async def remove(self, department_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_department(uow, actor, department_id)

    @get(
        "/{department_id:uuid}/members",
        summary="The department's members, each with their manager",
        opt=requires(READ),
    )
    async def list_members(
        self,
        department_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[DepartmentMemberOut]:
        await get_department(uow.db, actor.tenant, department_id)
        page = MEMBER_SORTING.page(
            select(DepartmentMember).where(DepartmentMember.department_id == department_id),
            None,
            cursor,
            limit,
        )
        places = list((await uow.db.scalars(page.query)).all())
        shown = await members_out(uow.db, department_id, places[:limit])
        by_user = {member.user_id: member for member in shown}
        return page.of(places, lambda place: by_user[place.user_id])

    @put(
        "/{department_id:uuid}/members/{user_id:uuid}",
        summary="Put a member in the department (moving them out of any other)",
        opt=requires(MANAGE),
    )
    async def place(
        self,
        department_id: FromPath[uuid.UUID],
        user_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
    ) -> DepartmentMemberOut:
        place = await place_member(uow, actor, department_id, user_id)
        return (await members_out(uow.db, department_id, [place]))[0]

    @delete(
        "/{department_id:uuid}/members/{user_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Take a member out of the department",
        opt=requires(MANAGE),
    )
    async def unplace(
        self,
        department_id: FromPath[uuid.UUID],
        user_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
    ) -> None:
        await remove_member(uow, actor, department_id, user_id)


MEMBER_SORTING = Sorting({}, DepartmentMember.id)
