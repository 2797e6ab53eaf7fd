"""The events the notes plugin emits."""

import uuid
from typing import TypedDict

from tessera.plugin import EventType


class NoteCreated(TypedDict):
    note_id: uuid.UUID
    title: str


class NoteShared(TypedDict):
    note_id: uuid.UUID
    title: str
    #: The member told about the note.
    user_id: uuid.UUID


EVENT_TYPES = (
    EventType("notes.note.created", "A note was written", NoteCreated),
    EventType("notes.note.shared", "A note was shown to another member", NoteShared),
)
