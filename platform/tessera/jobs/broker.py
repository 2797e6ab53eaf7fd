"""The dramatiq broker of this deployment: PostgreSQL by default, RabbitMQ or Redis by URL."""

from __future__ import annotations

from typing import Any

import dramatiq
from dramatiq.middleware import AsyncIO, CurrentMessage

from tessera.runtime import broker_url
from tessera.settings import Settings


def broker_kind(url: str) -> str:
    if url.startswith(("amqp://", "amqps://")):
        return "rabbitmq"
    if url.startswith(("redis://", "rediss://")):
        return "redis"
    return "postgresql"


def make_broker(settings: Settings) -> dramatiq.Broker:
    """A broker with the middleware Tessera's actors rely on (async actors, the current message)."""
    url = broker_url(settings)
    kind = broker_kind(url)
    heartbeat = settings.worker_heartbeat_seconds
    broker: Any
    if kind == "rabbitmq":
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        # Publisher confirms: enqueue returns only once RabbitMQ has the message, so the relay
        # marks an event relayed only when it is safe in the broker.
        broker = RabbitmqBroker(url=url, confirm_delivery=True)
    elif kind == "redis":
        from dramatiq.brokers.redis import RedisBroker

        # Dead workers' messages are recovered by maintenance that runs on a random fraction
        # of commands; the shorter the heartbeat, the more often it must run to notice.
        chance = min(1_000_000, 1000 * max(1, 60 // heartbeat) ** 2)
        broker = RedisBroker(  # type: ignore[no-untyped-call]
            url=url,
            namespace=settings.queue_prefix,
            heartbeat_timeout=heartbeat * 1000,
            maintenance_chance=chance,
        )
    else:
        from dramatiq_postgres import PostgresBroker

        from tessera.db.engine import plain_url

        broker = PostgresBroker(
            url=plain_url(url),
            results=False,
            heartbeat_interval=max(1.0, heartbeat / 4),
            heartbeat_ttl=float(heartbeat),
            maintenance_interval=max(1.0, heartbeat / 2),
        )
    broker.add_middleware(AsyncIO())
    broker.add_middleware(CurrentMessage())
    return broker  # type: ignore[no-any-return]
