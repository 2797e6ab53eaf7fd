"""``tessera plugin new NAME``: a ready plugin package, rendered from the template shipped in
this package (tessera/plugin/template, a copier template).

The result installs as a wheel and passes its own tests untouched: a model with its own
alembic branch, service and routes, permissions, screens, an event and its handlers, an
approvable record type, English and Chinese strings, tests, a README and a pyproject.toml
with the entry point (decision 62).
"""

from __future__ import annotations

import importlib.metadata
import keyword
import os
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path

import tessera
from tessera import __version__

TEMPLATE = Path(__file__).parent / "plugin" / "template"
ENTRY_POINT_GROUP = "tessera.plugins"
#: Manifest names: what tessera.plugin.Manifest accepts.
NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
#: A label goes into Python and TOML strings as it is: printable, no quotes, no backslashes.
LABEL = re.compile(r"^[^\"'\\\x00-\x1f\x7f]{1,60}$")


class ScaffoldError(ValueError):
    """A plugin cannot be generated as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class NewPlugin:
    """What ``tessera plugin new`` was asked for, checked."""

    name: str
    label: str
    dest: Path

    @property
    def distribution(self) -> str:
        return f"tessera-{self.name.replace('_', '-')}"

    @property
    def module(self) -> str:
        return f"tessera_{self.name}"


def core_domains() -> frozenset[str]:
    """The core's own domains: a plugin named like one would share its API path and tables."""
    return frozenset(m.name for m in pkgutil.iter_modules(tessera.__path__))


def installed_names() -> frozenset[str]:
    """Plugins this environment already has (by entry point, none of them imported)."""
    return frozenset(ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise ScaffoldError(
            f"{name!r} is not a plugin name: 2-40 lowercase letters, digits or underscores, "
            "starting with a letter (e.g. 'contracts')"
        )
    if keyword.iskeyword(name):
        raise ScaffoldError(f"{name!r} is a Python keyword; choose another name")
    if name in core_domains():
        raise ScaffoldError(f"{name!r} is a part of Tessera's core; choose another name")
    if name in installed_names():
        raise ScaffoldError(f"a plugin named {name!r} is already installed; choose another name")
    return name


def check_label(label: str) -> str:
    if not LABEL.fullmatch(label) or label != label.strip():
        raise ScaffoldError(
            f"{label!r} is not a label: 1-60 printable characters, without quotes, "
            "backslashes or surrounding spaces"
        )
    return label


def check_dest(dest: Path) -> Path:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ScaffoldError(f"{dest} already exists and is not an empty directory")
    return dest


def plan(name: str, dest: Path | None = None, label: str | None = None) -> NewPlugin:
    """The checked request: ``dest`` defaults to ``./tessera-<name>``."""
    name = check_name(name)
    label = check_label(label if label is not None else name.replace("_", " ").title())
    target = dest if dest is not None else Path.cwd() / f"tessera-{name.replace('_', '-')}"
    return NewPlugin(name, label, check_dest(target))


def core_revision() -> str:
    """The core migration head: the plugin's first revision builds on the core it was made for."""
    from tessera.db.migrations import script_heads
    from tessera.settings import Settings

    # As `tessera migrate` finds them: TESSERA_MIGRATIONS_DIR, else the repository's.
    configured = os.environ.get("TESSERA_MIGRATIONS_DIR", "").strip()
    migrations = Path(configured) if configured else Settings().migrations_dir
    if not (migrations / "versions" / "core").is_dir():
        raise ScaffoldError(
            f"no core migrations at {migrations}; set TESSERA_MIGRATIONS_DIR to Tessera's "
            "migrations directory"
        )
    heads = script_heads(migrations)
    if len(heads) != 1:
        raise ScaffoldError(f"the core migrations have {len(heads)} heads; expected one")
    return next(iter(heads))


def render(new: NewPlugin, core_revision: str) -> Path:
    """Render the template into ``new.dest``, its first migration on ``core_revision``."""
    from copier import run_copy

    run_copy(
        str(TEMPLATE),
        new.dest,
        data={
            "name": new.name,
            "label": new.label,
            "core_revision": core_revision,
            "tessera_version": __version__,
        },
        defaults=True,
        quiet=True,
        # Rendered from this package's files, never a remote or a VCS checkout.
        vcs_ref=None,
    )
    return new.dest
