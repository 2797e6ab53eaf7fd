"""What a plugin sees of events: the event, a handler declaration, and the handler's context."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tessera.mail.service import MailQueue

#: ``<module>.<record>.<what happened>``, lowercase: ``crm.deal.won``, ``tessera.member.invited``.
EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,5}$")
#: The owner name of handlers the platform itself registers (always enabled).
CORE = "tessera"


def check_event_type(event_type: str) -> str:
    if len(event_type) > 120 or not EVENT_TYPE.fullmatch(event_type):
        raise ValueError(
            f"event type {event_type!r} must look like 'module.record.happened' "
            "(lowercase words separated by dots)"
        )
    return event_type


@dataclass(frozen=True, slots=True)
class Event:
    """One domain event as a handler receives it."""

    id: uuid.UUID
    type: str
    tenant_id: uuid.UUID
    payload: Mapping[str, Any]
    occurred_at: datetime
    actor_user_id: uuid.UUID | None
    #: ``<event id>:<handler>`` — the same on every redelivery of this event to this handler;
    #: pass it on as an idempotency key when the handler calls something outside the database.
    delivery_key: str


@dataclass(frozen=True, slots=True)
class HandlerContext:
    """Where a handler runs: one transaction scoped to the event's tenant.

    What the handler writes through ``db`` commits together with the record that the delivery
    is done, or not at all; so a redelivered event never has its effect twice.
    """

    db: AsyncSession
    tenant_id: uuid.UUID
    #: Mail queued here is sent once the transaction has committed (and never if it did not).
    mail: MailQueue = field(default_factory=MailQueue)


Handle = Callable[[Event, HandlerContext], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class EventHandler:
    """A subscription: call ``handle`` for every event of type ``event``.

    ``name`` identifies the handler in delivery records and the dead-letter list; it must not
    change once deliveries exist (default: the function's qualified name).
    """

    event: str
    handle: Handle
    name: str = ""

    def check(self, owner: str) -> EventHandler:
        check_event_type(self.event)
        name = self.name or getattr(self.handle, "__qualname__", "")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.<>]{0,150}", name):
            raise ValueError(f"handler name {name!r} is not a plain identifier")
        return EventHandler(self.event, self.handle, name)

    def key(self, owner: str) -> str:
        """The handler's identity across processes: ``<owner>:<name>``."""
        return f"{owner}:{self.name}"
