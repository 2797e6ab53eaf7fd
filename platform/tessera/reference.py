"""The reference pages of the documentation, made from the code so they cannot go stale.

The docs build (``docs/_hooks/reference.py``) writes these pages at build time: the hooks and
the public API through mkdocstrings, and from the declarations themselves the UI metadata's
fields and allowed values, every event type with its payload, and every permission with the
built-in roles that hold it. A test compares the pages with what the code declares.

Which plugins a page covers is the caller's choice: the docs name the first-party plugins of
this repository, so a test plugin or a third party's installed alongside stays out.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tessera.access.catalog import CORE_PERMISSIONS, builtin_grants
from tessera.events.types import CORE, EventType
from tessera.modules.registry import PluginRegistry
from tessera.plugin import hookspecs
from tessera.plugin.actions import Action
from tessera.plugin.documents import Document
from tessera.plugin.dynamic_fields import VALUE_TYPES
from tessera.plugin.line_fields import LINE_TYPES
from tessera.plugin.manifest import (
    BUILTIN_ROLES,
    CHARTS,
    FIELD_TYPES,
    FIGURES,
    PERIODS,
    UI,
    Dashboard,
    Field,
    MenuItem,
    Metric,
    Permission,
    Resource,
)

#: The module name the core's permissions and events would have if it were a plugin.
CORE_MODULE = CORE


class PluginMissing(RuntimeError):
    """A plugin the reference must cover did not load: the pages would leave it out."""


def checked_plugins(registry: PluginRegistry, names: Iterable[str]) -> list[str]:
    """``names`` in load order, each loaded; a plugin that failed is an error, not a gap."""
    wanted = set(names)
    for failure in registry.failures:
        if failure.name in wanted:
            raise PluginMissing(
                f"plugin {failure.name!r} failed at {failure.stage}: {failure.reason}"
            )
    if missing := sorted(wanted - set(registry.plugins)):
        raise PluginMissing(f"plugins {missing} are not installed")
    return [name for name in registry.plugins if name in wanted]


# --- Hooks ---------------------------------------------------------------------------------


def hook_names() -> list[str]:
    """Every hook of :mod:`tessera.plugin.hookspecs`, in the file's order."""
    marked = [
        (obj.__code__.co_firstlineno, name)
        for name, obj in vars(hookspecs).items()
        if inspect.isfunction(obj) and hasattr(obj, "tessera_spec")
    ]
    return [name for _, name in sorted(marked)]


def hooks_page() -> str:
    rows = []
    for name in hook_names():
        function = getattr(hookspecs, name)
        summary = _ROLE.sub(r"\1", (inspect.getdoc(function) or "").split("\n", 1)[0])
        rows.append(f"| [`{name}`](#tessera.plugin.hookspecs.{name}) | {_cell(summary)} |")
    return "\n".join(
        [
            "# Hooks",
            "",
            "Every hook a plugin can implement, generated from `tessera/plugin/hookspecs.py`.",
            "A plugin implements the ones it needs as functions marked `@hookimpl` in the module",
            "its entry point names; the [plugin guide](../plugins/guide.md#the-hooks) says when",
            "each is called and shows them in use.",
            "",
            "| Hook | What it returns |",
            "|---|---|",
            *rows,
            "",
            "::: tessera.plugin.hookspecs",
            "    options:",
            "      show_root_heading: false",
            "      members_order: source",
            "",
        ]
    )


# --- Permissions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PermissionRow:
    module: str
    permission: Permission
    #: Built-in role -> the scope it holds the permission in (``all`` or ``own``).
    holders: Mapping[str, str]


def permission_rows(registry: PluginRegistry, plugins: Iterable[str]) -> list[PermissionRow]:
    """The core's permissions, then each plugin's, with what each built-in role holds."""
    modules = checked_plugins(registry, plugins)
    enabled = frozenset(modules)
    grants = {role: builtin_grants(role, enabled) for role in BUILTIN_ROLES}
    declared: list[tuple[str, Permission]] = [(CORE_MODULE, p) for p in CORE_PERMISSIONS]
    for name in modules:
        loaded = registry.plugins[name]
        declared += [(name, p) for p in loaded.permissions]
    return [
        PermissionRow(
            module,
            p,
            {role: grants[role][p.name] for role in BUILTIN_ROLES if p.name in grants[role]},
        )
        for module, p in declared
    ]


def permissions_page(rows: Sequence[PermissionRow]) -> str:
    lines = [
        "# Permissions",
        "",
        "Every permission of the core and of the first-party plugins, generated from their",
        "`Permission` declarations. *Held by* lists the built-in roles that hold it in a tenant",
        "with the module on: the owner holds every permission, the admin every one that is not",
        "owner-only, the member those whose `default_roles` name it. A *scoped* permission is",
        "held for the member's own records (`own`), or for all. Custom roles grant any of them.",
        "",
    ]
    for module in dict.fromkeys(row.module for row in rows):
        title = "The core" if module == CORE_MODULE else f"Plugin `{module}`"
        lines += [f"## {title}", "", "| Permission | Allows | Held by | |", "|---|---|---|---|"]
        for row in (r for r in rows if r.module == module):
            held = ", ".join(
                role if scope == "all" else f"{role} ({scope})"
                for role, scope in row.holders.items()
            )
            flags = ", ".join(
                flag
                for flag, on in (
                    ("scoped", row.permission.scoped),
                    ("owner only", row.permission.owner_only),
                )
                if on
            )
            lines.append(
                f"| `{row.permission.name}` | {_cell(row.permission.description)} | {held} | {flags} |"
            )
        lines.append("")
    return "\n".join(lines)


# --- Events --------------------------------------------------------------------------------


def event_rows(
    declared: Mapping[str, EventType], plugins: Iterable[str]
) -> list[tuple[str, EventType]]:
    """The core's event types, then each plugin's in the order given, as (module, event type)."""
    order = {CORE_MODULE: 0} | {name: n for n, name in enumerate(plugins, start=1)}
    rows = [(name.split(".", 1)[0], event) for name, event in declared.items()]
    return sorted(
        (row for row in rows if row[0] in order), key=lambda row: (order[row[0]], row[1].name)
    )


def schema_rows(schema: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str, bool]]:
    """(key path, type, required) of a payload schema, the keys of nested rows after their
    field: ``lines[].product_id`` for each line of a list, ``total.amount`` for one object."""
    required = set(schema.get("required", ()))
    for key, value in schema.get("properties", {}).items():
        yield f"{prefix}{key}", value["type"], key in required
        if "properties" in value.get("items", {}):
            yield from schema_rows(value["items"], f"{prefix}{key}[].")
        elif "properties" in value:
            yield from schema_rows(value, f"{prefix}{key}.")


def events_page(rows: Sequence[tuple[str, EventType]]) -> str:
    lines = [
        "# Events",
        "",
        "Every event type the core and the first-party plugins emit, generated from their",
        "`EventType` declarations (hook `tessera_event_types`). `emit` refuses a type nobody",
        "declared and a payload whose keys differ from its declaration, so this list is what",
        "handlers and webhooks receive. A handler subscribes with",
        '`EventHandler("<event type>", handle)`; see the',
        "[plugin guide](../plugins/guide.md#events). Types are what the emitter passes;",
        "handlers and webhooks receive JSON, in which ids, dates and decimals are strings. The",
        "keys of a list's rows follow it (`lines[].quantity`).",
        "",
    ]
    if not rows:
        lines += ["No event types are declared.", ""]
    for module in dict.fromkeys(module for module, _ in rows):
        title = "The core" if module == CORE_MODULE else f"Plugin `{module}`"
        lines += [f"## {title}", ""]
        for _, event in (row for row in rows if row[0] == module):
            lines += [f"### `{event.name}`", "", _cell(event.description), ""]
            keys = list(schema_rows(event.schema()))
            if not keys:
                lines += ["Payload: `{}`.", ""]
                continue
            lines += ["| Payload key | Type | Required |", "|---|---|---|"]
            lines += [
                f"| `{path}` | `{kind}` | {'yes' if required else 'no'} |"
                for path, kind, required in keys
            ]
            lines.append("")
    return "\n".join(lines)


# --- UI metadata ---------------------------------------------------------------------------

#: The declarations of ``tessera_ui``, in the order a reader meets them.
UI_CLASSES: tuple[type, ...] = (UI, MenuItem, Resource, Field, Action, Document, Dashboard, Metric)

#: (class, attribute) -> the values the platform accepts there.
ALLOWED: Mapping[tuple[type, str], tuple[str, ...]] = {
    (Field, "type"): FIELD_TYPES,
    (Metric, "display"): (*FIGURES, *CHARTS),
    (Metric, "period"): PERIODS,
}

#: Allowed values that depend on another attribute: said in words, with the values.
CONDITIONAL: Mapping[tuple[type, str], tuple[str, tuple[str, ...]]] = {
    (Field, "options"): ("of a `field_list` field, the value types", VALUE_TYPES),
    (Field, "line_fields"): ("each line field's `type`", LINE_TYPES),
}


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    type: str
    default: str | None
    allowed: tuple[str, ...]


def ui_attributes(cls: type) -> list[Attribute]:
    """A UI declaration's attributes: type as written, default (None: required), values."""
    found = []
    for f in dataclasses.fields(cls):
        default: str | None = None
        if f.default is not dataclasses.MISSING:
            default = repr(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            default = repr(f.default_factory())
        allowed = ALLOWED.get((cls, f.name), ())
        found.append(Attribute(f.name, str(f.type), default, allowed))
    return found


def ui_page() -> str:
    lines = [
        "# UI metadata",
        "",
        "What `tessera_ui()` returns, generated from the declarations in `tessera.plugin`.",
        "The browser app draws menus, lists, forms, record pages, boards, calendars and",
        "dashboards from these alone; the platform checks them when the plugin starts, and a",
        "bad one fails the plugin at stage `start` with a message naming the field. All are",
        "frozen dataclasses: tuples, not lists.",
        "",
    ]
    for cls in UI_CLASSES:
        lines += [f"## `{cls.__name__}`", "", inspect.getdoc(cls) or "", ""]
        lines += ["| Attribute | Type | Default | Allowed values |", "|---|---|---|---|"]
        for a in ui_attributes(cls):
            allowed = ", ".join(f"`{value}`" for value in a.allowed)
            if (cls, a.name) in CONDITIONAL:
                words, values = CONDITIONAL[(cls, a.name)]
                allowed = f"{words}: " + ", ".join(f"`{value}`" for value in values)
            default = "required" if a.default is None else f"`{a.default}`"
            lines.append(f"| `{a.name}` | `{a.type}` | {default} | {allowed} |")
        lines.append("")
    return "\n".join(lines)


#: A Sphinx cross-reference role in a docstring (``:mod:`x```), shown as its target alone.
_ROLE = re.compile(r":[a-z]+:(`[^`]+`)")


def _cell(text: str) -> str:
    """Text that stays inside one cell of a Markdown table."""
    return " ".join(text.split()).replace("|", "\\|")
