"""Plugin objects for registry tests, loaded through hand-made entry points."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tessera.plugin import Manifest, Permission, hookimpl


class _Plugin:
    def __init__(self, name: str, depends: tuple[str, ...] = (), api: str = ">=1.0") -> None:
        self.name, self.depends, self.api = name, depends, api

    @hookimpl
    def tessera_manifest(self) -> Manifest:
        return Manifest(
            name=self.name,
            label=self.name.title(),
            version="1.0",
            api=self.api,
            depends=self.depends,
        )


class _RaisesOnStart(_Plugin):
    @hookimpl
    def tessera_permissions(self) -> Sequence[Permission]:
        raise ValueError("cannot list permissions today")


class _BadPermission(_Plugin):
    @hookimpl
    def tessera_permissions(self) -> Sequence[Permission]:
        return [Permission("other.thing.read", "names another module")]


class _NoManifest:
    @hookimpl
    def tessera_permissions(self) -> Sequence[Any]:
        return []


base = _Plugin("base")
needs_base = _Plugin("needs_base", depends=("base",))
needs_needs_base = _Plugin("needs_needs_base", depends=("needs_base",))
cycle_a = _Plugin("cycle_a", depends=("cycle_b",))
cycle_b = _Plugin("cycle_b", depends=("cycle_a",))
needs_cycle = _Plugin("needs_cycle", depends=("cycle_a",))
raises_on_start = _RaisesOnStart("raises_on_start")
needs_raiser = _Plugin("needs_raiser", depends=("raises_on_start",))
bad_permission = _BadPermission("bad_permission")
no_manifest = _NoManifest()
wrong_name = _Plugin("not_what_the_entry_point_says")
bad_manifest = _Plugin("Bad Name")
