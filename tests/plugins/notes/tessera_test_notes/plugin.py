"""The notes plugin's hooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    BUILTIN_ROLES,
    UI,
    Actor,
    BackgroundJob,
    EventHandler,
    EventType,
    Field,
    Manifest,
    MenuItem,
    ModuleContext,
    Permission,
    RecordFact,
    Resource,
    Schedule,
    TimelineCursor,
    TimelineEntry,
    hookimpl,
    visible_to,
)
from tessera_test_notes.event_types import EVENT_TYPES
from tessera_test_notes.events import DECLARATIONS
from tessera_test_notes.models import ChecklistItem, Effect, Note
from tessera_test_notes.routes import READ, NotesController

WELCOME = "Welcome to notes"
MENTIONED = "notes.note.mentioned"


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(
        name="notes",
        label="Notes",
        version="1.0.0",
        api=">=1.1,<2",
        description="Short notes with checklists, for testing the plugin API",
    )


@hookimpl
def tessera_models() -> Sequence[type[Any]]:
    return [Note, ChecklistItem, Effect]


@hookimpl
def tessera_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [NotesController]


@hookimpl
def tessera_permissions() -> Sequence[Permission]:
    return [
        Permission("notes.note.read", "Read notes", default_roles=BUILTIN_ROLES, scoped=True),
        Permission(
            "notes.note.write",
            "Create, edit and delete notes",
            default_roles=BUILTIN_ROLES,
            scoped=True,
        ),
    ]


NOTE = Resource(
    name="notes.note",
    label="Note",
    endpoint="/api/v1/notes/notes",
    fields=(
        Field("title", "Title", required=True),
        Field("body", "Text", type="longtext"),
        Field("author_id", "Author", type="reference", read_only=True, reference="identity.user"),
    ),
    list_columns=("title", "author_id"),
    filters=("title",),
    form=(("title",), ("body",)),
    title_field="title",
    read_permission="notes.note.read",
    write_permission="notes.note.write",
)


@hookimpl
def tessera_ui() -> UI:
    return UI(
        menus=(MenuItem("Notes", "/notes", icon="file-text", permission="notes.note.read"),),
        resources=(NOTE,),
        messages=(NOTES_ABOUT_IT,),
    )


@click.command("hello")
def hello() -> None:
    """Say hello (shows that plugin commands reach the tessera CLI)."""
    click.echo("hello from notes")


@hookimpl
def tessera_event_types() -> Sequence[EventType]:
    return EVENT_TYPES


@hookimpl
def tessera_event_handlers() -> Sequence[EventHandler]:
    return [d for d in DECLARATIONS if isinstance(d, EventHandler)]


@hookimpl
def tessera_jobs() -> Sequence[BackgroundJob | Schedule]:
    return [d for d in DECLARATIONS if not isinstance(d, EventHandler)]


@hookimpl
def tessera_cli() -> Sequence[click.Command]:
    return [hello]


@hookimpl
async def tessera_on_enable(module: ModuleContext) -> None:
    if module.first_time:
        module.db.add(Note(tenant_id=module.tenant_id, title=WELCOME, body="Your first note."))


@hookimpl
async def tessera_timeline(
    db: AsyncSession,
    actor: Actor,
    record_id: str,
    before: TimelineCursor | None,
    limit: int,
) -> Sequence[TimelineEntry]:
    """A note that mentions a record's id belongs on that record's timeline, whatever module
    the record is of (notes know no other module)."""
    query = select(Note).where(
        Note.body.contains(record_id, autoescape=True),
        visible_to(actor, READ, Note.author_id),
    )
    if before is not None:
        query = query.where(before.older(Note.created_at, "notes.note", Note.id, MENTIONED))
    query = query.order_by(Note.created_at.desc(), Note.id.desc()).limit(limit)
    return [
        TimelineEntry(
            note.created_at, MENTIONED, note.title, "notes.note", str(note.id), note.body[:200]
        )
        for note in (await db.execute(query)).scalars()
    ]


NOTES_ABOUT_IT = "Notes about it"


@hookimpl
async def tessera_record_facts(
    db: AsyncSession, actor: Actor, record_id: str
) -> Sequence[RecordFact]:
    """How many notes the member may read mention the record (notes know no other module)."""
    count = await db.scalar(
        select(func.count()).where(
            Note.body.contains(record_id, autoescape=True), visible_to(actor, READ, Note.author_id)
        )
    )
    return [RecordFact(NOTES_ABOUT_IT, str(count))] if count else []
