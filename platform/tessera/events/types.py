"""What a plugin sees of events: the event, a handler declaration, and the handler's context."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import UnionType
from typing import Any, ForwardRef, Union, get_args, get_origin, get_type_hints, is_typeddict

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


class EventNotDeclared(Exception):
    """An event was emitted that no catalogue declares, or with keys its payload does not have.

    A programming error, not bad input: it surfaces loudly, in the test that emits it.
    """


@dataclass(frozen=True, slots=True)
class PayloadKey:
    """One key of an event's payload, as the catalogue shows it."""

    name: str
    #: The Python type the emitter passes (``UUID``, ``str | None``, ``list[UUID]``). Handlers and
    #: webhooks receive it as JSON: ids, dates and decimals arrive as strings.
    type: str
    required: bool


@dataclass(frozen=True)
class EventType:
    """What one kind of event means and what its payload holds: ``crm.deal.won``.

    ``payload`` is a ``TypedDict`` class: its keys (required, or ``NotRequired[...]``) are
    exactly those ``emit`` accepts for this type; values' types are for readers and mypy.
    """

    name: str
    description: str
    payload: type

    def __post_init__(self) -> None:
        check_event_type(self.name)
        if not self.description.strip():
            raise ValueError(f"event type {self.name!r} needs a description")
        if not is_typeddict(self.payload):
            raise ValueError(f"event type {self.name!r}: payload must be a TypedDict class")
        # Under ``from __future__ import annotations`` a TypedDict class cannot see
        # ``NotRequired`` (Python 3.11): the key would silently become required.
        hidden = [
            key
            for key, hint in self.payload.__annotations__.items()
            if isinstance(hint, str | ForwardRef) and "Required[" in str(hint)
        ]
        if hidden:
            raise ValueError(
                f"event type {self.name!r}: {hidden} are marked (Not)Required in a module with "
                "'from __future__ import annotations'; declare payloads without it"
            )

    @property
    def required_keys(self) -> frozenset[str]:
        return frozenset(self.payload.__required_keys__)  # type: ignore[attr-defined]

    @property
    def optional_keys(self) -> frozenset[str]:
        return frozenset(self.payload.__optional_keys__)  # type: ignore[attr-defined]

    def payload_keys(self) -> list[PayloadKey]:
        """The payload's keys in declaration order, with their types as text."""
        hints = get_type_hints(self.payload)
        required = self.required_keys
        return [PayloadKey(key, type_text(hint), key in required) for key, hint in hints.items()]

    def schema(self) -> dict[str, Any]:
        """A JSON-schema-like description of the payload, for docs: key -> type text, required.

        A value that is itself a ``TypedDict`` (or a list of one) is described the same way.
        """
        return _object_schema(self.payload)

    def check_payload(self, payload: Mapping[str, Any]) -> None:
        """Refuse a payload that misses a required key or carries one the type does not have."""
        missing = sorted(self.required_keys - payload.keys())
        unknown = sorted(payload.keys() - self.required_keys - self.optional_keys)
        if missing or unknown:
            raise EventNotDeclared(
                f"payload of {self.name!r} does not match {self.payload.__name__}: "
                + "; ".join(
                    part
                    for part in (
                        f"missing {missing}" if missing else "",
                        f"unknown {unknown}" if unknown else "",
                    )
                    if part
                )
            )


def type_text(hint: Any) -> str:
    """``uuid.UUID | None`` -> ``"UUID | None"``: what a reader of the catalogue needs."""
    if isinstance(hint, type) and not getattr(hint, "__args__", None):
        return hint.__name__ if hint is not type(None) else "None"
    text = _MODULE_PATH.sub(r"\1", repr(hint))
    return text.replace("NoneType", "None")


#: ``tessera_crm.event_types.DealLine`` -> ``DealLine``, ``typing.Any`` -> ``Any``.
_MODULE_PATH = re.compile(r"\b(?:[a-z_][a-z0-9_]*\.)+([A-Za-z_]\w*)")


def _object_schema(payload: type) -> dict[str, Any]:
    hints = get_type_hints(payload)
    required = payload.__required_keys__  # type: ignore[attr-defined]
    return {
        "type": "object",
        "properties": {key: _value_schema(hint) for key, hint in hints.items()},
        "required": [key for key in hints if key in required],
        "additionalProperties": False,
    }


def _value_schema(hint: Any) -> dict[str, Any]:
    """A value's type text; with the keys of a TypedDict it is, or holds a list of."""
    described: dict[str, Any] = {"type": type_text(hint)}
    # ``Row | None`` describes ``Row``; ``list[Row]`` its items.
    members = get_args(hint) if get_origin(hint) in (Union, UnionType) else (hint,)
    for member in members:
        if is_typeddict(member):
            described["properties"] = _object_schema(member)["properties"]
        elif get_origin(member) is list and is_typeddict(get_args(member)[0]):
            described["items"] = _object_schema(get_args(member)[0])
    return described


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
