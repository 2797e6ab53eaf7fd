"""What accounts and contacts share: owners, tags, filters and duplicate checks."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from litestar.di import NamedDependency
from sqlalchemy import ColumnElement, Select, func, literal_column, select

from tessera.plugin import (
    Actor,
    Conflict,
    Invalid,
    NotFound,
    SortedPage,
    Sorting,
    Uow,
    is_member,
    visible_to,
)
from tessera_crm.models import Account, Contact, Deal
from tessera_crm.schemas import Duplicate

#: At most this many possible duplicates are named in a warning.
MAX_DUPLICATES = 10
#: Search words beyond this many are ignored.
MAX_SEARCH_WORDS = 8
#: No stemming: names, emails and company names are not in one language.
SEARCH_CONFIG: ColumnElement[Any] = literal_column("'simple'::regconfig")
WORD = re.compile(r"\w+")


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


def prefix_query(text: str) -> str:
    """``text`` as a tsquery where every word must start a word of the record ("ann smi" finds
    "Ann Smith"). Only letters and digits pass, so the query cannot be malformed."""
    words = WORD.findall(text.casefold())[:MAX_SEARCH_WORDS]
    if not words:
        raise Invalid("q", "needs a letter or digit to search for")
    return " & ".join(f"{word}:*" for word in words)


def search_filter(model: Any, text: str) -> ColumnElement[bool]:
    """Full-text match on the record's ``search_vector`` (kept by PostgreSQL, GIN-indexed)."""
    query = func.to_tsquery(SEARCH_CONFIG, prefix_query(text))
    matches: ColumnElement[bool] = model.search_vector.bool_op("@@")(query)
    return matches


def search_rank(model: Any, text: str) -> ColumnElement[float]:
    return func.ts_rank(model.search_vector, func.to_tsquery(SEARCH_CONFIG, prefix_query(text)))


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


@dataclass(frozen=True, slots=True)
class Listing:
    """The records a list asks for: those the actor may see, searched and filtered, and their sort.

    Built once from the list's query parameters (each kind's ``*_listing`` dependency), so the
    list pages exactly what the export streams.
    """

    query: Select[Any]
    sorting: Sorting
    sort: str | None

    def page(self, limit: int, cursor: str | None) -> SortedPage:
        return self.sorting.page(self.query, self.sort, cursor, limit)


#: A handler parameter ``listing: Listed`` gets the list's records as its query parameters ask.
Listed = NamedDependency[Listing]


def listing(
    model: Any,
    actor: Actor,
    permission: str,
    sorting: Sorting,
    *,
    q: str | None,
    owner: str | None,
    sort: str | None,
    where: Sequence[ColumnElement[bool]] = (),
) -> Listing:
    """``model``'s records the actor may see, searched, filtered by owner and by ``where``.

    ``model`` has ``owner_id`` and ``search_vector``. Every parameter is checked here, before a
    page is read or an export starts streaming.
    """
    query = select(model).where(visible_to(actor, permission, model.owner_id), *where)
    if q:
        query = query.where(search_filter(model, q))
    if owner == "me":
        query = query.where(model.owner_id == actor.user_id)
    elif owner is not None:
        try:
            query = query.where(model.owner_id == uuid.UUID(owner))
        except ValueError:
            raise Invalid("owner", "is 'me' or a user id") from None
    sorting.order(sort)
    return Listing(query, sorting, sort)


def page_query(
    model: Any,
    actor: Actor,
    permission: str,
    *,
    sorting: Sorting,
    owner: str | None,
    q: str | None,
    sort: str | None,
    limit: int,
    cursor: str | None,
) -> SortedPage:
    """One page of ``model``'s records the actor may see, sorted, searched, filtered by owner.

    Callers add their own filters to the page's query.
    """
    return listing(model, actor, permission, sorting, q=q, owner=owner, sort=sort).page(
        limit, cursor
    )


def refuse_duplicates(found: Sequence[Duplicate], what: str) -> None:
    if found:
        raise Conflict(
            f"This {what} looks like {len(found)} existing one(s); check them, or send "
            "allow_duplicate=true to create it anyway.",
            extensions={"duplicates": [_plain(d) for d in found[:MAX_DUPLICATES]]},
        )


def _plain(duplicate: Duplicate) -> dict[str, Any]:
    return {"id": str(duplicate.id), "label": duplicate.label, "matched": duplicate.matched}
