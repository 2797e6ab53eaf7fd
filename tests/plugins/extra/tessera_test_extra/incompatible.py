"""A plugin written for a plugin API this Tessera does not provide."""

from __future__ import annotations

from tessera.plugin import Manifest, hookimpl


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(name="incompatible", label="From the future", version="9.0", api=">=99")
