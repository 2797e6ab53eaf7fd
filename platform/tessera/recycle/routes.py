"""HTTP API of the recycle bin."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, delete, get, post
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK

from tessera.recycle import service
from tessera.recycle.models import RecycleItem
from tessera.recycle.schemas import RecycleItemOut
from tessera.web.context import Member, Uow, requires
from tessera.web.pagination import (
    DEFAULT_LIMIT,
    CursorQuery,
    LimitQuery,
    check_limit,
    decode_cursor,
    page_of,
)
from tessera.web.schemas import Page

TypeFilter = Annotated[str | None, QueryParameter(max_length=100, description="A table name")]


def item_out(item: RecycleItem) -> RecycleItemOut:
    return RecycleItemOut(
        id=item.id,
        record_type=item.record_type,
        record_id=item.record_id,
        label=item.label,
        deleted_at=item.deleted_at,
        deleted_by=item.deleted_by,
        expires_at=item.expires_at,
        records=len(item.rows),
    )


class RecycleBinController(Controller):
    path = "/recycle-bin"
    tags = ["recycle bin"]

    @get("/", summary="Deleted records you may restore", opt=requires("recycle.item.read"))
    async def list_items(
        self,
        actor: Member,
        uow: Uow,
        record_type: TypeFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[RecycleItemOut]:
        rows = await service.list_items(
            uow,
            user_id=actor.user_id,
            grants=dict(actor.grants),
            record_type=record_type,
            before=decode_cursor(cursor),
            limit=check_limit(limit) + 1,
        )
        return page_of(rows, limit, key=lambda i: i.id, render=item_out)

    @post(
        "/{item_id:uuid}/restore",
        status_code=HTTP_200_OK,
        summary="Restore a deleted record with the records deleted with it",
        opt=requires("recycle.item.read"),
    )
    async def restore(
        self, item_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> RecycleItemOut:
        item = await service.restore(uow, item_id, user_id=actor.user_id, grants=dict(actor.grants))
        return item_out(item)

    @delete(
        "/{item_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Purge a record from the bin for good",
        opt=requires("recycle.item.purge"),
    )
    async def purge(self, item_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await service.purge(uow, item_id)


ROUTE_HANDLERS: list[Any] = [RecycleBinController]
