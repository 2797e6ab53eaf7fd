"""``tessera plugin new`` makes a package that installs and passes its own tests untouched.

The real command renders the template; the result is built into a wheel, installed, and its
generated tests run with this environment's Python (the plugin found through its entry point,
from the install directory), on this run's PostgreSQL server.
"""

from __future__ import annotations

import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from tests.devkit.generated import ROOT, generate_and_install, run, uv

NAME = "gadgets"

#: What the command generates (paths relative to the new project); the guide lists them too.
GENERATED = {
    ".copier-answers.yml",
    "README.md",
    "pyproject.toml",
    "tessera_gadgets/__init__.py",
    "tessera_gadgets/approval.py",
    "tessera_gadgets/event_types.py",
    "tessera_gadgets/events.py",
    "tessera_gadgets/migrations/gadgets_0001_items.py",
    "tessera_gadgets/models.py",
    "tessera_gadgets/permissions.py",
    "tessera_gadgets/plugin.py",
    "tessera_gadgets/py.typed",
    "tessera_gadgets/routes.py",
    "tessera_gadgets/schemas.py",
    "tessera_gadgets/service.py",
    "tessera_gadgets/translations.py",
    "tessera_gadgets/ui.py",
    "tests/test_items.py",
}


def files_of(project: Path) -> set[str]:
    return {
        str(p.relative_to(project))
        for p in project.rglob("*")
        if p.is_file() and "dist" not in p.relative_to(project).parts
    }


@pytest.mark.timeout(300)
def test_a_new_plugin_builds_installs_and_passes_its_own_tests(
    tmp_path: Path, admin_url: str
) -> None:
    plugin = generate_and_install(tmp_path, NAME)
    assert files_of(plugin.project) == GENERATED

    project = tomllib.loads((plugin.project / "pyproject.toml").read_text())
    assert project["project"]["name"] == "tessera-gadgets"
    assert project["project"]["entry-points"]["tessera.plugins"] == {
        "gadgets": "tessera_gadgets.plugin"
    }
    with zipfile.ZipFile(plugin.wheel) as wheel:
        names = set(wheel.namelist())
    assert "tessera_gadgets/migrations/gadgets_0001_items.py" in names
    assert (plugin.site / "tessera_gadgets" / "plugin.py").exists()

    report = tmp_path / "junit.xml"
    tested = run(
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}",
        cwd=plugin.project,
        PYTHONPATH=plugin.pythonpath(),
        TESSERA_TEST_DATABASE_URL=admin_url,
    )  # fmt: skip
    assert tested.returncode == 0, tested.stdout[-4000:] + tested.stderr[-2000:]
    # Our own pytest wrote it, just now.
    [suite] = ET.parse(report).getroot().iter("testsuite")  # noqa: S314
    counts = {key: int(suite.get(key, "0")) for key in ("tests", "failures", "errors", "skipped")}
    assert counts["tests"] >= 7, counts
    assert counts["failures"] == counts["errors"] == counts["skipped"] == 0, counts


def test_the_generated_code_passes_ruff_and_mypy_and_imports_only_the_public_api(
    tmp_path: Path,
) -> None:
    plugin = generate_and_install(tmp_path, NAME)
    venv = Path(sys.executable).parent
    checks = (
        (venv / "ruff", "check", "."),
        (venv / "ruff", "format", "--check", "."),
        (venv / "mypy",),
    )
    for command in checks:
        checked = run(*command, cwd=plugin.project, PYTHONPATH=plugin.pythonpath())
        assert checked.returncode == 0, f"{command}: {checked.stdout}{checked.stderr}"

    imported = {
        line.split()[1]
        for source in plugin.project.glob("tessera_gadgets/**/*.py")
        for line in source.read_text().splitlines()
        if line.startswith(("from tessera", "import tessera"))
    }
    assert "tessera.plugin" in imported
    assert {m for m in imported if not m.startswith("tessera_gadgets")} == {"tessera.plugin"}
    tests = (plugin.project / "tests" / "test_items.py").read_text()
    assert "from tessera.plugin.testing import" in tests


def test_the_template_ships_inside_the_tessera_wheel(tmp_path: Path) -> None:
    built = run(
        uv(), "build", "--wheel", "--no-build-isolation", "--python", sys.executable,
        "--out-dir", tmp_path, ROOT / "platform",
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("tessera-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n for n in archive.namelist() if n.startswith("tessera/plugin/template/")}
    template = ROOT / "platform" / "tessera" / "plugin" / "template"
    expected = {
        f"tessera/plugin/template/{p.relative_to(template)}"
        for p in template.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert "tessera/plugin/template/copier.yml" in shipped
    assert shipped == expected
