"""Everything background work can run, core and plugins alike, by the name messages carry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from tessera.events.types import CORE, EventHandler
from tessera.jobs.types import BackgroundJob, Schedule
from tessera.modules.registry import PluginRegistry

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Owned(Generic[T]):
    """A declaration and the module that declared it (``tessera`` for the platform's own)."""

    owner: str
    item: T

    @property
    def always_on(self) -> bool:
        return self.owner == CORE


@dataclass(slots=True)
class Catalog:
    handlers: dict[str, Owned[EventHandler]] = field(default_factory=dict)
    by_event: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    jobs: dict[str, Owned[BackgroundJob]] = field(default_factory=dict)
    schedules: dict[str, Owned[Schedule]] = field(default_factory=dict)

    def add(
        self, owner: str, declarations: Iterable[EventHandler | BackgroundJob | Schedule]
    ) -> None:
        for declared in declarations:
            if isinstance(declared, EventHandler):
                handler = declared.check(owner)
                key = handler.key(owner)
                if key in self.handlers:
                    raise ValueError(f"two event handlers are named {key!r}")
                self.handlers[key] = Owned(owner, handler)
                self.by_event[handler.event].append(key)
            elif isinstance(declared, Schedule):
                self.schedules[declared.name] = Owned(owner, declared.check(owner))
            else:
                self.jobs[declared.name] = Owned(owner, declared.check(owner))

    def handler_keys(self, event_type: str) -> list[str]:
        return self.by_event.get(event_type, [])


def build_catalog(
    registry: PluginRegistry, core: Iterable[EventHandler | BackgroundJob | Schedule] = ()
) -> Catalog:
    catalog = Catalog()
    catalog.add(CORE, core)
    for plugin in registry.plugins.values():
        catalog.add(plugin.name, [*plugin.handlers, *plugin.jobs, *plugin.schedules])
    return catalog
