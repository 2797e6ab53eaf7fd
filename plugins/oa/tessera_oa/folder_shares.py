"""Sharing folders, mounted under /api/v1/oa/folder-shares.

A share names exactly one grantee — a member (``user_id``), a built-in role (``role``), a
custom role (``role_id``) or a department (``department_id``) — and gives ``read`` or
``write`` access to the folder and everything below it. Those who manage the folder change
its shares; those who read it see them.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import ColumnElement, select
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
    Uow,
    emit,
    is_member,
    known_custom_roles,
    requires,
)
from tessera_oa.departments import checked_department
from tessera_oa.document_access import Level, Reached, Viewer, folder_at, line_of, reach, viewer_of
from tessera_oa.documents_models import FolderShare

READ = "oa.document.read"
Access = Literal["read", "write"]
BuiltInRole = Literal["owner", "admin", "member"]
SORTING = Sorting({}, FolderShare.id)
FolderFilter = Annotated[uuid.UUID, QueryParameter(description="The folder whose shares to list")]
Inherited = Annotated[
    bool,
    QueryParameter(description="Also the shares of the folders above, which reach this one"),
]


class ShareIn(Input):
    folder_id: uuid.UUID
    access: Access
    user_id: uuid.UUID | None = None
    role: BuiltInRole | None = None
    role_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None


class SharePatch(Input):
    access: Access


class ShareOut(msgspec.Struct):
    id: uuid.UUID
    folder_id: uuid.UUID
    user_id: uuid.UUID | None
    role: str | None
    role_id: uuid.UUID | None
    department_id: uuid.UUID | None
    access: str
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


def share_out(share: FolderShare) -> ShareOut:
    return msgspec.convert(share, ShareOut, from_attributes=True)


async def _checked_grantee(db: AsyncSession, actor: Actor, data: ShareIn) -> None:
    """Exactly one grantee, and one of this tenant (422 naming the field otherwise)."""
    named = [
        field
        for field, value in (
            ("user_id", data.user_id),
            ("role", data.role),
            ("role_id", data.role_id),
            ("department_id", data.department_id),
        )
        if value is not None
    ]
    if len(named) != 1:
        field = named[1] if named else "user_id"
        raise Invalid(field, "name exactly one of user_id, role, role_id and department_id")
    if data.user_id is not None and not await is_member(db, data.user_id):
        raise Invalid("user_id", "is not a member of this tenant")
    if data.role_id is not None and not await known_custom_roles(db, [data.role_id]):
        raise Invalid("role_id", "no such role")
    if data.department_id is not None:
        await checked_department(db, actor.tenant, data.department_id, "department_id")


def _same_grantee(data: ShareIn) -> ColumnElement[bool]:
    if data.user_id is not None:
        return FolderShare.user_id == data.user_id
    if data.role is not None:
        return FolderShare.role == data.role
    if data.role_id is not None:
        return FolderShare.role_id == data.role_id
    return FolderShare.department_id == data.department_id


async def _managed_folder(db: AsyncSession, viewer: Viewer, folder_id: uuid.UUID) -> Reached:
    reached = await reach(db, viewer, folder_id)
    if reached is None:
        raise Invalid("folder_id", "no such folder")
    reached.require(Level.MANAGE, "change who this folder is shared with")
    return reached


async def share_folder(uow: Uow, actor: Actor, data: ShareIn) -> FolderShare:
    db, viewer = uow.db, await viewer_of(uow.db, actor)
    await _managed_folder(db, viewer, data.folder_id)
    await _checked_grantee(db, actor, data)
    taken = await db.scalar(
        select(FolderShare.id).where(FolderShare.folder_id == data.folder_id, _same_grantee(data))
    )
    if taken is not None:
        raise Conflict("The folder is already shared with them: change that share's access.")
    share = FolderShare(
        tenant_id=actor.tenant,
        folder_id=data.folder_id,
        user_id=data.user_id,
        role=data.role,
        role_id=data.role_id,
        department_id=data.department_id,
        access=data.access,
        created_by=actor.user_id,
    )
    db.add(share)
    await db.flush()
    await db.refresh(share)
    await emit(db, actor.tenant, "oa.folder.shared", _payload(share))
    return share


def _payload(share: FolderShare) -> dict[str, object]:
    return {
        "folder_id": share.folder_id,
        "share_id": share.id,
        "user_id": share.user_id,
        "role": share.role,
        "role_id": share.role_id,
        "department_id": share.department_id,
        "access": share.access,
    }


async def _share(
    db: AsyncSession, viewer: Viewer, share_id: uuid.UUID, needed: Level
) -> FolderShare:
    """A share of a folder the viewer reads (404 otherwise); 403 if they need more."""
    share = (await db.scalars(select(FolderShare).where(FolderShare.id == share_id))).one_or_none()
    reached = None if share is None else await reach(db, viewer, share.folder_id)
    if share is None or reached is None:
        raise NotFound("No such share.")
    reached.require(needed, "change who this folder is shared with")
    return share


async def change_share(uow: Uow, actor: Actor, share_id: uuid.UUID, access: str) -> FolderShare:
    db = uow.db
    share = await _share(db, await viewer_of(db, actor), share_id, Level.MANAGE)
    if share.access != access:
        share.access = access
        await db.flush()
        await db.refresh(share)
        await emit(db, actor.tenant, "oa.folder.share_changed", _payload(share))
    return share


async def remove_share(uow: Uow, actor: Actor, share_id: uuid.UUID) -> None:
    db = uow.db
    share = await _share(db, await viewer_of(db, actor), share_id, Level.MANAGE)
    payload = _payload(share)
    await db.delete(share)
    await db.flush()
    await emit(db, actor.tenant, "oa.folder.unshared", payload)


class FolderSharesController(Controller):
    path = "/folder-shares"
    tags = ["oa"]

    @get("/", summary="Who a folder is shared with", opt=requires(READ))
    async def list_shares(
        self,
        actor: Member,
        uow: Uow,
        folder_id: FolderFilter,
        inherited: Inherited = False,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[ShareOut]:
        db = uow.db
        reached = await folder_at(db, await viewer_of(db, actor), folder_id)
        folders = [f.id for f in await line_of(db, reached.folder.id)] if inherited else [folder_id]
        page = SORTING.page(
            select(FolderShare).where(FolderShare.folder_id.in_(folders)), None, cursor, limit
        )
        return page.of(list((await db.scalars(page.query)).all()), share_out)

    @post("/", status_code=HTTP_201_CREATED, summary="Share a folder", opt=requires(READ))
    async def create(self, data: JSONBody[ShareIn], actor: Member, uow: Uow) -> ShareOut:
        return share_out(await share_folder(uow, actor, data))

    @get("/{share_id:uuid}", summary="One share", opt=requires(READ))
    async def get_one(self, share_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> ShareOut:
        viewer = await viewer_of(uow.db, actor)
        return share_out(await _share(uow.db, viewer, share_id, Level.READ))

    @patch("/{share_id:uuid}", summary="Change a share's access", opt=requires(READ))
    async def change(
        self, share_id: FromPath[uuid.UUID], data: JSONBody[SharePatch], actor: Member, uow: Uow
    ) -> ShareOut:
        return share_out(await change_share(uow, actor, share_id, data.access))

    @delete("/{share_id:uuid}", status_code=HTTP_200_OK, summary="Stop sharing", opt=requires(READ))
    async def remove(self, share_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await remove_share(uow, actor, share_id)
