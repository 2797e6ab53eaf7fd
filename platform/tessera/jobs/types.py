"""What a plugin declares for background work: long jobs and periodic schedules."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tessera.events.types import HandlerContext

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){1,4}$")
#: Shorter periods would make the scheduler the busiest process of the deployment.
MIN_PERIOD = timedelta(seconds=1)


def check_name(kind: str, name: str, owner: str) -> None:
    if len(name) > 120 or not _NAME.fullmatch(name):
        raise ValueError(f"{kind} name {name!r} must look like '{owner}.something'")
    if name.split(".", 1)[0] != owner:
        raise ValueError(f"{kind} name {name!r} must start with '{owner}.'")


@dataclass(slots=True)
class JobContext:
    """A long job at work for one tenant.

    The job opens its own transactions (``async with job.transaction() as db``) so that work
    done is kept as it goes, and reports ``progress`` that the API shows while it runs. A job
    that dies is run again from the start: make each step safe to repeat.
    """

    tenant_id: uuid.UUID
    job_id: uuid.UUID
    params: Mapping[str, Any]
    transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]]
    report: Callable[[int, int | None, str], Awaitable[None]]

    async def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        await self.report(done, total, message)


@dataclass(frozen=True, slots=True)
class BackgroundJob:
    """A kind of long job (an import, an export, a recount) that code can start for a tenant.

    ``run`` returns a small JSON-able result (or None) shown with the finished job.
    """

    name: str
    run: Callable[[JobContext], Awaitable[Mapping[str, Any] | None]]
    label: str = ""

    def check(self, owner: str) -> BackgroundJob:
        check_name("job", self.name, owner)
        return self


@dataclass(frozen=True, slots=True)
class Schedule:
    """Run ``run`` every ``every`` for each tenant that enabled the module — once per period.

    It runs in one transaction of that tenant, committed with the record that this period is
    done: several scheduler replicas, or a message delivered twice, still make one run.
    """

    name: str
    every: timedelta
    run: Callable[[HandlerContext], Awaitable[None]]

    def check(self, owner: str) -> Schedule:
        check_name("schedule", self.name, owner)
        if self.every < MIN_PERIOD:
            raise ValueError(f"schedule {self.name!r} runs more often than every {MIN_PERIOD}")
        return self

    @property
    def seconds(self) -> int:
        return int(self.every.total_seconds())
