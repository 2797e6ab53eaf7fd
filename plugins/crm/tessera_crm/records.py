"""What accounts and contacts share: owners, tags, filters and duplicate checks."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, or_
from sqlalchemy.orm import InstrumentedAttribute

from tessera.plugin import Actor, Conflict, Invalid, Uow, is_member
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


def owner_filter(
    query: Select[Any], actor: Actor, owner: str | None, column: InstrumentedAttribute[Any]
) -> Select[Any]:
    if owner is None:
        return query
    if owner == "me":
        return query.where(column == actor.user_id)
    try:
        return query.where(column == uuid.UUID(owner))
    except ValueError:
        raise Invalid("owner", "is 'me' or a user id") from None


def refuse_duplicates(found: Sequence[Duplicate], what: str) -> None:
    if found:
        raise Conflict(
            f"This {what} looks like {len(found)} existing one(s); check them, or send "
            "allow_duplicate=true to create it anyway.",
            extensions={"duplicates": [_plain(d) for d in found[:MAX_DUPLICATES]]},
        )


def _plain(duplicate: Duplicate) -> dict[str, Any]:
    return {"id": str(duplicate.id), "label": duplicate.label, "matched": duplicate.matched}
