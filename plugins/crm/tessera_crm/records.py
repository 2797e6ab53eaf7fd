"""What accounts and contacts share: owners, tags, filters and duplicate checks."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
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
from tessera_crm.models import Account, Activity, Contact, Deal, Lead, Ticket
from tessera_crm.schemas import Duplicate

#: At most this many possible duplicates are named in a warning.
MAX_DUPLICATES = 10
#: Search words beyond this many are ignored.
MAX_SEARCH_WORDS = 8
#: No stemming: names, emails and company names are not in one language.
SEARCH_CONFIG: ColumnElement[Any] = literal_column("'simple'::regconfig")
WORD = re.compile(r"\w+")


async def checked_owner(
    uow: Uow, actor: Actor, owner_id: uuid.UUID | None, *, field: str = "owner_id"
) -> uuid.UUID:
    """The owner to set: a member of the tenant; by default the one who acts."""
    if owner_id is None:
        return actor.user_id
    if not await is_member(uow.db, owner_id):
        raise Invalid(field, "is not a member of this tenant")
    return owner_id


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Tags as given, without repeats (first spelling wins, compared without case)."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def choice(values: Sequence[str]) -> str:
    """A pattern that matches exactly one of ``values``: enums validated from one tuple."""
    return "^(" + "|".join(re.escape(value) for value in values) + ")$"


def utc_minute(moment: datetime) -> str:
    """A moment as notifications write it: "2027-03-01 09:00 UTC"."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


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


Owned = TypeVar("Owned", Account, Contact, Deal, Lead, Activity, Ticket)


def owner_column(model: Any) -> Any:
    """The column record rules compare: ``owner_id``, or the one the model names in
    ``__owner__`` (a ticket belongs to its assignee)."""
    return getattr(model, getattr(model, "__owner__", "owner_id"))


async def get_visible(
    uow: Uow,
    actor: Actor,
    model: type[Owned],
    record_id: uuid.UUID,
    permission: str,
    *,
    visible: ColumnElement[bool] | None = None,
) -> Owned:
    """The record, if the record rule of ``permission`` (or ``visible``, where a model widens
    it) lets the actor reach it; else 404."""
    if visible is None:
        visible = visible_to(actor, permission, owner_column(model))
    query = select(model).where(model.id == record_id, visible)
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
    visible: ColumnElement[bool] | None = None,
) -> Listing:
    """``model``'s records the actor may see, searched, filtered by owner and by ``where``.

    ``model`` has an owner (:func:`owner_column`) and ``search_vector``. ``visible`` replaces
    the record rule of ``permission`` where a model widens it. Every parameter is checked here,
    before a page is read or an export starts streaming.
    """
    owned_by = owner_column(model)
    if visible is None:
        visible = visible_to(actor, permission, owned_by)
    query = select(model).where(visible, *where)
    if q:
        query = query.where(search_filter(model, q))
    if (owner_id := owner_filter(actor, owner)) is not None:
        query = query.where(owned_by == owner_id)
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
    visible: ColumnElement[bool] | None = None,
) -> SortedPage:
    """One page of ``model``'s records the actor may see, sorted, searched, filtered by owner.

    ``model`` has ``id``, an owner (:func:`owner_column`) and, to be searched, a
    ``search_vector``; callers add their own filters to the page's query. ``visible`` replaces
    the record rule of ``permission`` where a model widens it (leads in the pool are everyone's).
    """
    found = listing(model, actor, permission, sorting, q=q, owner=owner, sort=sort, visible=visible)
    return found.page(limit, cursor)


def owner_filter(actor: Actor, owner: str | None) -> uuid.UUID | None:
    """The ``owner`` filter of a list: 'me' or a user id."""
    if owner is None:
        return None
    if owner == "me":
        return actor.user_id
    try:
        return uuid.UUID(owner)
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
    plain = {"id": str(duplicate.id), "label": duplicate.label, "matched": duplicate.matched}
    if duplicate.kind is not None:
        plain["kind"] = duplicate.kind
    return plain
