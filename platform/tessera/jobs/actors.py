"""The dramatiq actors every Tessera worker runs, and the messages the dispatcher sends them.

Messages carry plain JSON (ids and the event itself), never objects. The worker's
:class:`~tessera.jobs.runner.Runner` is built on first use inside the worker's event loop, so
importing this module (as the dispatcher does, only to send) opens no connection.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import dramatiq
from dramatiq.middleware import CurrentMessage

from tessera.events.types import Event
from tessera.jobs.runner import Runner
from tessera.settings import Settings

RunnerFactory = Callable[[], Awaitable[Runner]]


@dataclass(frozen=True, slots=True)
class Actors:
    broker: dramatiq.Broker
    deliver_events: dramatiq.Actor[Any, Any]
    run_job: dramatiq.Actor[Any, Any]
    run_schedule: dramatiq.Actor[Any, Any]
    deliver_webhook: dramatiq.Actor[Any, Any]

    def events_message(
        self, events: Sequence[Mapping[str, Any]], handler: str
    ) -> dramatiq.Message[Any]:
        """Events (of any tenants) for one handler: each tenant's in a transaction of its own."""
        return self.deliver_events.message(handler, [dict(e) for e in events])

    def job_message(self, tenant_id: uuid.UUID, job_id: uuid.UUID) -> dramatiq.Message[Any]:
        return self.run_job.message(str(tenant_id), str(job_id))

    def webhook_message(
        self, tenant_id: uuid.UUID, endpoint_id: uuid.UUID, event: Mapping[str, Any]
    ) -> dramatiq.Message[Any]:
        return self.deliver_webhook.message(str(tenant_id), str(endpoint_id), dict(event))

    def schedule_message(
        self, tenant_id: uuid.UUID, schedule: str, period: int
    ) -> dramatiq.Message[Any]:
        return self.run_schedule.message(str(tenant_id), schedule, period)


def event_as_message(row: Mapping[str, Any]) -> dict[str, Any]:
    """An outbox row as the message carries it."""
    return {
        "tenant_id": str(row["tenant_id"]),
        "id": str(row["id"]),
        "type": row["type"],
        "payload": row["payload"],
        "occurred_at": row["occurred_at"].isoformat(),
        "actor_user_id": str(row["actor_user_id"]) if row["actor_user_id"] else None,
    }


def event_from_message(data: Mapping[str, Any], handler: str) -> Event:
    return Event(
        id=uuid.UUID(data["id"]),
        type=data["type"],
        tenant_id=uuid.UUID(data["tenant_id"]),
        payload=data["payload"],
        occurred_at=datetime.fromisoformat(data["occurred_at"]),
        actor_user_id=uuid.UUID(data["actor_user_id"]) if data["actor_user_id"] else None,
        delivery_key=f"{data['id']}:{handler}",
    )


def send_all(broker: dramatiq.Broker, messages: Sequence[dramatiq.Message[Any]]) -> None:
    """Enqueue in order; the first failure stops the batch (the caller's claim rolls back)."""
    for message in messages:
        broker.enqueue(message)


def _last_attempt(max_retries: int) -> bool:
    message = CurrentMessage.get_current_message()
    retries = int(message.options.get("retries", 0)) if message is not None else 0
    return retries >= max_retries


def queue_names(settings: Settings) -> tuple[str, str, str]:
    """The deployment's queues: event deliveries, jobs and scheduled runs, webhook calls."""
    prefix = settings.queue_prefix
    return f"{prefix}_events", f"{prefix}_jobs", f"{prefix}_webhooks"


def declare_actors(broker: dramatiq.Broker, settings: Settings, runner: RunnerFactory) -> Actors:
    events_queue, jobs_queue, webhooks_queue = queue_names(settings)
    retry_options: dict[str, Any] = {
        "max_retries": settings.event_max_retries,
        "min_backoff": settings.event_min_backoff_ms,
        "max_backoff": settings.event_max_backoff_ms,
        # A handler may take its time; dramatiq's default limit (10 min) is the wrong default
        # for a job that imports a large file.
        "time_limit": 6 * 3600 * 1000,
    }

    async def deliver_events(handler: str, events: list[dict[str, Any]]) -> None:
        last = _last_attempt(settings.event_max_retries)
        await (await runner()).deliver(
            [event_from_message(event, handler) for event in events], handler, last_attempt=last
        )

    async def run_job(tenant_id: str, job_id: str) -> None:
        last = _last_attempt(settings.event_max_retries)
        await (await runner()).run_job(uuid.UUID(tenant_id), uuid.UUID(job_id), last_attempt=last)

    async def run_schedule(tenant_id: str, schedule: str, period: int) -> None:
        await (await runner()).run_schedule(uuid.UUID(tenant_id), schedule, period)

    async def deliver_webhook(tenant_id: str, endpoint_id: str, event: dict[str, Any]) -> None:
        message = CurrentMessage.get_current_message()
        attempt = 1 + (int(message.options.get("retries", 0)) if message is not None else 0)
        await (await runner()).webhooks.deliver(
            uuid.UUID(tenant_id),
            uuid.UUID(endpoint_id),
            event,
            attempt=attempt,
            last_attempt=_last_attempt(settings.event_max_retries),
        )

    def declare(fn: Callable[..., Awaitable[None]], name: str, queue_name: str) -> Any:
        decorate = dramatiq.actor(
            broker=broker, actor_name=name, queue_name=queue_name, **retry_options
        )
        return decorate(fn)

    return Actors(
        broker=broker,
        deliver_events=declare(deliver_events, "tessera_deliver_events", events_queue),
        run_job=declare(run_job, "tessera_run_job", jobs_queue),
        run_schedule=declare(run_schedule, "tessera_run_schedule", jobs_queue),
        deliver_webhook=declare(deliver_webhook, "tessera_deliver_webhook", webhooks_queue),
    )


class LazyRunner:
    """Builds the process's runner once, inside the worker's event loop."""

    def __init__(self, build: Callable[[], Runner]) -> None:
        self._build = build
        self._runner: Runner | None = None
        self._lock: asyncio.Lock | None = None

    async def __call__(self) -> Runner:
        if self._runner is None:
            self._lock = self._lock or asyncio.Lock()
            async with self._lock:
                if self._runner is None:
                    self._runner = self._build()
        return self._runner
