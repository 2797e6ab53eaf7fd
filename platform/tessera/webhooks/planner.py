"""The relay's part for webhooks: which endpoints each relayed event goes to."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import asyncpg
import dramatiq

from tessera.jobs.actors import Actors, event_as_message
from tessera.webhooks.service import matches

_ENDPOINTS = """
SELECT tenant_id, id, event_types FROM webhook_endpoint
WHERE tenant_id = ANY($1::uuid[]) AND active AND paused_at IS NULL
"""


class WebhookPlanner:
    def __init__(self, actors: Actors) -> None:
        self._actors = actors

    async def plan(
        self, conn: asyncpg.Connection, rows: Sequence[asyncpg.Record]
    ) -> list[dramatiq.Message[Any]]:
        # A retried dead letter goes to its handler only: its webhooks were sent the first time.
        fresh = [row for row in rows if row["retry_handler"] is None]
        if not fresh:
            return []
        endpoints: dict[uuid.UUID, list[asyncpg.Record]] = defaultdict(list)
        for endpoint in await conn.fetch(_ENDPOINTS, list({row["tenant_id"] for row in fresh})):
            endpoints[endpoint["tenant_id"]].append(endpoint)
        messages: list[dramatiq.Message[Any]] = []
        for row in fresh:
            for endpoint in endpoints.get(row["tenant_id"], ()):
                if matches(endpoint["event_types"], row["type"]):
                    messages.append(
                        self._actors.webhook_message(
                            row["tenant_id"], endpoint["id"], event_as_message(dict(row))
                        )
                    )
        return messages
