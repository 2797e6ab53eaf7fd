"""Services: what a plugin offers the plugins that depend on it, without being imported.

Plugins import only ``tessera.plugin``, so a module that builds on another (sales on
accounting and inventory) cannot call it by import. The provider declares a service instead::

    @hookimpl
    def tessera_services() -> Sequence[Service]:
        return [Service("accounting.ledger", LEDGER)]

and the consumer, which names the provider in ``Manifest.depends``, describes what it needs
as its own ``typing.Protocol`` (structural: nothing is shared but the method names and
shapes) and asks for it::

    @runtime_checkable
    class Ledger(Protocol):
        async def post_entry(self, db: AsyncSession, tenant_id: UUID, entry: Mapping[str, Any]) -> UUID: ...

    ledger = service("accounting.ledger", Ledger)

Data crosses as plain values (mappings, Decimals, UUIDs, dates), so either side can change
its classes freely. The dependency guarantees that wherever the consumer is enabled for a
tenant, so is the provider; the provider still checks its own permissions and rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from tessera.plugin.manifest import ManifestError

T = TypeVar("T")

#: ``<plugin>.<service>``: a service is named after the plugin that provides it.
SERVICE_NAME = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


class ServiceMissing(LookupError):
    """No loaded plugin provides the service, or it lacks what the caller's protocol needs."""


@dataclass(frozen=True, slots=True)
class Service:
    """``Service("accounting.ledger", LEDGER)``: ``provider`` is any object; its public
    methods are the service."""

    name: str
    provider: object

    def check(self, plugin: str) -> Service:
        if not SERVICE_NAME.fullmatch(self.name):
            raise ManifestError(f"service {self.name!r} must be named '<plugin>.<service>'")
        if self.name.split(".", 1)[0] != plugin:
            raise ManifestError(f"service {self.name!r} must start with the plugin's name")
        return self


# ``protocol`` is typed as a callable rather than ``type[T]``: mypy refuses a Protocol class where
# ``type[T]`` is expected (type-abstract), and every consumer would have to silence it.
def service(name: str, protocol: Callable[..., T]) -> T:
    """The provider of ``name``, checked against ``protocol`` (a runtime-checkable Protocol).

    Raises :class:`ServiceMissing` if no loaded plugin provides it or the provider lacks one of
    the protocol's members: a deployment error, not something a request can cause.
    """
    # Imported here: the registry imports this package's declarations while it loads.
    from tessera.modules.registry import installed_plugins

    return checked_service(installed_plugins().service(name), name, protocol)


def checked_service(provider: object | None, name: str, protocol: Callable[..., T]) -> T:
    if provider is None:
        raise ServiceMissing(f"no loaded plugin provides the service {name!r}")
    if not isinstance(protocol, type) or not isinstance(provider, protocol):
        raise ServiceMissing(
            f"the service {name!r} does not offer what {getattr(protocol, '__name__', protocol)} needs"
        )
    return cast(T, provider)
