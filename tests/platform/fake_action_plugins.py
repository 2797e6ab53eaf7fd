"""Plugins whose resources declare actions, for the registry's checks of them: each has a
``POST /things/{id}/close`` route requiring ``<name>.thing.write``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from litestar import Controller, post
from litestar.params import FromPath

from tessera.plugin import (
    UI,
    Action,
    Field,
    Manifest,
    Member,
    Permission,
    Resource,
    hookimpl,
    requires,
)


def _controller(module: str) -> type[Controller]:
    class Things(Controller):
        path = "/things"

        @post("/{thing_id:uuid}/close", opt=requires(f"{module}.thing.write"))
        async def close(self, thing_id: FromPath[uuid.UUID], actor: Member) -> None:
            return None

    return Things


def close(module: str, **changes: Any) -> Action:
    base: dict[str, Any] = {
        "name": "close",
        "label": "Close",
        "path": "{id}/close",
        "permission": f"{module}.thing.write",
        "when": (("status", ("open",)),),
        "confirm": "Close it?",
        "danger": True,
        "body_fields": (Field("reason", "Why", required=True),),
    }
    return Action(**(base | changes))


class _WithActions:
    def __init__(self, name: str, *actions: Action, routes: bool = True) -> None:
        self.name, self.actions, self.with_routes = name, actions, routes

    @hookimpl
    def tessera_manifest(self) -> Manifest:
        return Manifest(name=self.name, label=self.name.title(), version="1.0", api=">=1.0")

    @hookimpl
    def tessera_permissions(self) -> Sequence[Permission]:
        return [
            Permission(
                f"{self.name}.thing.read", "read things", default_roles=("owner", "admin", "member")
            ),
            Permission(f"{self.name}.thing.write", "write things"),
        ]

    @hookimpl
    def tessera_routes(self) -> Sequence[Any]:
        return [_controller(self.name)] if self.with_routes else []

    @hookimpl
    def tessera_ui(self) -> UI:
        fields = (
            Field("title", "Title"),
            Field("status", "Status", type="enum", options=("open", "closed")),
        )
        thing = Resource(
            name=f"{self.name}.thing",
            label="Thing",
            endpoint=f"/api/v1/{self.name}/things",
            fields=fields,
            list_columns=("title",),
            title_field="title",
            read_permission=f"{self.name}.thing.read",
            actions=self.actions,
        )
        return UI(
            resources=(thing,),
            translations={"zh": {"Close": "关闭", "Close it?": "要关闭吗？", "Why": "原因"}},
        )


good_actions = _WithActions("good_actions", close("good_actions"))
action_bad_name = _WithActions("action_bad_name", close("action_bad_name", name="Close!"))
action_no_label = _WithActions("action_no_label", close("action_no_label", label=" "))
action_absolute_path = _WithActions(
    "action_absolute_path", close("action_absolute_path", path="/api/v1/x/close")
)
action_without_id = _WithActions("action_without_id", close("action_without_id", path="close"))
action_when_unknown = _WithActions(
    "action_when_unknown", close("action_when_unknown", when=(("colour", ("red",)),))
)
action_when_no_values = _WithActions(
    "action_when_no_values", close("action_when_no_values", when=(("status", ()),))
)
action_when_not_option = _WithActions(
    "action_when_not_option", close("action_when_not_option", when=(("status", ("gone",)),))
)
action_body_twice = _WithActions(
    "action_body_twice",
    close("action_body_twice", body_fields=(Field("a", "A"), Field("a", "A again"))),
)
action_body_bad_type = _WithActions(
    "action_body_bad_type",
    close("action_body_bad_type", body_fields=(Field("a", "A", type="colour"),)),
)
action_body_read_only = _WithActions(
    "action_body_read_only",
    close("action_body_read_only", body_fields=(Field("a", "A", read_only=True),)),
)
action_twice = _WithActions(
    "action_twice", close("action_twice"), close("action_twice", label="Close again")
)
action_undeclared = _WithActions(
    "action_undeclared", close("action_undeclared", permission="action_undeclared.thing.close")
)
action_no_route = _WithActions("action_no_route", close("action_no_route", path="{id}/open"))
action_without_routes = _WithActions(
    "action_without_routes", close("action_without_routes"), routes=False
)
action_other_permission = _WithActions(
    "action_other_permission",
    close("action_other_permission", permission="action_other_permission.thing.read"),
)
