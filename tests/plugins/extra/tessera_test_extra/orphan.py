"""A plugin that needs a plugin nobody installed."""

from __future__ import annotations

from tessera.plugin import Manifest, hookimpl


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(name="orphan", label="Orphan", version="1.0", api=">=1.0", depends=("ghost",))
