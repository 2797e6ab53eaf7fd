"""Announcements over HTTP, under /api/v1/oa/announcements; the rules are in announcements.py."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import Boolean, ColumnElement, DateTime, Uuid, exists, func, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    CursorQuery,
    Invalid,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Uow,
    check_limit,
    decode_cursor,
    member_emails,
    page_of,
    requires,
)
from tessera_oa.announcement_audience import addressed_to, audience_members, audiences_of
from tessera_oa.announcement_models import Announcement, AnnouncementRead
from tessera_oa.announcements import (
    MANAGE,
    READ,
    AnnouncementIn,
    AnnouncementOut,
    AnnouncementPatch,
    announcement_out,
    change_announcement,
    create_announcement,
    delete_announcement,
    get_managed,
    in_state,
    live,
    mark_read,
    publish_now,
    readable,
)

StateFilter = Annotated[
    str,
    QueryParameter(
        # "state" is Litestar's name for the application state: the parameter is called so
        # on the wire only.
        name="state",
        pattern=r"^(live|scheduled|draft|expired|all)$",
        description="live (default): what is addressed to you and showing; any other state "
        "lists every announcement in it and needs oa.announcement.manage",
    ),
]
UnreadFilter = Annotated[bool, QueryParameter(description="Only those you have not read")]


class ReadOut(msgspec.Struct):
    announcement_id: uuid.UUID
    read_at: datetime


class ReaderOut(msgspec.Struct):
    user_id: uuid.UUID
    email: str
    read_at: datetime


class AudienceMemberOut(msgspec.Struct):
    user_id: uuid.UUID
    email: str


class ReceiptsOut(msgspec.Struct):
    audience: int
    read: int
    unread: int


def _feed_cursor(announcement: Announcement) -> str:
    published = announcement.publish_at.isoformat() if announcement.publish_at else None
    data = json.dumps([announcement.pinned, published, str(announcement.id)])
    return base64.urlsafe_b64encode(data.encode()).rstrip(b"=").decode()


def _after_in_feed(cursor: str) -> ColumnElement[bool]:
    """Announcements after the cursor's in the feed's order: pinned first, newest first."""
    try:
        pinned, published, last_id = json.loads(
            base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        )
        key = (bool(pinned), datetime.fromisoformat(published), uuid.UUID(last_id))
    except (binascii.Error, ValueError, TypeError):
        raise Invalid("cursor", "is not a cursor this API gave out for this list") from None
    mine = tuple_(Announcement.pinned, Announcement.publish_at, Announcement.id)
    return mine < tuple_(
        literal(key[0], Boolean), literal(key[1], DateTime(timezone=True)), literal(key[2], Uuid)
    )


async def _receipts(
    db: AsyncSession, viewer: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, datetime]:
    if not ids:
        return {}
    rows = await db.execute(
        select(AnnouncementRead.announcement_id, AnnouncementRead.read_at).where(
            AnnouncementRead.user_id == viewer, AnnouncementRead.announcement_id.in_(list(ids))
        )
    )
    return {announcement_id: read_at for announcement_id, read_at in rows}


async def shown(
    db: AsyncSession, viewer: uuid.UUID, announcements: list[Announcement]
) -> list[AnnouncementOut]:
    now = datetime.now(UTC)
    audiences = await audiences_of(db, announcements)
    read = await _receipts(db, viewer, [a.id for a in announcements])
    return [announcement_out(a, audiences[a.id], read.get(a.id), now) for a in announcements]


async def _listing(
    uow: Uow, actor: Actor, state: str, unread: bool, limit: int, cursor: str | None
) -> tuple[list[Announcement], str | None]:
    """One page of the feed (``live``) or of every announcement in ``state``."""
    now, limit = datetime.now(UTC), check_limit(limit)
    if state != "live":
        actor.require(MANAGE)
    query: Any = select(Announcement)
    if unread:
        query = query.where(
            ~exists().where(
                AnnouncementRead.tenant_id == Announcement.tenant_id,
                AnnouncementRead.announcement_id == Announcement.id,
                AnnouncementRead.user_id == actor.user_id,
            )
        )
    if state == "live":
        query = query.where(live(now), await addressed_to(uow.db, actor))
        query = query.order_by(
            Announcement.pinned.desc(), Announcement.publish_at.desc(), Announcement.id.desc()
        )
        if cursor is not None:
            query = query.where(_after_in_feed(cursor))
    else:
        condition = in_state(state, now)
        if condition is not None:
            query = query.where(condition)
        query = query.order_by(Announcement.id.desc())
        if (after := decode_cursor(cursor)) is not None:
            query = query.where(Announcement.id < after)
    rows = list((await uow.db.scalars(query.limit(limit + 1))).all())
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    if state == "live":
        return rows[:limit], _feed_cursor(last)
    return rows[:limit], page_of(rows, limit, key=lambda a: a.id, render=lambda a: a).next_cursor


class AnnouncementsController(Controller):
    path = "/announcements"
    tags = ["oa"]

    @get(
        "/",
        summary="Announcements addressed to you and showing, pinned first, newest first",
        opt=requires(READ),
    )
    async def list_announcements(
        self,
        actor: Member,
        uow: Uow,
        in_state: StateFilter = "live",
        unread: UnreadFilter = False,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[AnnouncementOut]:
        rows, next_cursor = await _listing(uow, actor, in_state, unread, limit, cursor)
        return Page(items=await shown(uow.db, actor.user_id, rows), next_cursor=next_cursor)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Write an announcement (published now, at publish_at, or a draft)",
        opt=requires(MANAGE),
    )
    async def create(
        self, data: JSONBody[AnnouncementIn], actor: Member, uow: Uow
    ) -> AnnouncementOut:
        announcement = await create_announcement(uow, actor, data)
        return (await shown(uow.db, actor.user_id, [announcement]))[0]

    @get("/{announcement_id:uuid}", summary="One announcement", opt=requires(READ))
    async def get_one(
        self, announcement_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> AnnouncementOut:
        announcement = await readable(uow.db, actor, announcement_id, datetime.now(UTC))
        return (await shown(uow.db, actor.user_id, [announcement]))[0]

    @patch(
        "/{announcement_id:uuid}",
        summary="Change an announcement: text, audience, pin, timing",
        opt=requires(MANAGE),
    )
    async def change(
        self,
        announcement_id: FromPath[uuid.UUID],
        data: JSONBody[AnnouncementPatch],
        actor: Member,
        uow: Uow,
    ) -> AnnouncementOut:
        announcement = await change_announcement(uow, actor, announcement_id, data)
        return (await shown(uow.db, actor.user_id, [announcement]))[0]

    @delete(
        "/{announcement_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete an announcement with its receipts (to the recycle bin)",
        opt=requires(MANAGE),
    )
    async def remove(self, announcement_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_announcement(uow, actor, announcement_id)

    @post(
        "/{announcement_id:uuid}/publish",
        status_code=HTTP_200_OK,
        summary="Publish a draft or scheduled announcement now",
        opt=requires(MANAGE),
    )
    async def publish(
        self, announcement_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> AnnouncementOut:
        announcement = await publish_now(uow, actor, announcement_id)
        return (await shown(uow.db, actor.user_id, [announcement]))[0]

    @post(
        "/{announcement_id:uuid}/read",
        status_code=HTTP_200_OK,
        summary="Mark an announcement addressed to you as read",
        opt=requires(READ),
    )
    async def read(self, announcement_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> ReadOut:
        return ReadOut(announcement_id, await mark_read(uow, actor, announcement_id))

    @get(
        "/{announcement_id:uuid}/readers",
        summary="Who has read the announcement, in the order they read it",
        opt=requires(MANAGE),
    )
    async def readers(
        self,
        announcement_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[ReaderOut]:
        await get_managed(uow.db, actor.tenant, announcement_id)
        query = (
            select(AnnouncementRead)
            .where(AnnouncementRead.announcement_id == announcement_id)
            .order_by(AnnouncementRead.id)
            .limit(check_limit(limit) + 1)
        )
        if (after := decode_cursor(cursor)) is not None:
            query = query.where(AnnouncementRead.id > after)
        rows = list((await uow.db.scalars(query)).all())
        emails = await member_emails(uow.db, [r.user_id for r in rows[:limit]])
        return page_of(
            rows,
            limit,
            key=lambda r: r.id,
            render=lambda r: ReaderOut(r.user_id, emails.get(r.user_id, ""), r.read_at),
        )

    @get(
        "/{announcement_id:uuid}/unread",
        summary="Who in the announcement's audience has not read it yet",
        opt=requires(MANAGE),
    )
    async def unread(
        self,
        announcement_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[AudienceMemberOut]:
        announcement = await get_managed(uow.db, actor.tenant, announcement_id)
        audience = (await audience_members(uow.db, announcement)).subquery()
        query = (
            select(audience.c.user_id)
            .where(~_has_read(announcement_id, audience.c.user_id))
            .order_by(audience.c.user_id)
            .limit(check_limit(limit) + 1)
        )
        if (after := decode_cursor(cursor)) is not None:
            query = query.where(audience.c.user_id > after)
        people = list((await uow.db.scalars(query)).all())
        emails = await member_emails(uow.db, people[:limit])
        return page_of(
            people,
            limit,
            key=lambda user_id: user_id,
            render=lambda user_id: AudienceMemberOut(user_id, emails.get(user_id, "")),
        )

    @get(
        "/{announcement_id:uuid}/receipts",
        summary="How many in the audience have read the announcement, and how many not",
        opt=requires(MANAGE),
    )
    async def receipts(
        self, announcement_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> ReceiptsOut:
        announcement = await get_managed(uow.db, actor.tenant, announcement_id)
        audience = (await audience_members(uow.db, announcement)).subquery()
        total = select(func.count()).select_from(audience)
        unread = total.where(~_has_read(announcement_id, audience.c.user_id))
        size = int(await uow.db.scalar(total) or 0)
        left = int(await uow.db.scalar(unread) or 0)
        return ReceiptsOut(audience=size, read=size - left, unread=left)


def _has_read(announcement_id: uuid.UUID, user_id: Any) -> ColumnElement[bool]:
    return exists().where(
        AnnouncementRead.announcement_id == announcement_id, AnnouncementRead.user_id == user_id
    )
