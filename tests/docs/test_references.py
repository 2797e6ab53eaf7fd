"""The documentation site builds strictly, and its generated references match the code.

Each reference page is read back from the built HTML and compared with what the code
declares, found here another way (pluggy's own view of the hookspecs, the loaded plugins'
declarations), so a page that leaves something out or lists something gone fails.
"""

from __future__ import annotations

import dataclasses
import html
import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pluggy
import pytest

from tessera.access.catalog import CORE_PERMISSIONS
from tessera.modules.registry import installed_plugins
from tessera.plugin import hookspecs
from tessera.plugin.manifest import FIELD_TYPES, PERIODS
from tessera.reference import UI_CLASSES

# One worker builds the site once for the whole module (make test runs --dist loadgroup).
pytestmark = pytest.mark.xdist_group("docs")

MKDOCS = (sys.executable, "-m", "mkdocs", "build", "--strict")
ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = ("crm", "oa", "accounting", "inventory", "sales_purchase")


def build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MKDOCS, "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = build(ROOT, site)
    assert result.returncode == 0, result.stderr[-4000:]
    return site


def page(site: Path, name: str) -> str:
    return (site / "reference" / f"{name}.html").read_text()


def first_column_codes(text: str) -> list[str]:
    """The ``code`` opening each table row's first cell."""
    return [html.unescape(m) for m in re.findall(r"<tr>\s*<td><code>([^<]+)</code>", text)]


def test_the_hook_page_documents_every_hookspec_and_nothing_else(site: Path) -> None:
    manager = pluggy.PluginManager("tessera")
    manager.add_hookspecs(hookspecs)
    specs = {name for name in vars(manager.hook) if name.startswith("tessera_")}
    text = page(site, "hooks")
    documented = set(re.findall(r'id="tessera\.plugin\.hookspecs\.(tessera_[a-z_]+)"', text))
    listed = set(re.findall(r'href="#tessera\.plugin\.hookspecs\.(tessera_[a-z_]+)"', text))
    assert specs, "pluggy found no hookspecs"
    assert documented == specs
    assert listed == specs


def test_the_permission_page_lists_every_permission_of_core_and_first_party_plugins(
    site: Path,
) -> None:
    registry = installed_plugins()
    expected = {p.name for p in CORE_PERMISSIONS}
    for name in FIRST_PARTY:
        plugin = registry.get(name)
        assert plugin is not None, f"first-party plugin {name} did not load"
        expected |= {p.name for p in plugin.permissions}
    listed = first_column_codes(page(site, "permissions"))
    assert len(listed) == len(set(listed)), "a permission is listed twice"
    assert set(listed) == expected


def test_the_permission_page_says_who_holds_what(site: Path) -> None:
    rows = re.findall(
        r"<tr>\s*<td><code>([^<]+)</code></td>\s*<td>.*?</td>\s*<td>(.*?)</td>",
        page(site, "permissions"),
        re.S,
    )
    holders = dict(rows)
    assert holders["modules.module.purge"] == "owner"
    assert holders["identity.member.read"] == "owner, admin, member"
    first_party_scoped = [
        p
        for module, p in installed_plugins().permissions()
        if module in FIRST_PARTY and p.scoped and "member" in p.default_roles
    ]
    assert first_party_scoped, "no first-party scoped permission to check"
    for permission in first_party_scoped:
        assert holders[permission.name] == "owner, admin, member (own)"


def test_the_ui_page_lists_every_attribute_and_allowed_value(site: Path) -> None:
    text = page(site, "ui")
    for cls in UI_CLASSES:
        section = text.split(f'id="{cls.__name__.lower()}"', 1)[1].split("<h2", 1)[0]
        listed = set(first_column_codes(section))
        assert listed == {f.name for f in dataclasses.fields(cls)}, cls.__name__
    for value in (*FIELD_TYPES, *PERIODS):
        assert f"<code>{value}</code>" in text


def test_the_testing_kit_and_public_api_pages_document_their_names(site: Path) -> None:
    import tessera.plugin
    import tessera.plugin.testing

    api = page(site, "plugin-api")
    missing = [n for n in tessera.plugin.__all__ if f'id="tessera.plugin.{n}"' not in api]
    assert not missing
    kit = page(site, "testing")
    missing = [
        n for n in tessera.plugin.testing.__all__ if f'id="tessera.plugin.testing.{n}"' not in kit
    ]
    assert not missing


def test_a_broken_link_fails_the_strict_build(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "docs", copy / "docs")
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    for shared in ("platform", "plugins"):
        (copy / shared).symlink_to(ROOT / shared)
    concepts = copy / "docs" / "concepts.md"
    concepts.write_text(concepts.read_text() + "\nSee [the missing page](nowhere.md).\n")
    result = build(copy, tmp_path / "site")
    assert result.returncode != 0
    assert "nowhere.md" in result.stderr


def test_the_tutorials_python_blocks_compile_and_pass_ruff(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "plugins" / "tutorial.md").read_text()
    blocks = re.findall(r"```python[^\n]*\n(.*?)```", text, re.S)
    assert blocks, "the tutorial has no Python"
    for number, block in enumerate(blocks):
        source = tmp_path / f"block_{number}.py"
        source.write_text(block)
        compile(block, str(source), "exec")
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    result = subprocess.run(
        [ruff, "check", "--no-cache", "--select", "E,F,W", "--ignore", "E501,F401", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_the_tutorial_imports_only_names_that_exist() -> None:
    """The tutorial invents no API: each name it imports from Tessera is exported."""
    text = (ROOT / "docs" / "plugins" / "tutorial.md").read_text()
    imports = re.findall(r"^from (tessera[\w.]*) import ([^\n(]+|\([^)]*\))", text, re.M)
    assert imports, "the tutorial imports nothing from Tessera"
    missing = []
    for module_name, names in imports:
        if not module_name.startswith("tessera.plugin"):
            continue
        module = importlib.import_module(module_name)
        for name in re.findall(r"\w+", names):
            if not hasattr(module, name):
                missing.append(f"{module_name}.{name}")
    assert missing == []


def test_the_event_page_lists_every_declared_event_with_its_payload(site: Path) -> None:
    from tessera.events.catalogue import CORE_EVENT_TYPES

    registry = installed_plugins()
    declared = {e.name: e for e in CORE_EVENT_TYPES}
    declared |= {e.name: e for module, e in registry.event_types() if module in FIRST_PARTY}
    text = page(site, "events")
    sections = re.split(r"<h3 ", text)[1:]
    listed = {}
    for section in sections:
        heading = re.search(r"<code>([^<]+)</code>", section)
        assert heading is not None
        keys = first_column_codes(section)
        listed[html.unescape(heading.group(1))] = {k for k in keys if not re.search(r"[.\[]", k)}
    assert set(listed) == set(declared)
    for name, event in declared.items():
        assert listed[name] == set(event.payload.__annotations__), name
