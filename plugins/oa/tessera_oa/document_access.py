"""Who reaches which folder, and how far: the one rule of the document store.

A member's access to a folder is the highest of:

- **manage**, for holders of ``oa.document.manage`` (owners and admins) everywhere, and for
  whoever created the folder or a folder above it;
- **write** or **read**, from the shares on the folder or on any folder above it that name the
  member, their built-in role, a custom role they hold, or their department or a department
  above it.

Shares only add: a folder below cannot take back what a share above gives (sharing inherits
down the tree). Documents have no rules of their own: they are reached as their folder is.
Read lists and downloads; write uploads, adds versions, renames, moves and deletes documents
and makes sub-folders; manage also renames, moves and deletes the folder and changes its
shares. A folder the member cannot read is answered as if it did not exist (404).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, Forbidden, NotFound, custom_roles_of
from tessera_oa.departments import ancestors as department_line
from tessera_oa.departments import department_of
from tessera_oa.documents_models import MAX_DEPTH, Folder, FolderShare

MANAGE_ALL = "oa.document.manage"


class Level(IntEnum):
    NONE = 0
    READ = 1
    WRITE = 2
    MANAGE = 3


LEVEL_NAMES = {Level.READ: "read", Level.WRITE: "write", Level.MANAGE: "manage"}


@dataclass(frozen=True, slots=True)
class Viewer:
    """A member as shares see them: who they are, their roles and their departments."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: str | None
    custom_roles: frozenset[uuid.UUID]
    #: Their department and every department above it: a share to a department reaches the
    #: departments below it.
    departments: frozenset[uuid.UUID]
    manages_all: bool

    def named_by(self) -> ColumnElement[bool]:
        """The shares that name this member, one way or another."""
        conditions: list[ColumnElement[bool]] = [FolderShare.user_id == self.user_id]
        if self.role is not None:
            conditions.append(FolderShare.role == self.role)
        if self.custom_roles:
            conditions.append(FolderShare.role_id.in_(self.custom_roles))
        if self.departments:
            conditions.append(FolderShare.department_id.in_(self.departments))
        return or_(*conditions)


async def viewer_of(db: AsyncSession, actor: Actor) -> Viewer:
    if actor.can(MANAGE_ALL):
        # Shares add nothing to managing everything: spare the lookups.
        return Viewer(actor.user_id, actor.tenant, actor.role, frozenset(), frozenset(), True)
    department = await department_of(db, actor.user_id)
    departments = await department_line(db, department) if department is not None else []
    return Viewer(
        user_id=actor.user_id,
        tenant_id=actor.tenant,
        role=actor.role,
        custom_roles=frozenset(await custom_roles_of(db, actor.user_id)),
        departments=frozenset(departments),
        manages_all=False,
    )


def share_level() -> Any:
    """A share's level as a number, for ``max``."""
    return case((FolderShare.access == "write", int(Level.WRITE)), else_=int(Level.READ))


@dataclass(frozen=True, slots=True)
class Reached:
    """A folder as the viewer reaches it."""

    folder: Folder
    level: Level

    def require(self, needed: Level, doing: str) -> None:
        require(self.level, needed, doing)


def require(level: Level, needed: Level, doing: str) -> None:
    """403 unless ``level`` is at least ``needed``: the member sees the folder, so saying no
    hides nothing."""
    if level < needed:
        raise Forbidden(f"You may not {doing} here: it needs {LEVEL_NAMES[needed]} access.")


async def line_of(db: AsyncSession, folder_id: uuid.UUID) -> list[Folder]:
    """The folder and the folders above it, nearest first (empty if there is no such folder)."""
    line = (
        select(Folder.id, Folder.parent_id, literal(1).label("depth"))
        .where(Folder.id == folder_id)
        .cte("line", recursive=True)
    )
    line = line.union_all(
        select(Folder.id, Folder.parent_id, line.c.depth + 1)
        .join(line, Folder.id == line.c.parent_id)
        .where(line.c.depth < MAX_DEPTH)
    )
    query = select(Folder).join(line, Folder.id == line.c.id).order_by(line.c.depth)
    return list((await db.scalars(query)).all())


async def level_on(db: AsyncSession, viewer: Viewer, line: list[Folder]) -> Level:
    """The viewer's level on ``line[0]``, given its line up to the top."""
    if viewer.manages_all or any(f.created_by == viewer.user_id for f in line):
        return Level.MANAGE
    shared = await db.scalar(
        select(func.max(share_level())).where(
            FolderShare.folder_id.in_([f.id for f in line]), viewer.named_by()
        )
    )
    return Level(shared or Level.NONE)


async def reach(db: AsyncSession, viewer: Viewer, folder_id: uuid.UUID) -> Reached | None:
    """The folder and the viewer's level on it; None if there is none they can read."""
    line = await line_of(db, folder_id)
    if not line:
        return None
    level = await level_on(db, viewer, line)
    return Reached(line[0], level) if level >= Level.READ else None


async def folder_at(db: AsyncSession, viewer: Viewer, folder_id: uuid.UUID) -> Reached:
    """A folder the request addresses (path or query): 404 unless the viewer can read it."""
    reached = await reach(db, viewer, folder_id)
    if reached is None:
        raise NotFound("No such folder.")
    return reached


def readable(viewer: Viewer) -> Any:
    """A subquery of every folder the viewer can read, ``(id, level)``, for lists and search.

    Starts from the folders the viewer created and those shared with them, and walks down
    from each; a folder reached several ways keeps its highest level. Only for viewers who
    do not manage everything (they read every folder).
    """
    seeds = (
        select(Folder.id.label("id"), literal(int(Level.MANAGE)).label("level"))
        .where(Folder.created_by == viewer.user_id)
        .union_all(
            select(FolderShare.folder_id.label("id"), share_level().label("level")).where(
                viewer.named_by()
            )
        )
        .subquery("seeds")
    )
    tree = select(seeds.c.id, seeds.c.level).cte("readable", recursive=True)
    # UNION, not UNION ALL: a folder met again at the same level adds nothing, so even a
    # loop in the data would end the walk.
    tree = tree.union(select(Folder.id, tree.c.level).join(tree, Folder.parent_id == tree.c.id))
    return (
        select(tree.c.id, func.max(tree.c.level).label("level"))
        .group_by(tree.c.id)
        .subquery("reachable")
    )


async def own_levels(
    db: AsyncSession, viewer: Viewer, folders: list[Folder]
) -> dict[uuid.UUID, Level]:
    """What the folders' own shares and creators give the viewer (not what comes from above)."""
    levels = {f.id: Level.MANAGE for f in folders if f.created_by == viewer.user_id}
    ids = [f.id for f in folders if f.id not in levels]
    if ids:
        query: Select[Any] = (
            select(FolderShare.folder_id, func.max(share_level()))
            .where(FolderShare.folder_id.in_(ids), viewer.named_by())
            .group_by(FolderShare.folder_id)
        )
        levels |= {folder_id: Level(level) for folder_id, level in await db.execute(query)}
    return levels
