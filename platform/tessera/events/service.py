"""Emitting events, and the dead-letter list a tenant admin works through."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.audit import capture as audit
from tessera.db.ids import uuid7
from tessera.errors import Invalid, NotFound
from tessera.events.catalogue import known_event_types
from tessera.events.models import DeadLetter, OutboxEvent
from tessera.events.types import EventNotDeclared, check_event_type

#: An event carries ids and the facts handlers need, not documents.
MAX_PAYLOAD_KEYS = 200


async def emit(
    db: AsyncSession, tenant_id: uuid.UUID, event_type: str, payload: Mapping[str, Any]
) -> uuid.UUID:
    """Record that ``event_type`` happened, in the caller's transaction; returns the event id.

    The event reaches its handlers only if that transaction commits — and then surely.
    ``event_type`` must be declared (the platform's, or a plugin's ``tessera_event_types``) and
    ``payload`` must have exactly the keys of its ``TypedDict``; else :class:`EventNotDeclared`.
    """
    try:
        check_event_type(event_type)
    except ValueError as exc:
        raise Invalid("event", str(exc)) from None
    if len(payload) > MAX_PAYLOAD_KEYS:
        raise Invalid("payload", f"at most {MAX_PAYLOAD_KEYS} keys")
    declared = known_event_types().get(event_type)
    if declared is None:
        raise EventNotDeclared(
            f"event type {event_type!r} is not declared: add an EventType for it to the "
            "plugin's tessera_event_types hook"
        )
    declared.check_payload(payload)
    context = audit.get_context(db.sync_session)
    event_id = uuid7()
    db.add(
        OutboxEvent(
            tenant_id=tenant_id,
            id=event_id,
            type=event_type,
            payload=audit.json_safe(dict(payload)),
            actor_user_id=context.actor_user_id,
            request_id=context.request_id,
        )
    )
    return event_id


async def list_dead_letters(
    db: AsyncSession, *, after: uuid.UUID | None, limit: int
) -> Sequence[DeadLetter]:
    query = select(DeadLetter).order_by(DeadLetter.id.desc()).limit(limit)
    if after is not None:
        query = query.where(DeadLetter.id < after)
    return (await db.scalars(query)).all()


async def get_dead_letter(
    db: AsyncSession, tenant_id: uuid.UUID, dead_letter_id: uuid.UUID
) -> DeadLetter:
    found = await db.get(DeadLetter, (tenant_id, dead_letter_id))
    if found is None:
        raise NotFound("No such dead letter.")
    return found


async def discard(db: AsyncSession, letter: DeadLetter) -> None:
    """Give up on the delivery for good (audited by the table's trigger)."""
    await db.execute(delete(DeadLetter).where(DeadLetter.id == letter.id))


async def retry(db: AsyncSession, letter: DeadLetter) -> None:
    """Deliver the event again, to the failed handler only.

    The event goes back to the outbox (it may have been purged since) marked for that handler;
    the relay sends it like any other. Its other handlers, done already, hear nothing.
    """
    values = {
        "tenant_id": letter.tenant_id,
        "id": letter.event_id,
        "type": letter.event_type,
        "payload": letter.payload,
        "occurred_at": letter.occurred_at,
        "actor_user_id": None,
        "request_id": audit.get_context(db.sync_session).request_id,
        "relayed_at": None,
        "retry_handler": letter.handler,
    }
    statement = insert(OutboxEvent).values(values)
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id", "id"],
            set_={"relayed_at": None, "retry_handler": letter.handler},
        )
    )
    await db.execute(delete(DeadLetter).where(DeadLetter.id == letter.id))
