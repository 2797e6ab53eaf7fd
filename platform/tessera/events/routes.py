"""HTTP API of events: the catalogue of event types, and the dead-letter list of a tenant."""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK

from tessera.events import service
from tessera.events.catalogue import visible_event_types
from tessera.events.models import DeadLetter
from tessera.events.schemas import DeadLetterOut, EventTypeOut, PayloadKeyOut
from tessera.events.types import EventType
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

MANAGE = "events.dead_letter.manage"


def letter_out(letter: DeadLetter) -> DeadLetterOut:
    return msgspec.convert(letter, DeadLetterOut, from_attributes=True)


class DeadLetterController(Controller):
    path = "/events/dead-letters"
    tags = ["events"]

    @get("/", summary="Event deliveries that failed on every retry", opt=requires(MANAGE))
    async def list_letters(
        self, actor: Member, uow: Uow, limit: LimitQuery = DEFAULT_LIMIT, cursor: CursorQuery = None
    ) -> Page[DeadLetterOut]:
        rows = await service.list_dead_letters(
            uow.db, after=decode_cursor(cursor), limit=check_limit(limit) + 1
        )
        return page_of(rows, limit, key=lambda d: d.id, render=letter_out)

    @get("/{letter_id:uuid}", summary="One failed delivery", opt=requires(MANAGE))
    async def get_letter(
        self, letter_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> DeadLetterOut:
        return letter_out(await service.get_dead_letter(uow.db, actor.tenant, letter_id))

    @post(
        "/{letter_id:uuid}/retry",
        status_code=HTTP_200_OK,
        summary="Deliver the event to the failed handler again",
        opt=requires(MANAGE),
    )
    async def retry(self, letter_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> DeadLetterOut:
        letter = await service.get_dead_letter(uow.db, actor.tenant, letter_id)
        await service.retry(uow.db, letter)
        return letter_out(letter)

    @delete(
        "/{letter_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Give up on a failed delivery",
        opt=requires(MANAGE),
    )
    async def discard(self, letter_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        letter = await service.get_dead_letter(uow.db, actor.tenant, letter_id)
        await service.discard(uow.db, letter)


def event_type_out(event_type: EventType) -> EventTypeOut:
    return EventTypeOut(
        name=event_type.name,
        module=event_type.name.split(".", 1)[0],
        description=event_type.description,
        payload=[PayloadKeyOut(k.name, k.type, k.required) for k in event_type.payload_keys()],
    )


class EventTypeController(Controller):
    path = "/events/types"
    tags = ["events"]

    @get("/", summary="The event types this tenant can hear of: the platform's and its modules'")
    async def list_types(self, actor: Member) -> list[EventTypeOut]:
        found = visible_event_types(actor.modules)
        return [event_type_out(found[name]) for name in sorted(found)]


ROUTE_HANDLERS = [EventTypeController, DeadLetterController]
