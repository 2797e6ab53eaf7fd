"""What accounts and contacts share: owners, tags, filters and duplicate checks."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from tessera.plugin import (
    Actor,
    Conflict,
    Invalid,
    NotFound,
    Uow,
    check_limit,
    decode_cursor,
    is_member,
    visible_to,
)
from tessera_crm.models import Account, Contact, Deal
from tessera_crm.schemas import Duplicate

#: At most this many possible duplicates are named in a warning.
MAX_DUPLICATES = 10


async def checked_owner(uow: Uow, actor: Actor, owner_id: uuid.UUID | None) -> uuid.UUID:
    """The owner to set: a member of the tenant; by default the one who acts."""
    if owner_id is None:
        return actor.user_id
    if not await is_member(uow.db, owner_id):
        raise Invalid("owner_id", "is not a member of this tenant")
    return owner_id


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Tags as given, without repeats (first spelling wins, compared without case)."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def search_filter(text: str, *columns: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


Owned = TypeVar("Owned", Account, Contact, Deal)


async def get_visible(
    uow: Uow, actor: Actor, model: type[Owned], record_id: uuid.UUID, permission: str
) -> Owned:
    """The record, if the record rule of ``permission`` lets the actor reach it; else 404."""
    query = select(model).where(
        model.id == record_id, visible_to(actor, permission, model.owner_id)
    )
    found = (await uow.db.execute(query)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"No such {model.__tablename__.removeprefix('crm_')}.")
    return found


def page_query(
    model: Any,
    actor: Actor,
    permission: str,
    *,
    owner: str | None,
    limit: int,
    cursor: str | None,
) -> Select[Any]:
    """One page of ``model``'s records the actor may see, in id order, filtered by owner.

    ``model`` has ``id`` and ``owner_id``; one row past the page tells whether another follows.
    """
    query = (
        select(model)
        .where(visible_to(actor, permission, model.owner_id))
        .order_by(model.id)
        .limit(check_limit(limit) + 1)
    )
    if owner == "me":
        query = query.where(model.owner_id == actor.user_id)
    elif owner is not None:
        try:
            query = query.where(model.owner_id == uuid.UUID(owner))
        except ValueError:
            raise Invalid("owner", "is 'me' or a user id") from None
    if (after := decode_cursor(cursor)) is not None:
        query = query.where(model.id > after)
    return query


def refuse_duplicates(found: Sequence[Duplicate], what: str) -> None:
    if found:
        raise Conflict(
            f"This {what} looks like {len(found)} existing one(s); check them, or send "
            "allow_duplicate=true to create it anyway.",
            extensions={"duplicates": [_plain(d) for d in found[:MAX_DUPLICATES]]},
        )


def _plain(duplicate: Duplicate) -> dict[str, Any]:
    return {"id": str(duplicate.id), "label": duplicate.label, "matched": duplicate.matched}
