"""What the notes plugin does in the background: an event handler, a job and a schedule.

They exist to test the platform's delivery guarantees, so each leaves a countable trace
(:class:`Effect`) and can be told to misbehave through the note itself: a body starting with
``sleep:<seconds>`` holds the handler's transaction open (a worker can be killed mid-way), a
body of ``fail`` makes the handler raise for as long as the note says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, text

from tessera.plugin import (
    BackgroundJob,
    Event,
    EventHandler,
    HandlerContext,
    JobContext,
    Schedule,
    notify,
)
from tessera_test_notes.models import Effect, Note

CREATED = "notes.note.created"
SHARED = "notes.note.shared"


async def record_creation(event: Event, ctx: HandlerContext) -> None:
    note = await ctx.db.get(Note, (ctx.tenant_id, uuid.UUID(str(event.payload["note_id"]))))
    body = note.body if note is not None else ""
    ctx.db.add(Effect(tenant_id=ctx.tenant_id, kind="created", source=str(event.id)))
    await ctx.db.flush()
    if body.startswith("sleep:"):
        await ctx.db.execute(text("SELECT pg_sleep(:seconds)"), {"seconds": float(body[6:])})
    if body == "fail":
        raise RuntimeError("the note says fail")


async def tell_shared_with(event: Event, ctx: HandlerContext) -> None:
    """Notify the person a note was shared with (and nobody else)."""
    await notify(
        ctx.db,
        ctx.tenant_id,
        [uuid.UUID(str(event.payload["user_id"]))],
        "notes.shared",
        f"A note was shared with you: {event.payload['title']}",
        link=f"/notes/{event.payload['note_id']}",
    )


async def tick(ctx: HandlerContext) -> None:
    ctx.db.add(Effect(tenant_id=ctx.tenant_id, kind="tick", source="schedule"))


async def recount(job: JobContext) -> Mapping[str, Any]:
    """Count the notes in steps, reporting progress after each (and pausing, to be watched)."""
    import asyncio

    async with job.transaction() as db:
        total = int(await db.scalar(select(func.count()).select_from(Note)) or 0)
    step_seconds = float(job.params.get("step_seconds", 0))
    for done in range(1, total + 1):
        await asyncio.sleep(step_seconds)
        await job.progress(done, total, f"counted {done} of {total}")
    async with job.transaction() as db:
        db.add(Effect(tenant_id=job.tenant_id, kind="recount", source=str(job.job_id)))
    return {"notes": total}


DECLARATIONS = (
    EventHandler(CREATED, record_creation, name="record_creation"),
    EventHandler(SHARED, tell_shared_with, name="tell_shared_with"),
    BackgroundJob("notes.recount", recount, label="Count the notes"),
    Schedule("notes.tick", timedelta(seconds=2), tick),
)
