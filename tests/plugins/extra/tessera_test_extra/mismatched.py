"""A plugin whose route forgets the actor: plugin routes must be tenant-scoped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import get

from tessera.plugin import Manifest, hookimpl


@get("/open")
async def open_to_all() -> dict[str, str]:
    return {"tenant": "any"}


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(name="mismatched", label="Mismatched", version="1.0", api=">=1.0")


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [open_to_all]
