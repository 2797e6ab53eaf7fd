"""A plugin that loads fine but fails when a tenant switches it on."""

from __future__ import annotations

from tessera.plugin import Manifest, ModuleContext, hookimpl


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(name="sulky", label="Sulky", version="1.0", api=">=1.0")


@hookimpl
async def tessera_on_enable(module: ModuleContext) -> None:
    raise RuntimeError("not today")
