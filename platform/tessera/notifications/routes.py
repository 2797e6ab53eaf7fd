"""HTTP API of the signed-in member's notifications and notification preferences."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from tessera.notifications import service
from tessera.notifications.models import Notification
from tessera.notifications.schemas import (
    MarkedOut,
    NotificationOut,
    PreferenceIn,
    PreferenceOut,
    UnreadOut,
)
from tessera.web.context import Member, Uow
from tessera.web.pagination import (
    DEFAULT_LIMIT,
    CursorQuery,
    LimitQuery,
    check_limit,
    decode_cursor,
    page_of,
)
from tessera.web.schemas import Page

UnreadOnly = Annotated[bool, QueryParameter(description="Only notifications not read yet")]


def notification_out(item: Notification) -> NotificationOut:
    return msgspec.convert(item, NotificationOut, from_attributes=True)


class NotificationController(Controller):
    path = "/notifications"
    tags = ["notifications"]

    @get("/", summary="Your notifications, newest first")
    async def inbox(
        self,
        actor: Member,
        uow: Uow,
        unread: UnreadOnly = False,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[NotificationOut]:
        rows = await service.inbox(
            uow.db,
            actor.user_id,
            unread_only=unread,
            before=decode_cursor(cursor),
            limit=check_limit(limit) + 1,
        )
        return page_of(rows, limit, key=lambda n: n.id, render=notification_out)

    @get("/unread-count", summary="How many notifications you have not read")
    async def unread_count(self, actor: Member, uow: Uow) -> UnreadOut:
        return UnreadOut(unread=await service.unread_count(uow.db, actor.user_id))

    @post("/{notification_id:uuid}/read", status_code=HTTP_200_OK, summary="Mark one as read")
    async def mark_read(
        self, notification_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> NotificationOut:
        return notification_out(await service.mark_read(uow.db, actor.user_id, notification_id))

    @post("/read-all", status_code=HTTP_200_OK, summary="Mark all as read")
    async def mark_all_read(self, actor: Member, uow: Uow) -> MarkedOut:
        return MarkedOut(marked=await service.mark_all_read(uow.db, actor.user_id))

    @get("/preferences", summary="How you chose to hear of each type (others: in the app only)")
    async def preferences(self, actor: Member, uow: Uow) -> list[PreferenceOut]:
        return [
            PreferenceOut(type=p.type, in_app=p.in_app, email=p.email)
            for p in await service.preferences(uow.db, actor.user_id)
        ]

    @put("/preferences/{kind:str}", summary="Choose how to hear of one type of notification")
    async def set_preference(
        self, kind: FromPath[str], data: JSONBody[PreferenceIn], actor: Member, uow: Uow
    ) -> PreferenceOut:
        await service.set_preference(
            uow.db, actor.tenant, actor.user_id, kind, in_app=data.in_app, email=data.email
        )
        return PreferenceOut(type=kind, in_app=data.in_app, email=data.email)


ROUTE_HANDLERS = [NotificationController]
