"""The public plugin API as data: every exported name and its signature, per released version.

Plugins are written against :mod:`tessera.plugin`, the hooks of :mod:`tessera.plugin.hookspecs`
and the fixtures of :mod:`tessera.plugin.testing`. Each released plugin API version has a
snapshot of that surface (``api/<version>.json`` next to this file). A test compares the code
with the snapshot of :data:`~tessera.plugin.manifest.API_VERSION`, so no change reaches plugin
authors unannounced, and checks the snapshots against semantic versioning:

- a minor version only adds (names, optional parameters stay as they were);
- a name may go, or change, only in a new major version — or, within a major, after it was
  deprecated in an earlier minor version: a deprecated name keeps working, with a
  :class:`DeprecationWarning`, for at least one minor version.

Announcing a change: bump ``API_VERSION``, write its snapshot with
``python -m tessera.plugin.surface --write`` and say what changed in
``docs/plugins/api-changelog.md``.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any, get_origin

from packaging.version import Version

#: The modules plugin authors import, and what of each is public.
PUBLIC_MODULES = (
    "tessera.plugin",
    "tessera.plugin.hookspecs",
    "tessera.plugin.testing",
    "tessera.plugin.testing.pytest_plugin",
)
SNAPSHOTS = Path(__file__).parent / "api"

Surface = dict[str, str]


def _signature(obj: Any) -> str:
    from tessera.plugin.manifest import API_VERSION

    try:
        text = str(inspect.signature(obj))
    except (TypeError, ValueError):
        return "(...)"
    # A default that is the running API version (Manifest.supports) would read as a change at
    # every release: it is recorded by name.
    return text.replace(repr(API_VERSION), "API_VERSION")


def _describe_class(qualified: str, cls: type) -> Surface:
    bases = ", ".join(b.__name__ for b in cls.__bases__ if b is not object)
    out: Surface = {qualified: f"class({bases})"}
    if dataclasses.is_dataclass(cls):
        for f in dataclasses.fields(cls):
            default = "" if f.default is dataclasses.MISSING else " = default"
            if f.default_factory is not dataclasses.MISSING:
                default = " = default"
            out[f"{qualified}.{f.name}"] = f"field: {f.type}{default}"
    fields = getattr(cls, "__struct_fields__", ())
    for name in fields:
        out[f"{qualified}.{name}"] = "field"
    for name, member in sorted(vars(cls).items()):
        if name.startswith("_") and name != "__init__":
            continue
        if name in fields or (dataclasses.is_dataclass(cls) and name == "__init__"):
            continue
        if dataclasses.is_dataclass(cls) and name in {f.name for f in dataclasses.fields(cls)}:
            continue
        if isinstance(member, property):
            out[f"{qualified}.{name}"] = "property"
        elif isinstance(member, staticmethod | classmethod):
            out[f"{qualified}.{name}"] = f"method{_signature(member.__func__)}"
        elif inspect.isfunction(member):
            out[f"{qualified}.{name}"] = f"method{_signature(member)}"
    return out


def describe_name(qualified: str, obj: Any) -> Surface:
    """What plugin code can rely on about one public name (and, for a class, its members)."""
    if type(obj).__name__ == "FixtureFunctionDefinition":
        # A pytest fixture: its name and scope are what tests use.
        scope = getattr(getattr(obj, "_fixture_function_marker", None), "scope", "function")
        return {qualified: f"fixture(scope={scope})"}
    if inspect.isclass(obj):
        return _describe_class(qualified, obj)
    if get_origin(obj) is Annotated:
        # Member, Uow, LimitQuery...: what a route parameter annotated with it receives.
        return {qualified: f"alias of {getattr(obj.__origin__, '__name__', obj.__origin__)}"}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        kind = "async function" if inspect.iscoroutinefunction(obj) else "function"
        return {qualified: f"{kind}{_signature(obj)}"}
    # Constants: their type is the promise, not their value (API_VERSION's value changes).
    return {qualified: f"constant: {type(obj).__name__}"}


def _hooks(module: ModuleType) -> Iterable[str]:
    return sorted(n for n, f in vars(module).items() if n.startswith("tessera_") and callable(f))


def public_names(module: ModuleType) -> list[str]:
    """The names a module offers plugins: its ``__all__``, or its hooks (the hookspecs)."""
    if module.__name__.endswith(".hookspecs"):
        return list(_hooks(module))
    return sorted(getattr(module, "__all__", ()))


def describe_module(module: ModuleType) -> Surface:
    surface: Surface = {}
    for name in public_names(module):
        surface.update(describe_name(f"{module.__name__}.{name}", getattr(module, name)))
    # Reached through the module's __getattr__ (which warns): described, not touched.
    for name, deprecation in getattr(module, "DEPRECATED", {}).items():
        surface[f"{module.__name__}.{name}"] = f"deprecated alias of {deprecation.replacement}"
    return surface


def current_surface(modules: Iterable[ModuleType] | None = None) -> Surface:
    """The surface of the code as it is now."""
    found = modules if modules is not None else map(importlib.import_module, PUBLIC_MODULES)
    surface: Surface = {}
    for module in found:
        surface.update(describe_module(module))
    return dict(sorted(surface.items()))


@dataclass(frozen=True)
class Snapshot:
    version: Version
    surface: Surface
    #: Deprecated name -> the version that deprecated it.
    deprecated: Mapping[str, str]

    @classmethod
    def read(cls, path: Path) -> Snapshot:
        data = json.loads(path.read_text())
        return cls(Version(data["version"]), data["surface"], data.get("deprecated", {}))

    def write(self, path: Path) -> None:
        data = {
            "version": str(self.version),
            "surface": dict(sorted(self.surface.items())),
            "deprecated": dict(sorted(self.deprecated.items())),
        }
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


@dataclass(frozen=True)
class Differences:
    removed: list[str]
    added: list[str]
    changed: list[str]

    def __bool__(self) -> bool:
        return bool(self.removed or self.added or self.changed)

    def report(self, before: Surface, after: Surface) -> str:
        lines = [f"removed: {n} ({before[n]})" for n in self.removed]
        lines += [f"added: {n} ({after[n]})" for n in self.added]
        lines += [f"changed: {n}: {before[n]} -> {after[n]}" for n in self.changed]
        return "\n".join(lines)


def compare(before: Surface, after: Surface) -> Differences:
    return Differences(
        removed=sorted(before.keys() - after.keys()),
        added=sorted(after.keys() - before.keys()),
        changed=sorted(n for n in before.keys() & after.keys() if before[n] != after[n]),
    )


def unannounced(snapshot: Snapshot, surface: Surface) -> str:
    """How ``surface`` differs from the snapshot of its version (empty: it does not)."""
    differences = compare(snapshot.surface, surface)
    if not differences:
        return ""
    return (
        f"the public plugin API differs from its {snapshot.version} snapshot:\n"
        f"{differences.report(snapshot.surface, surface)}\n"
        "Announce it: bump API_VERSION (a minor version adds; removing or changing needs a "
        "major version or an earlier deprecation), write the snapshot with "
        "`python -m tessera.plugin.surface --write` and add the version to "
        "docs/plugins/api-changelog.md."
    )


def _owner(name: str, deprecated: Mapping[str, str]) -> str | None:
    """The deprecated public name ``name`` belongs to (itself, or the class it is a member of)."""
    for candidate in deprecated:
        if name == candidate or name.startswith(candidate + "."):
            return candidate
    return None


def semver_problems(older: Snapshot, newer: Snapshot) -> list[str]:
    """Where going from ``older`` to ``newer`` breaks semantic versioning of the plugin API."""
    if newer.version.major > older.version.major:
        return []
    if newer.version <= older.version:
        return [f"{newer.version} does not come after {older.version}"]
    problems = []
    differences = compare(older.surface, newer.surface)
    for name in [*differences.removed, *differences.changed]:
        owner = _owner(name, older.deprecated)
        if owner is None:
            problems.append(
                f"{name} is removed or changed in {newer.version} without a major version "
                f"or an earlier deprecation"
            )
            continue
        since = Version(older.deprecated[owner])
        # Deprecated in 1.N, it still works (warning) all through 1.N+1; 1.N+2 may drop it.
        if newer.version.minor - since.minor < 2:
            problems.append(
                f"{name} was deprecated in {since}: it must keep working through "
                f"{since.major}.{since.minor + 1}, so {newer.version} cannot remove or change it"
            )
    return problems


def released_snapshots(directory: Path = SNAPSHOTS) -> list[Snapshot]:
    """Every released version's snapshot, oldest first."""
    snapshots = [Snapshot.read(p) for p in directory.glob("*.json")]
    return sorted(snapshots, key=lambda s: s.version)


def main(argv: list[str]) -> int:
    from tessera.plugin import DEPRECATED
    from tessera.plugin.manifest import API_VERSION

    path = SNAPSHOTS / f"{API_VERSION}.json"
    if argv != ["--write"]:
        print(__doc__)  # noqa: T201  (a command's output)
        return 2
    deprecated = {f"tessera.plugin.{name}": d.since for name, d in DEPRECATED.items()}
    Snapshot(API_VERSION, current_surface(), deprecated).write(path)
    print(f"wrote {path}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
