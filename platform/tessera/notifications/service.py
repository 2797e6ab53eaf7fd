"""Notifying members, their inbox, their preferences, and the email digest.

Modules call :func:`notify` (through ``tessera.plugin``), usually from an event handler, in the
handler's transaction. Who hears of what is the member's choice per type: in the app by
default, by email when they asked for it. Email goes out in digests — one message per member
per digest period, listing everything since the last — so a burst of events is one email.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.db.ids import uuid7
from tessera.errors import Invalid, NotFound
from tessera.identity.members import member_contacts
from tessera.mail.service import MailQueue, Message
from tessera.notifications.models import Notification, NotificationPreference

#: ``<module>.<what>``: ``crm.deal_assigned``, ``tessera.approval_requested``.
TYPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){1,3}$")
#: A digest lists at most this many items (and says how many more there are).
DIGEST_ITEMS = 50


def check_type(kind: str) -> str:
    if len(kind) > 120 or not TYPE.fullmatch(kind):
        raise Invalid("type", "must look like 'module.what' in lowercase words")
    return kind


async def notify(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    user_ids: Collection[uuid.UUID],
    kind: str,
    title: str,
    *,
    body: str = "",
    link: str | None = None,
) -> int:
    """Tell ``user_ids`` (members of the tenant; others are ignored); returns how many."""
    check_type(kind)
    members = await member_contacts(db, set(user_ids))
    if not members:
        return 0
    preferences = {
        p.user_id: p
        for p in await db.scalars(
            select(NotificationPreference).where(
                NotificationPreference.type == kind,
                NotificationPreference.user_id.in_(list(members)),
            )
        )
    }
    told = 0
    for user_id in sorted(members):
        chosen = preferences.get(user_id)
        in_app = chosen.in_app if chosen else True
        email = chosen.email if chosen else False
        if not (in_app or email):
            continue
        db.add(
            Notification(
                tenant_id=tenant_id,
                user_id=user_id,
                type=kind,
                title=title[:200],
                body=body[:2000],
                link=link[:500] if link else None,
                in_app=in_app,
                email_wanted=email,
            )
        )
        told += 1
    return told


async def inbox(
    db: AsyncSession,
    user_id: uuid.UUID,
    *,
    unread_only: bool,
    before: uuid.UUID | None,
    limit: int,
) -> Sequence[Notification]:
    query = (
        select(Notification)
        .where(Notification.user_id == user_id, Notification.in_app)
        .order_by(Notification.id.desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if before is not None:
        query = query.where(Notification.id < before)
    return (await db.scalars(query)).all()


async def unread_count(db: AsyncSession, user_id: uuid.UUID) -> int:
    count = await db.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.in_app, Notification.read_at.is_(None))
    )
    return int(count or 0)


async def mark_read(
    db: AsyncSession, user_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification:
    found = await db.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id
        )
    )
    if found is None:
        raise NotFound("No such notification.")
    if found.read_at is None:
        found.read_at = datetime.now(UTC)
    return found


async def mark_all_read(db: AsyncSession, user_id: uuid.UUID) -> int:
    result = await db.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=func.now())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def preferences(db: AsyncSession, user_id: uuid.UUID) -> Sequence[NotificationPreference]:
    return (
        await db.scalars(
            select(NotificationPreference)
            .where(NotificationPreference.user_id == user_id)
            .order_by(NotificationPreference.type)
        )
    ).all()


async def set_preference(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    kind: str,
    *,
    in_app: bool,
    email: bool,
) -> None:
    check_type(kind)
    statement = insert(NotificationPreference).values(
        tenant_id=tenant_id, id=uuid7(), user_id=user_id, type=kind, in_app=in_app, email=email
    )
    await db.execute(
        statement.on_conflict_do_update(
            constraint="uq_notification_preference_tenant_id_user_id_type",
            set_={"in_app": in_app, "email": email, "updated_at": func.now()},
        )
    )


async def send_digests(db: AsyncSession, mail: MailQueue, public_url: str) -> int:
    """Queue one email per member with notifications waiting to be mailed; returns how many."""
    pending = list(
        await db.scalars(
            select(Notification)
            .where(Notification.email_wanted, Notification.emailed_at.is_(None))
            .order_by(Notification.user_id, Notification.id)
            .with_for_update(skip_locked=True)
        )
    )
    if not pending:
        return 0
    by_user: dict[uuid.UUID, list[Notification]] = defaultdict(list)
    for item in pending:
        by_user[item.user_id].append(item)
    contacts = await member_contacts(db, set(by_user))
    now = datetime.now(UTC)
    for user_id, items in by_user.items():
        for item in items:
            item.emailed_at = now
        if user_id not in contacts:
            continue  # no longer a member: nothing to send, nothing to keep waiting
        email, name = contacts[user_id]
        mail.add(_digest(email, name, items, public_url))
    return len(by_user)


def _digest(email: str, name: str, items: list[Notification], public_url: str) -> Message:
    shown = items[:DIGEST_ITEMS]
    lines = [f"Hello {name},", "", f"You have {len(items)} new notification(s):", ""]
    for item in shown:
        lines.append(f"- {item.title}")
        if item.body:
            lines.append(f"  {item.body}")
        if item.link:
            lines.append(f"  {public_url}{item.link}")
    if len(items) > len(shown):
        lines.append(f"... and {len(items) - len(shown)} more in the app.")
    subject = items[0].title if len(items) == 1 else f"{len(items)} new notifications"
    return Message(to=email, subject=subject, body="\n".join(lines))
