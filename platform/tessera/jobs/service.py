"""Starting long jobs and reading their progress."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.audit import capture as audit
from tessera.errors import Invalid, NotFound
from tessera.events import service as events
from tessera.jobs.models import Job
from tessera.modules.registry import installed_plugins

#: The event the relay turns into a message for the job runner.
JOB_REQUESTED = "tessera.job.requested"


async def start_job(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    kind: str,
    params: Mapping[str, Any],
) -> Job:
    """Queue a job in the caller's transaction: it starts only if that transaction commits."""
    if kind not in installed_job_kinds():
        raise Invalid("kind", f"no job {kind!r} is installed")
    job = Job(
        tenant_id=tenant_id,
        kind=kind,
        params=audit.json_safe(dict(params)),
        requested_by=audit.get_context(db.sync_session).actor_user_id,
        status="queued",
        done=0,
        message="",
        attempts=0,
    )
    db.add(job)
    await db.flush()
    await events.emit(db, tenant_id, JOB_REQUESTED, {"job_id": job.id, "kind": kind})
    return job


def installed_job_kinds() -> set[str]:
    return {job.name for plugin in installed_plugins().plugins.values() for job in plugin.jobs}


async def get_job(db: AsyncSession, tenant_id: uuid.UUID, job_id: uuid.UUID) -> Job:
    job = await db.get(Job, (tenant_id, job_id))
    if job is None:
        raise NotFound("No such job.")
    return job


async def list_jobs(
    db: AsyncSession, *, requested_by: uuid.UUID | None, after: uuid.UUID | None, limit: int
) -> Sequence[Job]:
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if requested_by is not None:
        query = query.where(Job.requested_by == requested_by)
    if after is not None:
        query = query.where(Job.id < after)
    return (await db.scalars(query)).all()
