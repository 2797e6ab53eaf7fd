"""A note and its checklist items (children, deleted with their note)."""

from __future__ import annotations

import uuid

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tessera.plugin import TenantModel, Timestamps, tenant_fk, tenant_unique


class Note(TenantModel, Timestamps):
    __tablename__ = "notes_note"
    __table_args__ = (
        tenant_unique("title"),
        # Record rules compare author_id: an index keeps "my notes" one index scan.
        Index("ix_notes_note_author", "tenant_id", "author_id"),
    )
    #: Who may bring a deleted note back from the recycle bin.
    __recycle_permission__ = "notes.note.write"

    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[uuid.UUID | None]


class ChecklistItem(TenantModel, Timestamps):
    __tablename__ = "notes_checklist_item"
    __table_args__ = (tenant_fk("note_id", "notes_note", ondelete="CASCADE"),)

    note_id: Mapped[uuid.UUID]
    text: Mapped[str] = mapped_column(String(200))
    done: Mapped[bool] = mapped_column(default=False)


class Effect(TenantModel):
    """One thing a handler, job or schedule of this plugin did: the tests count them.

    No uniqueness on purpose: if the platform ran a handler twice for one event, two rows
    would show it.
    """

    __tablename__ = "notes_effect"
    __audit__ = False
    __recycle__ = False

    #: "created" (event handler), "tick" (schedule), "recount" (job step)
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(100))
