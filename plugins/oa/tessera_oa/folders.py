"""Folders: a tree per tenant, mounted under /api/v1/oa/folders.

Who may do what is the rule of :mod:`tessera_oa.document_access`. Top-level folders are laid
out by holders of ``oa.document.manage``; anyone with write access to a folder makes folders
inside it, and manages what they make.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import func, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    Forbidden,
    Input,
    Invalid,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    clean_filename,
    emit,
    requires,
)
from tessera_oa.document_access import (
    LEVEL_NAMES,
    MANAGE_ALL,
    Level,
    Reached,
    Viewer,
    folder_at,
    line_of,
    own_levels,
    reach,
    readable,
    viewer_of,
)
from tessera_oa.documents_models import MAX_DEPTH, Folder

READ = "oa.document.read"
SORTING = Sorting(
    {"name": Folder.name, "created_at": Folder.created_at, "updated_at": Folder.updated_at},
    Folder.id,
    default="name",
)
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
ParentFilter = Annotated[
    uuid.UUID | None,
    QueryParameter(description="Only the folders directly inside this one"),
]
Search = Annotated[
    str | None, QueryParameter(max_length=255, description="Part of the name, in any folder")
]


class FolderIn(Input):
    name: Name
    #: None (absent) makes a top-level folder, which needs oa.document.manage.
    parent_id: uuid.UUID | None = None


class FolderPatch(Input):
    name: Name | None = None
    #: null moves the folder to the top; absent leaves it where it is.
    parent_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET


class FolderOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    #: What the caller may do here: read, write or manage.
    access: str


def folder_out(folder: Folder, level: Level) -> FolderOut:
    return FolderOut(
        id=folder.id,
        name=folder.name,
        parent_id=folder.parent_id,
        created_by=folder.created_by,
        created_at=folder.created_at,
        updated_at=folder.updated_at,
        access=LEVEL_NAMES[level],
    )


def clean_name(raw: str, field: str = "name") -> str:
    """A folder's or document's name: the platform's file-name rules, and no slashes at all
    (uploads keep a path's last segment; a name someone types is refused instead)."""
    if "/" in raw or "\\" in raw:
        raise Invalid(field, "must not contain / or \\")
    if not raw.strip().rstrip(". "):
        raise Invalid(field, "must not be blank, '.' or '..'")
    return clean_filename(raw, field=field)


async def lock_tree(db: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Folder moves of one tenant take turns: two checked at once could each see no loop
    and together make one (A into B, B into A)."""
    await db.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended('oa.folder.tree:' || :t, 0))"),
        {"t": str(tenant_id)},
    )


async def _height(db: AsyncSession, folder_id: uuid.UUID) -> int:
    """Levels from the folder down to its deepest sub-folder, counting itself."""
    tree = (
        select(Folder.id, literal(1).label("depth"))
        .where(Folder.id == folder_id)
        .cte("below", recursive=True)
    )
    tree = tree.union_all(
        select(Folder.id, tree.c.depth + 1)
        .join(tree, Folder.parent_id == tree.c.id)
        .where(tree.c.depth < MAX_DEPTH)
    )
    return int(await db.scalar(select(func.max(tree.c.depth))) or 1)


async def target_folder(
    db: AsyncSession, viewer: Viewer, folder_id: uuid.UUID, field: str, doing: str
) -> Reached:
    """A folder an input names as where something goes: 422 naming ``field`` if the viewer
    cannot see it (another tenant's id included), 403 if they may not write there."""
    reached = await reach(db, viewer, folder_id)
    if reached is None:
        raise Invalid(field, "no such folder")
    reached.require(Level.WRITE, doing)
    return reached


async def _refuse_taken(
    db: AsyncSession, parent_id: uuid.UUID | None, name: str, excluding: uuid.UUID | None
) -> None:
    query = select(Folder.id).where(
        func.lower(Folder.name) == name.lower(),
        Folder.parent_id.is_(None) if parent_id is None else Folder.parent_id == parent_id,
    )
    if excluding is not None:
        query = query.where(Folder.id != excluding)
    if await db.scalar(query) is not None:
        raise Conflict(f"A folder named {name!r} is already there.")


async def _checked_parent(
    db: AsyncSession, viewer: Viewer, parent_id: uuid.UUID | None, moving: Folder | None
) -> uuid.UUID | None:
    """Where a folder goes: the top (for those who manage everything) or a folder the viewer
    writes to, not inside the folder itself, and not too deep."""
    if parent_id is None:
        if not viewer.manages_all:
            raise Forbidden(f"Top-level folders are laid out by holders of {MANAGE_ALL!r}.")
        return None
    parent = await target_folder(db, viewer, parent_id, "parent_id", "make folders")
    line = await line_of(db, parent.folder.id)
    if moving is not None and moving.id in {f.id for f in line}:
        raise Invalid("parent_id", "that folder is this one or lies inside it")
    below = await _height(db, moving.id) if moving is not None else 1
    if len(line) + below > MAX_DEPTH:
        raise Invalid("parent_id", f"folders nest at most {MAX_DEPTH} deep")
    return parent_id


async def create_folder(uow: Uow, actor: Actor, data: FolderIn) -> FolderOut:
    db, viewer = uow.db, await viewer_of(uow.db, actor)
    name = clean_name(data.name)
    parent_id = await _checked_parent(db, viewer, data.parent_id, None)
    await _refuse_taken(db, parent_id, name, None)
    folder = Folder(
        tenant_id=actor.tenant, name=name, parent_id=parent_id, created_by=actor.user_id
    )
    db.add(folder)
    await db.flush()
    await db.refresh(folder)
    await emit(
        db, actor.tenant, "oa.folder.created", {"folder_id": folder.id, "parent_id": parent_id}
    )
    return folder_out(folder, Level.MANAGE)


async def change_folder(
    uow: Uow, actor: Actor, folder_id: uuid.UUID, data: FolderPatch
) -> FolderOut:
    db, viewer = uow.db, await viewer_of(uow.db, actor)
    if not isinstance(data.parent_id, msgspec.UnsetType):
        await lock_tree(db, actor.tenant)
    reached = await folder_at(db, viewer, folder_id)
    reached.require(Level.MANAGE, "rename or move this folder")
    folder = reached.folder
    name = folder.name if data.name is None else clean_name(data.name)
    parent_id = folder.parent_id
    if not isinstance(data.parent_id, msgspec.UnsetType) and data.parent_id != folder.parent_id:
        parent_id = await _checked_parent(db, viewer, data.parent_id, folder)
    if (name, parent_id) == (folder.name, folder.parent_id):
        return folder_out(folder, reached.level)
    await _refuse_taken(db, parent_id, name, folder.id)
    payload: dict[str, Any] = {"folder_id": folder.id}
    if name != folder.name:
        await emit(db, actor.tenant, "oa.folder.renamed", {**payload, "name": name})
    if parent_id != folder.parent_id:
        moved = {**payload, "from_parent_id": folder.parent_id, "to_parent_id": parent_id}
        await emit(db, actor.tenant, "oa.folder.moved", moved)
    folder.name, folder.parent_id = name, parent_id
    await db.flush()
    await db.refresh(folder)
    # Moved below a folder the viewer manages, or away from one: ask again.
    after = await reach(db, viewer, folder.id)
    return folder_out(folder, after.level if after else Level.NONE)


async def delete_folder(uow: Uow, actor: Actor, folder_id: uuid.UUID) -> None:
    """To the recycle bin, with every folder, document, version and share inside."""
    db, viewer = uow.db, await viewer_of(uow.db, actor)
    reached = await folder_at(db, viewer, folder_id)
    reached.require(Level.MANAGE, "delete this folder")
    await db.delete(reached.folder)
    await db.flush()
    await emit(db, actor.tenant, "oa.folder.deleted", {"folder_id": folder_id})


async def levels_of(
    db: AsyncSession, viewer: Viewer, folders: list[Folder], inherited: Level | None
) -> dict[uuid.UUID, Level]:
    """The viewer's level on each folder of a page: from the parent they were listed in
    (``inherited``) and their own shares, or looked up afresh (search results)."""
    if viewer.manages_all:
        return {f.id: Level.MANAGE for f in folders}
    if inherited is not None:
        own = await own_levels(db, viewer, folders)
        return {f.id: max(inherited, own.get(f.id, Level.NONE)) for f in folders}
    reachable = readable(viewer)
    query = select(reachable.c.id, reachable.c.level).where(
        reachable.c.id.in_([f.id for f in folders])
    )
    return {folder_id: Level(level) for folder_id, level in await db.execute(query)}


async def list_folders(
    uow: Uow,
    actor: Actor,
    parent_id: uuid.UUID | None,
    q: str | None,
    page_query: Any,
) -> tuple[list[Folder], dict[uuid.UUID, Level]]:
    db, viewer = uow.db, await viewer_of(uow.db, actor)
    query = page_query
    inherited: Level | None = None
    if parent_id is not None:
        parent = await folder_at(db, viewer, parent_id)
        inherited = parent.level
        query = query.where(Folder.parent_id == parent_id)
    elif not viewer.manages_all:
        reachable = select(readable(viewer).c.id).scalar_subquery()
        query = query.where(Folder.id.in_(reachable))
        if not q:
            # Where the member's folders start: those whose parent they cannot read.
            query = query.where(Folder.parent_id.is_(None) | Folder.parent_id.not_in(reachable))
    elif not q:
        query = query.where(Folder.parent_id.is_(None))
    if q:
        query = query.where(Folder.name.icontains(q, autoescape=True))
    folders = list((await db.scalars(query)).all())
    return folders, await levels_of(db, viewer, folders, inherited)


class FoldersController(Controller):
    path = "/folders"
    tags = ["oa"]

    @get(
        "/",
        summary="Folders: inside one (parent_id), found by name (q), or where yours start",
        opt=requires(READ),
    )
    async def list_all(
        self,
        actor: Member,
        uow: Uow,
        parent_id: ParentFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[FolderOut]:
        page = SORTING.page(select(Folder), sort, cursor, limit)
        folders, levels = await list_folders(uow, actor, parent_id, q, page.query)
        return page.of(folders, lambda f: folder_out(f, levels.get(f.id, Level.READ)))

    @post("/", status_code=HTTP_201_CREATED, summary="Make a folder", opt=requires(READ))
    async def create(self, data: JSONBody[FolderIn], actor: Member, uow: Uow) -> FolderOut:
        return await create_folder(uow, actor, data)

    @get("/{folder_id:uuid}", summary="One folder", opt=requires(READ))
    async def get_one(self, folder_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> FolderOut:
        reached = await folder_at(uow.db, await viewer_of(uow.db, actor), folder_id)
        return folder_out(reached.folder, reached.level)

    @patch("/{folder_id:uuid}", summary="Rename or move a folder", opt=requires(READ))
    async def change(
        self, folder_id: FromPath[uuid.UUID], data: JSONBody[FolderPatch], actor: Member, uow: Uow
    ) -> FolderOut:
        return await change_folder(uow, actor, folder_id, data)

    @delete(
        "/{folder_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a folder and all inside it (to the recycle bin)",
        opt=requires(READ),
    )
    async def remove(self, folder_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_folder(uow, actor, folder_id)
