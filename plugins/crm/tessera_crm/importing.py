"""What an importable kind declares: its fields, how each is parsed, its duplicate keys.

An :class:`ImportKind` says which fields a file may have, how each is parsed and checked, where
its value goes in the new row, which values name other records (:class:`Lookup`) and which
keys make two records duplicates (:class:`DuplicateKey`). One engine,
:mod:`tessera_crm.import_checks`, does the rest for every kind.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tessera.plugin import Actor, Uow
from tessera_crm.records import clean_tags
from tessera_crm.schemas import EMAIL_PATTERN, PHONE_PATTERN, WEBSITE_PATTERN

#: Turns a cell's text (stripped, never empty) into the field's value; a ValueError's message
#: is the problem reported ("is not an email address").
Parser = Callable[[str], Any]


def text(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return value

    return parse


def matching(pattern: str, max_length: int, what: str) -> Callable[[str], str]:
    compiled = re.compile(pattern)
    check_length = text(max_length)

    def parse(value: str) -> str:
        check_length(value)
        if not compiled.match(value):
            raise ValueError(f"is not {what}")
        return value

    return parse


email = matching(EMAIL_PATTERN, 320, "an email address")
phone = matching(PHONE_PATTERN, 40, "a phone number")
_check_website = matching(WEBSITE_PATTERN, 300, "a website (https://…)")
_BARE_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+(/\S*)?$")


def website(value: str) -> str:
    """A website; a bare domain ("acme.example"), as spreadsheets often hold, gets https://."""
    if _BARE_DOMAIN.match(value):
        value = "https://" + value
    return _check_website(value)


def tags(value: str) -> list[str]:
    """Comma-separated tags."""
    found = [tag.strip() for tag in value.split(",") if tag.strip()]
    if len(found) > 20:
        raise ValueError("has more than 20 tags")
    if any(len(tag) > 50 for tag in found):
        raise ValueError("has a tag longer than 50 characters")
    return clean_tags(found)


def one_of(options: Sequence[str]) -> Callable[[str], str]:
    """One of ``options``, compared without case; spaces and hyphens read as underscores."""

    def parse(value: str) -> str:
        key = re.sub(r"[\s-]+", "_", value.casefold())
        if key not in options:
            raise ValueError(f"is not one of {', '.join(options)}")
        return key

    return parse


def member_email(value: str) -> str:
    return email(value).lower()


@dataclass(frozen=True, slots=True)
class Lookup:
    """A field whose value names another record, looked up for the whole file in one query."""

    #: The keys found in the file -> the ids of the records each names (several: ambiguous).
    find: Callable[[Uow, Actor, set[str]], Awaitable[Mapping[str, Sequence[uuid.UUID]]]]
    #: The problem of a value that names nothing.
    unknown: str
    #: The key a parsed value is looked up by.
    key: Callable[[Any], str] = str


@dataclass(frozen=True, slots=True)
class ImportField:
    name: str
    parse: Parser = field(default_factory=lambda: text(200))
    required: bool = False
    #: Other headers that mean this field (compared like the name: case, spaces, dashes aside).
    aliases: tuple[str, ...] = ()
    #: Where the value goes in the new row: a column (by default the field's name), or a
    #: function that puts it there.
    to: str | Callable[[dict[str, Any], Any], None] | None = None
    lookup: Lookup | None = None

    def put(self, row: dict[str, Any], value: Any) -> None:
        if callable(self.to):
            self.to(row, value)
        else:
            row[self.to or self.name] = value


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    """Two records are likely the same if they share this key (``tessera_crm.normalize``)."""

    #: What matched, as duplicate warnings say it: name, email, phone.
    name: str
    #: The import field the key is made from.
    field: str
    key: Callable[[Any], str | None]
    #: The model's column holding the key.
    column: Any


@dataclass(frozen=True, slots=True)
class ImportKind:
    #: As in the URL: /api/v1/crm/imports/{name}.
    name: str
    model: Any
    write_permission: str
    fields: tuple[ImportField, ...]
    duplicate_keys: tuple[DuplicateKey, ...]
    #: SQL for how an existing record is named in a duplicate warning.
    label: Any
    #: Fills in what the file does not say: defaults, the owner, derived columns (keys).
    complete: Callable[[dict[str, Any], Actor], None]
    #: Emitted once per import that created records, with the counts.
    event: str

    def field_named(self, name: str) -> ImportField | None:
        return next((f for f in self.fields if f.name == name), None)

    def field_for(self, header: str) -> ImportField | None:
        wanted = normalized(header)
        for candidate in self.fields:
            if wanted in {normalized(n) for n in (candidate.name, *candidate.aliases)}:
                return candidate
        return None


def normalized(header: str) -> str:
    """ "E-mail", "e_mail" and "EMail" are the same header."""
    return re.sub(r"[\W_]+", "", header.casefold())
