"""MkDocs hook: the reference pages, generated from the code at build time (decision 61).

Nothing generated is written into docs/: the pages exist only in the build, so a stale copy
can never be committed. They cover the core and the first-party plugins of this repository
(the entry points of ``plugins/*/pyproject.toml``), which must be installed and load.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from tessera import reference
from tessera.events.catalogue import declared_event_types
from tessera.modules.registry import installed_plugins

ROOT = Path(__file__).resolve().parents[2]

#: Pages written by mkdocstrings from the code's docstrings.
_AUTODOC = {
    "reference/plugin-api.md": (
        "# The public API: `tessera.plugin`\n\n"
        "Everything a plugin may import from Tessera, with its documentation. The\n"
        "[plugin guide](../plugins/guide.md) shows the names in use.\n\n"
        "::: tessera.plugin\n"
        "    options:\n"
        "      show_if_no_docstring: true\n"
    ),
    "reference/testing.md": (
        "# The testing kit: `tessera.plugin.testing`\n\n"
        "The pytest plugin plugin authors test with (installed with `tessera[testing]`,\n"
        "registered through the `pytest11` entry point): fixtures and helpers. The\n"
        "[tutorial](../plugins/tutorial.md) uses it.\n\n"
        "::: tessera.plugin.testing\n"
        "    options:\n"
        "      show_if_no_docstring: true\n"
    ),
}


def first_party_plugins(root: Path = ROOT) -> list[str]:
    """The plugin names the distributions under ``plugins/`` register."""
    names: list[str] = []
    for pyproject in sorted(root.glob("plugins/*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text())["project"]
        names += project.get("entry-points", {}).get("tessera.plugins", {})
    return names


def reference_pages() -> dict[str, str]:
    """Page path (under docs/) -> its Markdown."""
    # The test plugins installed next to the first-party ones include some broken on purpose;
    # their load failures are not the docs' business (a first-party failure raises below).
    logging.getLogger("tessera.modules.registry").setLevel(logging.ERROR)
    registry = installed_plugins()
    plugins = first_party_plugins()
    declared = declared_event_types(registry)
    return {
        "reference/hooks.md": reference.hooks_page(),
        "reference/ui.md": reference.ui_page(),
        "reference/permissions.md": reference.permissions_page(
            reference.permission_rows(registry, plugins)
        ),
        "reference/events.md": reference.events_page(reference.event_rows(declared, plugins)),
        **_AUTODOC,
    }


def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    for path, markdown in reference_pages().items():
        files.append(File.generated(config, path, content=markdown))
    return files
