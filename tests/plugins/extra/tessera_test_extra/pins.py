"""Pins: a plugin that needs the notes plugin (enabling it needs notes enabled first)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import get

from tessera.plugin import Manifest, Member, hookimpl


@get("/")
async def pins_home(actor: Member) -> dict[str, str]:
    return {"pins": "ready", "tenant": str(actor.tenant_id)}


@hookimpl
def tessera_manifest() -> Manifest:
    return Manifest(name="pins", label="Pins", version="0.1", api=">=1.0", depends=("notes",))


@hookimpl
def tessera_routes() -> Sequence[Any]:
    return [pins_home]
