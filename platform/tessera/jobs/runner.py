"""Running background work inside a tenant: event deliveries, long jobs, scheduled runs.

One :class:`Runner` per worker process. Every piece of work runs in a transaction scoped to its
tenant (row-level security) as the app role, with the audit context saying who acts: the
handler, job or schedule. Effects commit together with the record that the work is done, so a
message delivered twice (a worker killed after commit, a broker redelivering) has one effect.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ARRAY, Uuid, bindparam, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.audit import capture as audit
from tessera.db.engine import Database
from tessera.db.ids import uuid7
from tessera.db.tenant_context import set_tenant
from tessera.events import service as events
from tessera.events.models import DeadLetter, EventDelivery
from tessera.events.types import Event, EventHandler, HandlerContext
from tessera.jobs.catalog import Catalog, Owned
from tessera.jobs.models import Job, JobRun
from tessera.jobs.types import JobContext
from tessera.mail.service import Mailer, MailQueue
from tessera.mail.service import deliver as deliver_mail
from tessera.settings import Settings
from tessera.webhooks.delivery import WebhookSender

logger = logging.getLogger(__name__)

_DONE_AND_ENABLED = text(
    "SELECT ARRAY(SELECT event_id FROM event_delivery "
    "WHERE handler = :name AND event_id = ANY(:ids)), "
    "EXISTS (SELECT 1 FROM tenant_module WHERE module = :module AND enabled)"
).bindparams(bindparam("ids", type_=ARRAY(Uuid())))
_RUN_AND_ENABLED = text(
    "SELECT EXISTS (SELECT 1 FROM job_run WHERE schedule = :name AND period = :work), "
    "EXISTS (SELECT 1 FROM tenant_module WHERE module = :module AND enabled)"
)
DEAD_LETTERED = "tessera.event.dead_lettered"


class JobBusy(Exception):
    """The job is held by another worker; its message is retried later."""


class DeliveryFailed(Exception):
    """Some events of a message failed; the message is retried (done events are skipped)."""


_TAKE_JOB = text("SELECT pg_try_advisory_lock(hashtext('tessera.job'), hashtext(:job))")
_RELEASE_JOB = text("SELECT pg_advisory_unlock(hashtext('tessera.job'), hashtext(:job))")
#: Error texts kept with a dead letter or a failed job are cut to this length.
MAX_ERROR = 2000


class Runner:
    def __init__(
        self, database: Database, catalog: Catalog, mailer: Mailer, settings: Settings
    ) -> None:
        self.database = database
        self.catalog = catalog
        self.mailer = mailer
        self.webhooks = WebhookSender(self.tenant_transaction, settings)

    @asynccontextmanager
    async def tenant_transaction(
        self, tenant_id: uuid.UUID, acting_as: str
    ) -> AsyncIterator[AsyncSession]:
        async with self.database.transaction() as db:
            audit.set_context(
                db.sync_session, audit.AuditContext(actor_kind="system", request_id=acting_as[:64])
            )
            await set_tenant(db, tenant_id)
            yield db

    # --- events ------------------------------------------------------------------------

    async def deliver(
        self, events: Sequence[Event], handler_key: str, *, last_attempt: bool
    ) -> None:
        """Hand ``events`` to one handler, each once.

        Each tenant's events run in one transaction of that tenant; if it fails, each event
        gets a transaction of its own, so one bad event neither blocks nor repeats the others.
        Events still failing are retried with the message (the done ones are then skipped), or
        dead-lettered on the last attempt.
        """
        owned = self.catalog.handlers.get(handler_key)
        by_tenant: dict[uuid.UUID, list[Event]] = defaultdict(list)
        for event in events:
            by_tenant[event.tenant_id].append(event)
        failures: list[tuple[Event, Exception]] = []
        for tenant_id, batch in by_tenant.items():
            try:
                if owned is None:
                    raise LookupError(f"no handler {handler_key!r} is installed in this worker")
                await self._deliver_together(tenant_id, batch, handler_key, owned)
            except Exception as exc:
                if owned is None or len(batch) == 1:
                    failures.extend((event, exc) for event in batch)
                else:
                    failures.extend(await self._deliver_each(tenant_id, batch, handler_key, owned))
        if not failures:
            return
        if not last_attempt:
            first = failures[0][1]
            raise DeliveryFailed(f"{len(failures)} event(s) failed, first: {first!r}") from first
        for failed, error in failures:
            logger.error(
                "event delivery failed for good",
                extra={"event_id": str(failed.id), "handler": handler_key, "error": repr(error)},
            )
            await self._dead_letter(failed.tenant_id, failed, handler_key, error)

    async def _deliver_each(
        self,
        tenant_id: uuid.UUID,
        events: Sequence[Event],
        handler_key: str,
        owned: Owned[EventHandler],
    ) -> list[tuple[Event, Exception]]:
        failures: list[tuple[Event, Exception]] = []
        for event in events:
            try:
                await self._deliver_together(tenant_id, [event], handler_key, owned)
            except Exception as exc:
                failures.append((event, exc))
        return failures

    async def _deliver_together(
        self,
        tenant_id: uuid.UUID,
        events: Sequence[Event],
        handler_key: str,
        owned: Owned[EventHandler],
    ) -> None:
        mail = MailQueue()
        try:
            async with self.tenant_transaction(tenant_id, events[0].delivery_key) as db:
                pending = await self._not_done(db, events, handler_key, owned)
                context = HandlerContext(db, tenant_id, mail)
                for event in pending:
                    await owned.item.handle(event, context)
                    db.add(
                        EventDelivery(tenant_id=tenant_id, event_id=event.id, handler=handler_key)
                    )
        except IntegrityError as exc:
            # A concurrent delivery of the same event committed first: it did the work.
            if "uq_event_delivery" not in str(exc.orig):
                raise
            if len(events) > 1:
                raise  # sort it out event by event
            logger.info("duplicate delivery skipped", extra={"event_id": str(events[0].id)})
            return
        await deliver_mail(self.mailer, mail)

    async def _not_done(
        self,
        db: AsyncSession,
        events: Sequence[Event],
        handler_key: str,
        owned: Owned[EventHandler],
    ) -> list[Event]:
        """The events this handler has not finished, if its module is on; none otherwise."""
        done, enabled = (
            await db.execute(
                _DONE_AND_ENABLED,
                {"ids": [e.id for e in events], "name": handler_key, "module": owned.owner},
            )
        ).one()
        if not (enabled or owned.always_on):
            return []
        finished = set(done or ())
        return [e for e in events if e.id not in finished]

    async def _dead_letter(
        self, tenant_id: uuid.UUID, event: Event, handler_key: str, exc: BaseException
    ) -> None:
        error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
        async with self.tenant_transaction(tenant_id, event.delivery_key) as db:
            values = {
                "tenant_id": tenant_id,
                "id": uuid7(),
                "event_id": event.id,
                "event_type": event.type,
                "handler": handler_key,
                "payload": dict(event.payload),
                "occurred_at": event.occurred_at,
                "attempts": 1,
                "error": error,
            }
            statement = insert(DeadLetter).values(values)
            await db.execute(
                statement.on_conflict_do_update(
                    constraint="uq_event_dead_letter_tenant_id_event_id_handler",
                    set_={
                        "attempts": DeadLetter.attempts + 1,
                        "error": error,
                        "failed_at": datetime.now(UTC),
                    },
                )
            )
            if event.type == DEAD_LETTERED:
                return  # telling of a failure failed: the letter itself is the record
            await events.emit(
                db,
                tenant_id,
                DEAD_LETTERED,
                {"event_id": event.id, "event_type": event.type, "handler": handler_key},
            )

    # --- scheduled runs ----------------------------------------------------------------

    async def run_schedule(self, tenant_id: uuid.UUID, name: str, period: int) -> None:
        owned = self.catalog.schedules.get(name)
        if owned is None:
            raise LookupError(f"no schedule {name!r} is installed in this worker")
        mail = MailQueue()
        try:
            async with self.tenant_transaction(tenant_id, f"schedule:{name}:{period}") as db:
                done, enabled = (
                    await db.execute(
                        _RUN_AND_ENABLED, {"name": name, "work": period, "module": owned.owner}
                    )
                ).one()
                if done or not (enabled or owned.always_on):
                    return
                await owned.item.run(HandlerContext(db, tenant_id, mail))
                db.add(JobRun(tenant_id=tenant_id, schedule=name, period=period))
        except IntegrityError as exc:
            if "uq_job_run" not in str(exc.orig):
                raise
            logger.info("scheduled run already done", extra={"schedule": name})
            return
        await deliver_mail(self.mailer, mail)

    # --- long jobs ---------------------------------------------------------------------

    async def run_job(self, tenant_id: uuid.UUID, job_id: uuid.UUID, *, last_attempt: bool) -> None:
        """Run a job, unless another worker is running it right now.

        A session advisory lock on a connection of its own marks the job as taken for as long
        as it runs; if the worker dies, PostgreSQL drops the lock with the connection and the
        redelivered message runs the job again from the start.
        """
        async with self.database.engine.connect() as lock:
            taken = await lock.scalar(_TAKE_JOB, {"job": str(job_id)})
            await lock.commit()
            if not taken:
                # Most likely a duplicate message of a job running elsewhere: look again later
                # (by then it is finished, and this message ends quietly).
                if last_attempt:
                    return
                raise JobBusy(f"job {job_id} is running in another worker")
            try:
                await self._run_job(tenant_id, job_id, last_attempt=last_attempt)
            finally:
                await lock.execute(_RELEASE_JOB, {"job": str(job_id)})
                await lock.commit()

    async def _run_job(
        self, tenant_id: uuid.UUID, job_id: uuid.UUID, *, last_attempt: bool
    ) -> None:
        acting_as = f"job:{job_id}"
        async with self.tenant_transaction(tenant_id, acting_as) as db:
            job = await db.scalar(select(Job).where(Job.id == job_id).with_for_update())
            if job is None or job.status in ("succeeded", "failed"):
                return  # finished already
            owned = self.catalog.jobs.get(job.kind)
            job.status, job.attempts, job.started_at = (
                "running",
                job.attempts + 1,
                datetime.now(UTC),
            )
            params = dict(job.params)
        if owned is None:
            await self._finish(tenant_id, job_id, error=f"no job {job.kind!r} is installed")
            return

        async def report(done: int, total: int | None, message: str) -> None:
            async with self.tenant_transaction(tenant_id, acting_as) as side:
                await side.execute(
                    update(Job)
                    .where(Job.id == job_id)
                    .values(done=done, total=total, message=message[:500])
                )

        context = JobContext(
            tenant_id=tenant_id,
            job_id=job_id,
            params=params,
            transaction=lambda: self.tenant_transaction(tenant_id, acting_as),
            report=report,
        )
        try:
            result = await owned.item.run(context)
        except Exception as exc:
            if not last_attempt:
                raise
            logger.exception("job failed for good", extra={"job_id": str(job_id)})
            await self._finish(tenant_id, job_id, error=f"{type(exc).__name__}: {exc}")
            return
        await self._finish(tenant_id, job_id, result=result)

    async def _finish(
        self,
        tenant_id: uuid.UUID,
        job_id: uuid.UUID,
        *,
        result: Mapping[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        async with self.tenant_transaction(tenant_id, f"job:{job_id}") as db:
            job = await db.get(Job, (tenant_id, job_id))
            if job is None:
                return
            job.status = "failed" if error else "succeeded"
            job.error = error[:MAX_ERROR] if error else None
            job.result = audit.json_safe(dict(result)) if result else None
            job.finished_at = datetime.now(UTC)
            if not error and job.total is not None:
                job.done = job.total
            await events.emit(
                db,
                tenant_id,
                f"tessera.job.{job.status}",
                {"job_id": job_id, "kind": job.kind, "requested_by": job.requested_by},
            )
