"""Request/response building blocks shared by every domain's schemas."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

import msgspec

T = TypeVar("T")

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254, description="An email address")]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Slug = Annotated[
    str, msgspec.Meta(min_length=3, max_length=40, description="Lowercase letters, digits, hyphens")
]
LinkToken = Annotated[str, msgspec.Meta(min_length=10, max_length=2048)]


class Input(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of request bodies: an unknown field is an error, not silently dropped."""

    def __post_init__(self) -> None:
        # PostgreSQL text cannot hold NUL: such a string would fail in the database (a 500)
        # instead of being refused here as bad input naming its field.
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if isinstance(value, str) and "\x00" in value:
                raise ValueError(f"Field `{name}` must not contain NUL characters")


class Page(msgspec.Struct, Generic[T], kw_only=True):
    """One page of a list; pass ``next_cursor`` as ``cursor`` to get the next."""

    items: list[T]
    next_cursor: str | None
