"""Plugin objects for registry tests, loaded through hand-made entry points."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tessera.plugin import UI, Field, Manifest, Permission, Resource, hookimpl


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


class _WithResource(_Plugin):
    def __init__(self, name: str, resource: Resource) -> None:
        super().__init__(name)
        self.resource = resource

    @hookimpl
    def tessera_permissions(self) -> Sequence[Permission]:
        return [Permission(f"{self.name}.thing.read", "read things")]

    @hookimpl
    def tessera_ui(self) -> UI:
        return UI(resources=(self.resource,))


def _resource(module: str, **changes: Any) -> Resource:
    fields = (Field("title", "Title"), Field("due", "Due", type="date"))
    base: dict[str, Any] = {
        "name": f"{module}.thing",
        "label": "Thing",
        "endpoint": f"/api/v1/{module}/things",
        "fields": fields,
        "list_columns": ("title",),
        "title_field": "title",
        "read_permission": f"{module}.thing.read",
    }
    return Resource(**(base | changes))


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
good_ui = _WithResource("good_ui", _resource("good_ui", calendar_by="due"))
unknown_column = _WithResource(
    "unknown_column", _resource("unknown_column", list_columns=("nope",))
)
kanban_on_text = _WithResource("kanban_on_text", _resource("kanban_on_text", kanban_by="title"))
undeclared_permission = _WithResource(
    "undeclared_permission",
    _resource("undeclared_permission", write_permission="undeclared_permission.thing.write"),
)
