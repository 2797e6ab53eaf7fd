"""Running background work inside a tenant: event deliveries, long jobs, scheduled runs.

One :class:`Runner` per worker process. Every piece of work runs in a transaction scoped to its
tenant (row-level security) as the app role, with the audit context saying who acts: the
handler, job or schedule. Effects commit together with the record that the work is done, so a
message delivered twice (a worker killed after commit, a broker redelivering) has one effect.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.audit import capture as audit
from tessera.db.engine import Database
from tessera.db.tenant_context import set_tenant
from tessera.events import service as events
from tessera.events.models import DeadLetter, EventDelivery
from tessera.events.types import Event, HandlerContext
from tessera.jobs.catalog import Catalog, Owned
from tessera.jobs.models import Job, JobRun
from tessera.jobs.types import JobContext
from tessera.mail.service import Mailer, MailQueue
from tessera.mail.service import deliver as deliver_mail
from tessera.settings import Settings
from tessera.webhooks.delivery import WebhookSender

logger = logging.getLogger(__name__)

_DONE_AND_ENABLED = text(
    "SELECT EXISTS (SELECT 1 FROM event_delivery WHERE event_id = :work AND handler = :name), "
    "EXISTS (SELECT 1 FROM tenant_module WHERE module = :module AND enabled)"
)
_RUN_AND_ENABLED = text(
    "SELECT EXISTS (SELECT 1 FROM job_run WHERE schedule = :name AND period = :work), "
    "EXISTS (SELECT 1 FROM tenant_module WHERE module = :module AND enabled)"
)
DEAD_LETTERED = "tessera.event.dead_lettered"
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
        self, tenant_id: uuid.UUID, event: Event, handler_key: str, *, last_attempt: bool
    ) -> None:
        """Hand ``event`` to one handler, once; on the last attempt a failure is dead-lettered."""
        try:
            await self._deliver(tenant_id, event, handler_key)
        except Exception as exc:
            if not last_attempt:
                raise
            logger.exception(
                "event delivery failed for good",
                extra={"event_id": str(event.id), "handler": handler_key},
            )
            await self._dead_letter(tenant_id, event, handler_key, exc)

    async def _deliver(self, tenant_id: uuid.UUID, event: Event, handler_key: str) -> None:
        owned = self.catalog.handlers.get(handler_key)
        if owned is None:
            raise LookupError(f"no handler {handler_key!r} is installed in this worker")
        try:
            async with self.tenant_transaction(tenant_id, event.delivery_key) as db:
                if await self._already_done_or_off(
                    db, _DONE_AND_ENABLED, owned, event.id, handler_key
                ):
                    return
                await owned.item.handle(event, HandlerContext(db=db, tenant_id=tenant_id))
                db.add(EventDelivery(tenant_id=tenant_id, event_id=event.id, handler=handler_key))
        except IntegrityError as exc:
            # A concurrent delivery of the same event committed first: it did the work.
            if "uq_event_delivery" not in str(exc.orig):
                raise
            logger.info("duplicate delivery skipped", extra={"event_id": str(event.id)})

    async def _already_done_or_off(
        self, db: AsyncSession, query: Any, owned: Owned[Any], work: object, name: str
    ) -> bool:
        done, enabled = (
            await db.execute(query, {"work": work, "name": name, "module": owned.owner})
        ).one()
        return bool(done) or not (enabled or owned.always_on)

    async def _dead_letter(
        self, tenant_id: uuid.UUID, event: Event, handler_key: str, exc: BaseException
    ) -> None:
        error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
        async with self.tenant_transaction(tenant_id, event.delivery_key) as db:
            values = {
                "tenant_id": tenant_id,
                "id": uuid.uuid4(),
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

    # --- webhooks ----------------------------------------------------------------------

    async def deliver_webhook(
        self,
        tenant_id: uuid.UUID,
        endpoint_id: uuid.UUID,
        event: Mapping[str, Any],
        *,
        attempt: int,
        last_attempt: bool,
    ) -> None:
        await self.webhooks.deliver(
            tenant_id, endpoint_id, event, attempt=attempt, last_attempt=last_attempt
        )

    # --- scheduled runs ----------------------------------------------------------------

    async def run_schedule(self, tenant_id: uuid.UUID, name: str, period: int) -> None:
        owned = self.catalog.schedules.get(name)
        if owned is None:
            raise LookupError(f"no schedule {name!r} is installed in this worker")
        mail = MailQueue()
        try:
            async with self.tenant_transaction(tenant_id, f"schedule:{name}:{period}") as db:
                if await self._already_done_or_off(db, _RUN_AND_ENABLED, owned, period, name):
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
        acting_as = f"job:{job_id}"
        async with self.tenant_transaction(tenant_id, acting_as) as db:
            job = await db.scalar(
                select(Job).where(Job.id == job_id).with_for_update(skip_locked=True)
            )
            if job is None or job.status in ("succeeded", "failed"):
                return  # finished already, or another worker holds it right now
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
