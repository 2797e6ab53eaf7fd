"""Delivering one event to one endpoint (in a worker): sign, send, log, retry or pause."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.errors import Invalid
from tessera.events import service as events
from tessera.settings import Settings
from tessera.webhooks.addresses import resolve
from tessera.webhooks.models import WebhookDelivery, WebhookEndpoint
from tessera.webhooks.service import sealer
from tessera.webhooks.signing import EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, sign

logger = logging.getLogger(__name__)

PAUSED = "tessera.webhook.paused"
USER_AGENT = "Tessera-Webhooks/1"
#: What the log keeps of an error or of a receiver's answer.
MAX_ERROR = 500

TenantTransaction = Callable[[uuid.UUID, str], AbstractAsyncContextManager[AsyncSession]]


class WebhookFailed(Exception):
    """The receiver did not take the event (the message is retried with backoff)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    code: int | None
    latency_ms: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.code is not None and 200 <= self.code < 300


def body_of(tenant_id: uuid.UUID, event: Mapping[str, Any]) -> bytes:
    return json.dumps(
        {
            "id": event["id"],
            "type": event["type"],
            "occurred_at": event["occurred_at"],
            "tenant_id": str(tenant_id),
            "data": event["payload"],
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


class WebhookSender:
    def __init__(self, transaction: TenantTransaction, settings: Settings) -> None:
        self._transaction = transaction
        self._settings = settings
        self._sealer = sealer(settings)

    async def deliver(
        self,
        tenant_id: uuid.UUID,
        endpoint_id: uuid.UUID,
        event: Mapping[str, Any],
        *,
        attempt: int,
        last_attempt: bool,
    ) -> None:
        acting_as = f"webhook:{endpoint_id}"
        async with self._transaction(tenant_id, acting_as) as db:
            endpoint = await db.get(WebhookEndpoint, (tenant_id, endpoint_id))
            if endpoint is None or not endpoint.active or endpoint.paused_at is not None:
                return  # removed, switched off or paused since the event was relayed
            url, secret = endpoint.url, self._sealer.open(endpoint.secret_sealed)
        outcome = await self._post(url, secret, body_of(tenant_id, event), event)
        async with self._transaction(tenant_id, acting_as) as db:
            paused = await self._record(
                db, tenant_id, endpoint_id, event, attempt, outcome, last_attempt
            )
        if not outcome.ok and not last_attempt and not paused:
            raise WebhookFailed(outcome.error or f"answered {outcome.code}")

    async def _post(self, url: str, secret: str, body: bytes, event: Mapping[str, Any]) -> Outcome:
        try:
            target = await resolve(
                url,
                allow_http=self._settings.webhooks_allow_http,
                allow_private=self._settings.webhooks_allow_private_addresses,
            )
        except Invalid as exc:
            return Outcome(None, None, f"refused: {exc}")
        headers = {
            "Host": urlsplit(url).netloc,
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: sign(secret, int(time.time()), body),
            EVENT_ID_HEADER: str(event["id"]),
            EVENT_TYPE_HEADER: str(event["type"]),
        }
        started = time.perf_counter()
        try:
            async with httpx.AsyncClient(
                timeout=self._settings.webhook_timeout_seconds, follow_redirects=False
            ) as client:
                response = await client.post(
                    target.pinned_url(),
                    content=body,
                    headers=headers,
                    extensions={"sni_hostname": target.host},
                )
        except httpx.HTTPError as exc:
            elapsed = int((time.perf_counter() - started) * 1000)
            return Outcome(None, elapsed, f"{type(exc).__name__}: {exc}"[:MAX_ERROR])
        elapsed = int((time.perf_counter() - started) * 1000)
        error = None if 200 <= response.status_code < 300 else response.text[:MAX_ERROR]
        return Outcome(response.status_code, elapsed, error)

    async def _record(
        self,
        db: AsyncSession,
        tenant_id: uuid.UUID,
        endpoint_id: uuid.UUID,
        event: Mapping[str, Any],
        attempt: int,
        outcome: Outcome,
        last_attempt: bool,
    ) -> bool:
        """Log the attempt and count failures; returns whether the endpoint is now paused."""
        endpoint = await db.scalar(
            select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id).with_for_update()
        )
        if endpoint is None:
            return True
        paused = False
        if outcome.ok:
            endpoint.consecutive_failures = 0
        else:
            endpoint.consecutive_failures += 1
            limit = self._settings.webhook_pause_after
            if endpoint.consecutive_failures >= limit and endpoint.paused_at is None:
                endpoint.paused_at = datetime.now(UTC)
                endpoint.pause_reason = f"{endpoint.consecutive_failures} failed attempts in a row"
                paused = True
                await events.emit(
                    db,
                    tenant_id,
                    PAUSED,
                    {
                        "endpoint_id": endpoint_id,
                        "url": endpoint.url,
                        "reason": endpoint.pause_reason,
                    },
                )
        status = "succeeded" if outcome.ok else ("gave_up" if last_attempt or paused else "failed")
        db.add(
            WebhookDelivery(
                tenant_id=tenant_id,
                endpoint_id=endpoint_id,
                event_id=uuid.UUID(str(event["id"])),
                event_type=str(event["type"]),
                attempt=attempt,
                status=status,
                response_code=outcome.code,
                latency_ms=outcome.latency_ms,
                error=outcome.error,
            )
        )
        return paused
