"""Keyset pagination over time-ordered (UUIDv7) ids: no OFFSET, no COUNT(*)."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

from litestar.params import QueryParameter

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
