"""A resource's actions (buttons of a record's page posting to the plugin's routes) are checked
when the plugin starts: a bad one is a named failure, and the other plugins still load."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from tessera.modules.registry import ENTRY_POINT_GROUP, PluginRegistry
from tessera.plugin import Action


def _load(*names: str) -> PluginRegistry:
    registry = PluginRegistry()
    registry.load(
        EntryPoint(
            name=name,
            value=f"tests.platform.fake_action_plugins:{name}",
            group=ENTRY_POINT_GROUP,
        )
        for name in names
    )
    return registry


def test_good_actions_are_kept_with_their_form_and_texts() -> None:
    registry = _load("good_actions")
    assert registry.failures == []
    [(_, thing)] = registry.resources(["good_actions"])
    [close] = thing.actions
    assert isinstance(close, Action)
    assert (close.path, close.when, close.danger) == ("{id}/close", (("status", ("open",)),), True)
    assert [f.name for f in close.body_fields] == ["reason"]
    assert {"Close", "Close it?", "Why"} <= close.texts()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("action_bad_name", "action 'Close!': name must be lowercase letters"),
        ("action_no_label", "action 'close': label must not be empty"),
        ("action_absolute_path", "path '/api/v1/x/close' must name the record first"),
        ("action_without_id", "path 'close' must name the record first"),
        ("action_when_unknown", "when names unknown field 'colour'"),
        ("action_when_no_values", "when gives 'status' no values"),
        ("action_when_not_option", "when names ['gone'], not options of 'status'"),
        ("action_body_twice", "body_fields names a field twice"),
        ("action_body_bad_type", "body field 'a' has unknown type 'colour'"),
        ("action_body_read_only", "body field 'a' must be one a person fills in"),
        ("action_twice", "names an action twice"),
        ("action_undeclared", "'action_undeclared.thing.close', which the plugin does not"),
        ("action_no_route", "posts to /action_no_route/things/{id}/open, which is no POST route"),
        ("action_without_routes", "which is no POST route of the plugin"),
        (
            "action_other_permission",
            "names 'action_other_permission.thing.read', but its route requires "
            "'action_other_permission.thing.write'",
        ),
    ],
)
def test_bad_actions_are_named_with_the_reason(name: str, reason: str) -> None:
    registry = _load(name, "good_actions")
    failure = next(f for f in registry.failures if f.name == name)
    assert failure.stage == "start"
    assert reason in failure.reason, failure.reason
    assert list(registry.plugins) == ["good_actions"], "the other plugins still load"
