"""HTTP API of background jobs: what runs, how far it got, how it ended."""

from __future__ import annotations

import uuid

from litestar import Controller, get
from litestar.params import FromPath

from tessera.errors import NotFound
from tessera.jobs import service
from tessera.jobs.models import Job
from tessera.jobs.schemas import JobOut
from tessera.web.context import Member, Uow
from tessera.web.pagination import (
    DEFAULT_LIMIT,
    CursorQuery,
    LimitQuery,
    check_limit,
    decode_cursor,
    page_of,
)
from tessera.web.schemas import Page

READ_ALL = "jobs.job.read"


def job_out(job: Job) -> JobOut:
    percent = None
    if job.total:
        percent = round(min(100.0, 100.0 * job.done / job.total), 1)
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        done=job.done,
        total=job.total,
        percent=percent,
        message=job.message,
        result=job.result,
        error=job.error,
        attempts=job.attempts,
        requested_by=job.requested_by,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


class JobController(Controller):
    path = "/jobs"
    tags = ["jobs"]

    @get("/", summary="Your background jobs (everyone's with jobs.job.read), newest first")
    async def list_jobs(
        self, actor: Member, uow: Uow, limit: LimitQuery = DEFAULT_LIMIT, cursor: CursorQuery = None
    ) -> Page[JobOut]:
        rows = await service.list_jobs(
            uow.db,
            requested_by=None if actor.can(READ_ALL) else actor.user_id,
            after=decode_cursor(cursor),
            limit=check_limit(limit) + 1,
        )
        return page_of(rows, limit, key=lambda j: j.id, render=job_out)

    @get("/{job_id:uuid}", summary="One job and its progress")
    async def get_job(self, job_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> JobOut:
        job = await service.get_job(uow.db, actor.tenant, job_id)
        if job.requested_by != actor.user_id and not actor.can(READ_ALL):
            raise NotFound("No such job.")
        return job_out(job)


ROUTE_HANDLERS = [JobController]
