"""The platform's own handlers, jobs and schedules (plugins declare theirs through hooks)."""

from __future__ import annotations

from collections.abc import Sequence

from tessera.events.relay import Planner
from tessera.events.types import EventHandler
from tessera.jobs.actors import Actors
from tessera.jobs.types import BackgroundJob, Schedule
from tessera.settings import Settings


def core_planners(settings: Settings, actors: Actors) -> tuple[Planner, ...]:
    """What the relay sends besides handler messages (webhook deliveries)."""
    return ()


def core_declarations() -> Sequence[EventHandler | BackgroundJob | Schedule]:
    return []
