"""Announcements: sanitised rich-text notices to everyone, departments or roles; pinned,
published now, later or as drafts, expiring; with read receipts.

The rules, without HTTP; the routes are in announcement_routes.py. A member reads what is
addressed to them and live (published, not expired); holders of ``oa.announcement.manage``
write announcements, see every one in any state, and see who has and has not read each.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

import msgspec
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, Conflict, Input, Invalid, NotFound, Uow, emit, uuid7
from tessera_oa.announcement_audience import (
    Audience,
    address,
    addressed_to,
    audience_of,
    checked_audience,
)
from tessera_oa.announcement_models import Announcement, AnnouncementRead
from tessera_oa.sanitise import sanitise
from tessera_oa.spans import Moment

READ, MANAGE = "oa.announcement.read", "oa.announcement.manage"
PUBLISHED = "oa.announcement.published"
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Body = Annotated[str, msgspec.Meta(max_length=100_000)]
Kind = Literal["everyone", "departments", "roles"]
Ids = Annotated[list[uuid.UUID], msgspec.Meta(max_length=100)]
Roles = Annotated[list[str], msgspec.Meta(max_length=3)]
STATES = ("live", "scheduled", "draft", "expired", "all")


class AnnouncementIn(Input):
    title: Title
    #: HTML; what is not on the allow-list (scripts, handlers, javascript: links) is removed.
    body_html: Body = ""
    audience: Kind = "everyone"
    #: With audience "departments": these and every department inside them.
    department_ids: Ids = msgspec.field(default_factory=list)
    #: With audience "roles": built-in roles (owner, admin, member) …
    roles: Roles = msgspec.field(default_factory=list)
    #: … and custom roles.
    role_ids: Ids = msgspec.field(default_factory=list)
    pinned: bool = False
    #: When it shows. Absent: now; null: a draft, shown once published.
    publish_at: Moment | msgspec.UnsetType | None = msgspec.UNSET
    #: When it stops showing; null: never.
    expires_at: Moment | None = None


class AnnouncementPatch(Input):
    title: Title | None = None
    body_html: Body | None = None
    #: With its lists: the new audience replaces the old one whole.
    audience: Kind | None = None
    department_ids: Ids | None = None
    roles: Roles | None = None
    role_ids: Ids | None = None
    pinned: bool | None = None
    #: Only before publication; null makes it a draft again.
    publish_at: Moment | msgspec.UnsetType | None = msgspec.UNSET
    expires_at: Moment | msgspec.UnsetType | None = msgspec.UNSET


class AnnouncementOut(msgspec.Struct):
    id: uuid.UUID
    title: str
    body_html: str
    audience: str
    department_ids: list[uuid.UUID]
    roles: list[str]
    role_ids: list[uuid.UUID]
    pinned: bool
    publish_at: datetime | None
    expires_at: datetime | None
    published_at: datetime | None
    #: draft, scheduled, live or expired, as of now.
    state: str
    author_id: uuid.UUID | None
    #: When the caller read it; null: not yet.
    read_at: datetime | None
    created_at: datetime
    updated_at: datetime


def state_of(announcement: Announcement, now: datetime) -> str:
    if announcement.publish_at is None:
        return "draft"
    if announcement.expires_at is not None and announcement.expires_at <= now:
        return "expired"
    return "scheduled" if announcement.publish_at > now else "live"


def announcement_out(
    announcement: Announcement, audience: Audience, read_at: datetime | None, now: datetime
) -> AnnouncementOut:
    return AnnouncementOut(
        id=announcement.id,
        title=announcement.title,
        body_html=announcement.body_html,
        audience=announcement.audience,
        department_ids=list(audience.department_ids),
        roles=list(audience.roles),
        role_ids=list(audience.role_ids),
        pinned=announcement.pinned,
        publish_at=announcement.publish_at,
        expires_at=announcement.expires_at,
        published_at=announcement.published_at,
        state=state_of(announcement, now),
        author_id=announcement.author_id,
        read_at=read_at,
        created_at=announcement.created_at,
        updated_at=announcement.updated_at,
    )


def live(now: datetime) -> ColumnElement[bool]:
    return and_(
        Announcement.publish_at <= now,
        or_(Announcement.expires_at.is_(None), Announcement.expires_at > now),
    )


def in_state(state: str, now: datetime) -> ColumnElement[bool] | None:
    """The condition of an announcement's ``state`` as of ``now`` (None: any state)."""
    if state == "live":
        return live(now)
    if state == "scheduled":
        return Announcement.publish_at > now
    if state == "draft":
        return Announcement.publish_at.is_(None)
    if state == "expired":
        return Announcement.expires_at <= now
    return None


def _check_timing(publish_at: datetime | None, expires_at: datetime | None, now: datetime) -> None:
    if expires_at is None:
        return
    if publish_at is not None and expires_at <= publish_at:
        raise Invalid("expires_at", "must be later than publish_at")
    if expires_at <= now:
        raise Invalid("expires_at", "is already past")


async def publish(db: AsyncSession, announcement: Announcement, now: datetime) -> None:
    """Record that the announcement is out and tell its audience (in the background)."""
    announcement.published_at = now
    await db.flush()
    await _announce(db, announcement, now)


async def _announce(db: AsyncSession, announcement: Announcement, now: datetime) -> None:
    if announcement.expires_at is not None and announcement.expires_at <= now:
        return  # it expired before its time came: nobody is told of a notice they cannot read
    await emit(
        db,
        announcement.tenant_id,
        PUBLISHED,
        {"announcement_id": announcement.id, "title": announcement.title},
    )


async def create_announcement(uow: Uow, actor: Actor, data: AnnouncementIn) -> Announcement:
    db, now = uow.db, datetime.now(UTC)
    publish_at = now if isinstance(data.publish_at, msgspec.UnsetType) else data.publish_at
    _check_timing(publish_at, data.expires_at, now)
    audience = await checked_audience(
        db, data.audience, data.department_ids, data.roles, data.role_ids
    )
    announcement = Announcement(
        tenant_id=actor.tenant,
        title=" ".join(data.title.split()) or data.title,
        body_html=sanitise(data.body_html),
        audience=audience.kind,
        roles=list(audience.roles),
        pinned=data.pinned,
        publish_at=publish_at,
        expires_at=data.expires_at,
        author_id=actor.user_id,
        # Out at once: one row written as it is, one audit entry.
        published_at=now if publish_at is not None and publish_at <= now else None,
    )
    db.add(announcement)
    await db.flush()
    await address(db, announcement, audience)
    await db.flush()
    if announcement.published_at is not None:
        await _announce(db, announcement, now)
    await db.refresh(announcement)
    return announcement


async def get_managed(
    db: AsyncSession, tenant_id: uuid.UUID, announcement_id: uuid.UUID, *, lock: bool = False
) -> Announcement:
    """The announcement, for a manager; ``lock`` holds it against the publishing schedule (or a
    second request) until the transaction ends, so that it is announced once."""
    announcement = await db.get(Announcement, (tenant_id, announcement_id), with_for_update=lock)
    if announcement is None:
        raise NotFound("No such announcement.")
    return announcement


async def _new_audience(
    db: AsyncSession, announcement: Announcement, data: AnnouncementPatch
) -> Audience | None:
    lists = (data.department_ids, data.roles, data.role_ids)
    if data.audience is None and all(value is None for value in lists):
        return None
    current = await audience_of(db, announcement)
    kind = data.audience or announcement.audience
    if data.audience is not None and data.audience != announcement.audience:
        current = Audience(kind)  # a new kind of audience starts from empty lists
    return await checked_audience(
        db,
        kind,
        list(current.department_ids) if data.department_ids is None else data.department_ids,
        list(current.roles) if data.roles is None else data.roles,
        list(current.role_ids) if data.role_ids is None else data.role_ids,
    )


async def change_announcement(
    uow: Uow, actor: Actor, announcement_id: uuid.UUID, data: AnnouncementPatch
) -> Announcement:
    db, now = uow.db, datetime.now(UTC)
    announcement = await get_managed(db, actor.tenant, announcement_id, lock=True)
    publish_at = announcement.publish_at
    if not isinstance(data.publish_at, msgspec.UnsetType):
        if announcement.published_at is not None:
            raise Invalid("publish_at", "the announcement is out already")
        publish_at = data.publish_at
    expires_at = announcement.expires_at
    if not isinstance(data.expires_at, msgspec.UnsetType):
        expires_at = data.expires_at
        if expires_at is not None and publish_at is not None and expires_at <= publish_at:
            raise Invalid("expires_at", "must be later than publish_at")
    audience = await _new_audience(db, announcement, data)
    if data.title is not None:
        announcement.title = " ".join(data.title.split()) or data.title
    if data.body_html is not None:
        announcement.body_html = sanitise(data.body_html)
    if data.pinned is not None:
        announcement.pinned = data.pinned
    announcement.publish_at, announcement.expires_at = publish_at, expires_at
    if audience is not None:
        await address(db, announcement, audience)
    await db.flush()
    if announcement.published_at is None and publish_at is not None and publish_at <= now:
        await publish(db, announcement, now)
    await db.refresh(announcement)
    return announcement


async def publish_now(uow: Uow, actor: Actor, announcement_id: uuid.UUID) -> Announcement:
    """Publish a draft or a scheduled announcement at once."""
    db, now = uow.db, datetime.now(UTC)
    announcement = await get_managed(db, actor.tenant, announcement_id, lock=True)
    if announcement.published_at is not None:
        raise Conflict("The announcement is out already.")
    if announcement.expires_at is not None and announcement.expires_at <= now:
        raise Conflict("The announcement has expired; give it a later expiry first.")
    announcement.publish_at = now
    await publish(db, announcement, now)
    await db.refresh(announcement)
    return announcement


async def delete_announcement(uow: Uow, actor: Actor, announcement_id: uuid.UUID) -> None:
    announcement = await get_managed(uow.db, actor.tenant, announcement_id)
    await uow.db.delete(announcement)
    await uow.db.flush()


async def readable(
    db: AsyncSession, actor: Actor, announcement_id: uuid.UUID, now: datetime
) -> Announcement:
    """The announcement, if it is live and addressed to the actor; 404 otherwise — or, for a
    holder of the manage permission, in any state and to anyone."""
    query = select(Announcement).where(Announcement.id == announcement_id)
    if not actor.can(MANAGE):
        query = query.where(live(now), await addressed_to(db, actor))
    announcement = (await db.scalars(query)).first()
    if announcement is None:
        raise NotFound("No such announcement.")
    return announcement


async def mark_read(uow: Uow, actor: Actor, announcement_id: uuid.UUID) -> datetime:
    """Record that the actor read it (once: reading again keeps the first time)."""
    db, now = uow.db, datetime.now(UTC)
    query = select(Announcement.id).where(
        Announcement.id == announcement_id, live(now), await addressed_to(db, actor)
    )
    if await db.scalar(query) is None:
        raise NotFound("No such announcement.")
    await db.execute(
        insert(AnnouncementRead)
        .values(
            tenant_id=actor.tenant,
            id=uuid7(),
            announcement_id=announcement_id,
            user_id=actor.user_id,
            read_at=now,
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "announcement_id", "user_id"])
    )
    receipt = select(AnnouncementRead.read_at).where(
        AnnouncementRead.announcement_id == announcement_id,
        AnnouncementRead.user_id == actor.user_id,
    )
    return (await db.execute(receipt)).scalar_one()
