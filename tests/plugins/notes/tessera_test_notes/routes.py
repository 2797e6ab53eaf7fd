"""The notes API, mounted by the platform under /api/v1/notes."""

from __future__ import annotations

import os
import signal
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import select

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    CursorQuery,
    Input,
    LimitQuery,
    Member,
    NotFound,
    Page,
    Uow,
    check_limit,
    decode_cursor,
    emit,
    page_of,
    requires,
    start_job,
    visible_to,
)
from tessera_test_notes.events import CREATED, SHARED
from tessera_test_notes.models import ChecklistItem, Note

READ, WRITE = "notes.note.read", "notes.note.write"
StepSeconds = Annotated[float, QueryParameter(ge=0, le=5, description="Pause per note counted")]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class NoteIn(Input):
    title: Title
    body: Annotated[str, msgspec.Meta(max_length=10_000)] = ""
    checklist: list[Title] = msgspec.field(default_factory=list)


class ShareIn(Input):
    user_id: uuid.UUID


class NotePatch(Input):
    title: Title | None = None
    body: Annotated[str, msgspec.Meta(max_length=10_000)] | None = None


class NoteOut(msgspec.Struct):
    id: uuid.UUID
    title: str
    body: str
    author_id: uuid.UUID | None
    checklist: list[str]


async def _checklists(uow: Uow, note_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The checklist of each note, for a whole page of notes in one query."""
    rows = await uow.db.execute(
        select(ChecklistItem.note_id, ChecklistItem.text)
        .where(ChecklistItem.note_id.in_(note_ids))
        .order_by(ChecklistItem.id)
    )
    found: dict[uuid.UUID, list[str]] = {note_id: [] for note_id in note_ids}
    for note_id, text in rows:
        found[note_id].append(text)
    return found


async def _render(uow: Uow, notes: list[Note]) -> list[NoteOut]:
    checklists = await _checklists(uow, [n.id for n in notes])
    return [NoteOut(n.id, n.title, n.body, n.author_id, checklists[n.id]) for n in notes]


async def _out(uow: Uow, note: Note) -> NoteOut:
    return (await _render(uow, [note]))[0]


async def _get(uow: Uow, actor: Actor, note_id: uuid.UUID, permission: str) -> Note:
    """The note, if the record rule of ``permission`` lets the actor reach it; else 404."""
    query = select(Note).where(Note.id == note_id, visible_to(actor, permission, Note.author_id))
    note = (await uow.db.execute(query)).scalar_one_or_none()
    if note is None:
        raise NotFound("No such note.")
    return note


async def _title_free(uow: Uow, title: str) -> None:
    taken = await uow.db.execute(select(Note.id).where(Note.title == title))
    if taken.first() is not None:
        raise Conflict(f"A note is already titled {title!r}.")


#: A note titled like this makes the web process die the instant its transaction commits:
#: the fault tests show that the outbox still delivers the note's event.
CRASH_AFTER_COMMIT = "crash-after-commit"


def _die_after_commit(uow: Uow) -> None:
    def die(session: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    sqlalchemy_event.listen(uow.db.sync_session, "after_commit", die, once=True)


class NotesController(Controller):
    path = "/notes"

    @get("/", opt=requires(READ))
    async def list_notes(
        self, actor: Member, uow: Uow, limit: LimitQuery = DEFAULT_LIMIT, cursor: CursorQuery = None
    ) -> Page[NoteOut]:
        query = (
            select(Note)
            .where(visible_to(actor, READ, Note.author_id))
            .order_by(Note.id)
            .limit(check_limit(limit) + 1)
        )
        if (after := decode_cursor(cursor)) is not None:
            query = query.where(Note.id > after)
        rows = list((await uow.db.execute(query)).scalars())
        page = page_of(rows, limit, key=lambda n: n.id, render=lambda n: n)
        return Page(items=await _render(uow, page.items), next_cursor=page.next_cursor)

    @post("/", status_code=HTTP_201_CREATED, opt=requires(WRITE))
    async def create(self, data: JSONBody[NoteIn], actor: Member, uow: Uow) -> NoteOut:
        await _title_free(uow, data.title)
        note = Note(
            tenant_id=actor.tenant_id, title=data.title, body=data.body, author_id=actor.user_id
        )
        uow.db.add(note)
        await uow.db.flush()
        for text in data.checklist:
            uow.db.add(ChecklistItem(tenant_id=actor.tenant_id, note_id=note.id, text=text))
        await uow.db.flush()
        await emit(uow.db, actor.tenant, CREATED, {"note_id": note.id, "title": note.title})
        if data.title.startswith(CRASH_AFTER_COMMIT):
            _die_after_commit(uow)
        return await _out(uow, note)

    @post("/recount", status_code=HTTP_202_ACCEPTED, opt=requires(READ))
    async def start_recount(
        self, actor: Member, uow: Uow, step_seconds: StepSeconds = 0.0
    ) -> dict[str, uuid.UUID]:
        """Count the notes in the background; the answer names the job to watch."""
        job = await start_job(uow.db, actor.tenant, "notes.recount", {"step_seconds": step_seconds})
        return {"job_id": job.id}

    @post("/{note_id:uuid}/share", status_code=HTTP_202_ACCEPTED, opt=requires(READ))
    async def share(
        self, note_id: FromPath[uuid.UUID], data: JSONBody[ShareIn], actor: Member, uow: Uow
    ) -> None:
        """Tell a member about a note (they are notified in the background)."""
        note = await _get(uow, actor, note_id, READ)
        payload = {"note_id": note.id, "title": note.title, "user_id": data.user_id}
        await emit(uow.db, actor.tenant, SHARED, payload)

    @get("/{note_id:uuid}", opt=requires(READ))
    async def get_note(self, note_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> NoteOut:
        return await _out(uow, await _get(uow, actor, note_id, READ))

    @patch("/{note_id:uuid}", opt=requires(WRITE))
    async def update(
        self, note_id: FromPath[uuid.UUID], data: JSONBody[NotePatch], actor: Member, uow: Uow
    ) -> NoteOut:
        note = await _get(uow, actor, note_id, WRITE)
        if data.title is not None and data.title != note.title:
            await _title_free(uow, data.title)
            note.title = data.title
        if data.body is not None:
            note.body = data.body
        await uow.db.flush()
        return await _out(uow, note)

    @delete("/{note_id:uuid}", status_code=HTTP_200_OK, opt=requires(WRITE))
    async def remove(self, note_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        note = await _get(uow, actor, note_id, WRITE)
        await uow.db.delete(note)
        await uow.db.flush()
