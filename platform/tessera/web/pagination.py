"""Keyset pagination: over time-ordered (UUIDv7) ids, or over a sort field then id. No OFFSET."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from litestar.params import QueryParameter
from sqlalchemy import ColumnElement, Select, and_, cast, literal, or_

from tessera.errors import Invalid
from tessera.web.schemas import Page

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

#: Query parameters of every list: ``limit: LimitQuery = DEFAULT_LIMIT, cursor: CursorQuery = None``.
LimitQuery = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Items per page")]
CursorQuery = Annotated[
    str | None, QueryParameter(max_length=64, description="next_cursor of the previous page")
]


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid("limit", f"must be from 1 to {MAX_LIMIT}")
    return limit


def decode_cursor(cursor: str | None) -> uuid.UUID | None:
    if cursor is None:
        return None
    try:
        return uuid.UUID(bytes=base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise Invalid("cursor", "is not a cursor this API gave out") from None


def encode_cursor(last_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(last_id.bytes).rstrip(b"=").decode()


def page_of(
    rows: Sequence[T], limit: int, key: Callable[[T], uuid.UUID], render: Callable[[T], R]
) -> Page[R]:
    """A page from ``limit + 1`` fetched rows: the extra row only says that more exist."""
    visible = rows[:limit]
    more = len(rows) > limit
    return Page(
        items=[render(row) for row in visible],
        next_cursor=encode_cursor(key(visible[-1])) if more and visible else None,
    )


#: ``sort`` query parameter of a sortable list: a field name, ``-`` in front for descending.
SortQuery = Annotated[
    str | None,
    QueryParameter(
        max_length=60,
        pattern=r"^-?[a-z_]+$",
        description="Field to sort by; prefix '-' for descending (e.g. -amount)",
    ),
]
#: Cursors of sorted lists carry the last row's sort value too, so they are longer.
SortedCursorQuery = Annotated[
    str | None, QueryParameter(max_length=600, description="next_cursor of the previous page")
]


@dataclass(frozen=True, slots=True)
class Sorting:
    """The fields a list may be sorted by, each a column; ties are broken by ``id``.

    ``Sorting({"name": Account.name, "created_at": Account.created_at}, Account.id)``. Pages
    are keyset pages: the cursor holds the last row's sort value and id, so page 1,000 costs
    what page 1 does and rows inserted meanwhile neither repeat nor vanish.
    """

    #: Columns or mapped attributes (``Account.name``).
    columns: Mapping[str, Any]
    id_column: Any
    default: str = "id"

    def order(self, sort: str | None) -> SortOrder:
        text = sort or self.default
        descending = text.startswith("-")
        name = text.removeprefix("-")
        if name == "id":
            column: ColumnElement[Any] = self.id_column
        elif name in self.columns:
            column = self.columns[name]
        else:
            known = ", ".join(["id", *sorted(self.columns)])
            raise Invalid("sort", f"sorts by one of {known}; '-' in front for descending")
        return SortOrder(name, column, self.id_column, descending)

    def page(
        self, query: Select[Any], sort: str | None, cursor: str | None, limit: int
    ) -> SortedPage:
        """``query`` ordered, limited to one page (plus one row) and started after ``cursor``."""
        order = self.order(sort)
        return SortedPage(order.apply(query, order.after(cursor), check_limit(limit)), order, limit)


@dataclass(frozen=True, slots=True)
class SortOrder:
    name: str
    column: ColumnElement[Any]
    id_column: ColumnElement[uuid.UUID]
    descending: bool

    def apply(
        self, query: Select[Any], after: tuple[Any, uuid.UUID] | None, limit: int
    ) -> Select[Any]:
        column, id_column = self.column, self.id_column
        if self.descending:
            query = query.order_by(column.desc().nulls_last(), id_column.desc())
        else:
            query = query.order_by(column.asc().nulls_last(), id_column.asc())
        if after is not None:
            query = query.where(self._beyond(*after))
        return query.limit(limit + 1)

    def _beyond(self, value: Any, last_id: uuid.UUID) -> ColumnElement[bool]:
        """Rows after (value, last_id) in this order; NULL values sort last either way."""
        column, id_column = self.column, self.id_column
        later_id = id_column < last_id if self.descending else id_column > last_id
        if self.name == "id":
            return later_id
        if value is None:
            return and_(column.is_(None), later_id)
        typed = cast(literal(value), column.type)
        later = column < typed if self.descending else column > typed
        return or_(later, and_(column == typed, later_id), column.is_(None))

    def after(self, cursor: str | None) -> tuple[Any, uuid.UUID] | None:
        if cursor is None:
            return None
        try:
            name, value, last_id = json.loads(
                base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            )
            if name != self.name:
                raise ValueError(name)
            return value, uuid.UUID(last_id)
        except (binascii.Error, ValueError, TypeError):
            raise Invalid(
                "cursor", "is not a cursor this API gave out for this sort order"
            ) from None

    def cursor(self, value: Any, last_id: uuid.UUID) -> str:
        plain = value if value is None or isinstance(value, (str, int, bool)) else str(value)
        if isinstance(value, (datetime, date)):
            plain = value.isoformat()
        data = json.dumps([self.name, plain, str(last_id)], separators=(",", ":"))
        return base64.urlsafe_b64encode(data.encode()).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class SortedPage:
    """A query for one sorted page, and how to turn its rows into a :class:`Page`."""

    query: Select[Any]
    order: SortOrder
    limit: int

    def of(self, rows: Sequence[T], render: Callable[[T], R]) -> Page[R]:
        """A page from the fetched rows (objects or rows with ``id`` and the sort field)."""
        visible = rows[: self.limit]
        next_cursor = None
        if len(rows) > self.limit and visible:
            last: Any = visible[-1]
            next_cursor = self.order.cursor(getattr(last, self.order.name), last.id)
        return Page(items=[render(row) for row in visible], next_cursor=next_cursor)
