"""Record timelines: what happened around a record, newest first, from every module that knows.

A module that shows a timeline (the CRM shows one per account) merges its own entries with
those the tenant's other modules contribute through the ``tessera_timeline`` hook, which
:func:`timeline_entries` collects. So the ERP can put an account's invoices on the CRM's
timeline without either module importing the other.

Entries are ordered by a total key — time, then record type, record id and kind — so a page
can end between entries of the same instant (rows written in one transaction share ``now()``)
and the next page still starts exactly after it: :class:`TimelineCursor` holds that key.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, DateTime, Text, and_, cast, literal, tuple_

from tessera.errors import Invalid

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from tessera.identity.service import Actor

#: Record types and kinds are dotted lowercase names (``crm.deal``, ``erp.invoice.issued``):
#: they compare the same in Python and in PostgreSQL's "C" collation, which pages rely on.
DOTTED_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){1,4}$")
MAX_RECORD_ID = 100
TimelineKey = tuple[datetime, str, str, str]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One thing that happened, as a timeline shows it.

    ``TimelineEntry(invoice.issued_at, "erp.invoice.issued", f"Invoice {invoice.number}",
    "erp.invoice", str(invoice.id), detail="1,200.00 EUR")``
    """

    #: When it happened (timezone-aware).
    at: datetime
    #: What happened, ``<module>.<record>.<what>``: ``crm.deal.won``, ``erp.invoice.issued``.
    kind: str
    #: One line for people: "Deal won: Big one".
    title: str
    #: The record the entry links to, ``<module>.<record>``, and its id.
    record_type: str
    record_id: str
    #: A second line, if there is one worth showing (an amount, the first words of a note).
    detail: str | None = None
    #: The module that contributed the entry; the platform sets it, whatever the plugin says.
    module: str = ""

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("TimelineEntry.at must be timezone-aware")
        for name in ("kind", "record_type"):
            if not DOTTED_NAME.fullmatch(getattr(self, name)):
                raise ValueError(f"TimelineEntry.{name} must look like 'module.record'")
        if not self.record_id or len(self.record_id) > MAX_RECORD_ID:
            raise ValueError(f"TimelineEntry.record_id must be 1 to {MAX_RECORD_ID} characters")

    @property
    def key(self) -> TimelineKey:
        """The entry's place in a timeline: the larger key comes first."""
        return (self.at, self.record_type, self.record_id, self.kind)


def newest_first(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda entry: entry.key, reverse=True)


@dataclass(frozen=True, slots=True)
class TimelineCursor:
    """Where a page of a timeline ended; the next page holds the entries after it.

    Contributors filter their rows with :meth:`older` in SQL (or :meth:`admits` in Python) and
    order them newest first, ties by record id, newest (largest) first.
    """

    at: datetime
    record_type: str
    record_id: str
    kind: str

    @classmethod
    def after(cls, entry: TimelineEntry) -> TimelineCursor:
        return cls(entry.at, entry.record_type, entry.record_id, entry.kind)

    @property
    def key(self) -> TimelineKey:
        return (self.at, self.record_type, self.record_id, self.kind)

    def admits(self, entry: TimelineEntry) -> bool:
        """Whether ``entry`` comes after the cursor, so belongs on a later page."""
        return entry.key < self.key

    def older(self, at: Any, record_type: Any, record_id: Any, kind: Any) -> ColumnElement[bool]:
        """SQL for "comes after the cursor", over a query's rows.

        Each argument is a column (or SQL expression) or a plain value:
        ``cursor.older(Note.created_at, "notes.note", Note.id, "notes.note.mentioned")``.
        """
        when = literal(self.at, DateTime(timezone=True))
        ours = tuple_(at, _text(record_type), _text(record_id), _text(kind))
        theirs = tuple_(when, _text(self.record_type), _text(self.record_id), _text(self.kind))
        # The time alone as well: a plain range an index on the time column can serve.
        return and_(at <= when, ours < theirs)

    def encode(self) -> str:
        data = json.dumps(
            [self.at.isoformat(), self.record_type, self.record_id, self.kind],
            separators=(",", ":"),
        )
        return base64.urlsafe_b64encode(data.encode()).rstrip(b"=").decode()

    @classmethod
    def decode(cls, cursor: str | None) -> TimelineCursor | None:
        """The cursor a page gave out as ``next_cursor``; 422 naming ``cursor`` if it is not one."""
        if cursor is None:
            return None
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            at, record_type, record_id, kind = json.loads(raw)
            decoded = cls(datetime.fromisoformat(at), record_type, record_id, kind)
            if decoded.at.tzinfo is None or not all(
                isinstance(part, str) for part in (record_type, record_id, kind)
            ):
                raise ValueError(cursor)
            return decoded
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
            raise Invalid("cursor", "is not a cursor this API gave out") from None


def _text(value: Any) -> ColumnElement[str]:
    """Text in byte order ("C" collation), as Python compares the same strings."""
    expression = literal(value, Text) if isinstance(value, str) else cast(value, Text)
    return expression.collate("C")


async def timeline_entries(
    db: AsyncSession,
    actor: Actor,
    record_type: str,
    record_id: uuid.UUID | str,
    *,
    before: TimelineCursor | None = None,
    limit: int = 50,
) -> list[TimelineEntry]:
    """What the tenant's enabled modules contribute to the timeline of a record, newest first.

    Up to ``limit`` entries from each contributing module, all after ``before``: merge them
    with your own entries (:func:`newest_first`) and cut the page there.
    ``await timeline_entries(uow.db, actor, "crm.account", account.id, before=cursor, limit=51)``
    """
    # Imported here: the registry imports this package's declarations while it loads.
    from tessera.modules.registry import installed_plugins

    return await installed_plugins().timeline(
        db, actor, record_type, str(record_id), before=before, limit=limit
    )


def timeline_contributors(actor: Actor) -> list[str]:
    """The modules of the actor's tenant that add to record timelines (none: nothing to ask)."""
    from tessera.modules.registry import installed_plugins

    return installed_plugins().timeline_contributors(actor)
