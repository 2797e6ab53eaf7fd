"""examples/contracts, the third-party plugin written from the guide, as its author ships it:
built into a wheel, installed from it, importing nothing from Tessera but ``tessera.plugin``,
and passing its own tests (tessera.plugin.testing: the real app, workflow engine, scheduler
and worker) with no test skipped."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "contracts"
PACKAGE = "tessera_contracts"


def plugin_api(module: str) -> bool:
    """What the plugin's own code may import from Tessera: the public package alone."""
    return module == "tessera.plugin"


def kit_or_plugin_api(module: str) -> bool:
    """What its tests may import besides: the testing kit."""
    return (
        plugin_api(module)
        or module == "tessera.plugin.testing"
        or module.startswith("tessera.plugin.testing.")
    )


def tessera_imports(source: str) -> Iterator[tuple[int, str]]:
    """(line, module) of every import of ``tessera`` or a module under it."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        for module in modules:
            if module == "tessera" or module.startswith("tessera."):
                yield node.lineno, module


def forbidden_imports(files: list[Path], allowed: Callable[[str], bool]) -> list[str]:
    """``file:line module`` for each Tessera import that ``allowed`` refuses."""
    return [
        f"{path.name}:{line} {module}"
        for path in files
        for line, module in tessera_imports(path.read_text())
        if not allowed(module)
    ]


def test_the_import_check_reports_an_import_of_the_core(tmp_path: Path) -> None:
    """The scan below can fail: a plugin module reaching into the core is named."""
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "import tessera\nfrom tessera.plugin import hookimpl\n"
        "from tessera.db.base import TenantModel\nfrom tessera.plugin.testing import Tenant\n"
    )
    assert forbidden_imports([sneaky], plugin_api) == [
        "sneaky.py:1 tessera",
        "sneaky.py:3 tessera.db.base",
        "sneaky.py:4 tessera.plugin.testing",
    ]
    assert forbidden_imports([sneaky], kit_or_plugin_api) == [
        "sneaky.py:1 tessera",
        "sneaky.py:3 tessera.db.base",
    ]


def uv() -> str:
    """uv as the Makefile finds it: on the PATH, else the repository's private copy."""
    found = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    assert Path(found).exists(), "uv is needed to install the wheel: run `make sync-test`"
    return found


def run(*command: str, cwd: Path, env: dict[str, str] | None = None, timeout: int = 120) -> str:
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built into a wheel and installed from it, without dependencies, into a
    directory of its own (its dependency, tessera, is this suite's)."""
    dist = tmp_path_factory.mktemp("contracts-dist")
    run(sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(dist), cwd=EXAMPLE)
    [wheel] = dist.glob("tessera_contracts-*.whl")
    target = tmp_path_factory.mktemp("contracts-site")
    run(
        uv(), "pip", "install", "--quiet", "--offline", "--no-deps",
        "--python", sys.executable, "--target", str(target), str(wheel),
        cwd=dist,
    )  # fmt: skip
    return target


def test_the_wheel_carries_the_plugin_its_migrations_and_entry_point(installed: Path) -> None:
    assert (installed / PACKAGE / "migrations" / "ct001_contracts.py").is_file()
    [info] = installed.glob("tessera_contracts-*.dist-info")
    entry_points = (info / "entry_points.txt").read_text()
    assert "[tessera.plugins]" in entry_points
    assert f"contracts = {PACKAGE}.plugin" in entry_points


def test_the_plugin_imports_nothing_from_tessera_but_the_plugin_api(installed: Path) -> None:
    code = sorted((installed / PACKAGE).rglob("*.py"))
    assert len(code) > 10, "the installed package's modules"
    assert forbidden_imports(code, plugin_api) == []
    tests = sorted((EXAMPLE / "tests").glob("*.py"))
    assert tests
    assert forbidden_imports(tests, kit_or_plugin_api) == []


@pytest.mark.timeout(900)
def test_the_installed_plugin_passes_its_own_tests(installed: Path, tmp_path: Path) -> None:
    # The tests run from a copy, away from the example's sources: what they import is the
    # installed wheel.
    shutil.copytree(EXAMPLE / "tests", tmp_path / "tests")
    shutil.copy(EXAMPLE / "pyproject.toml", tmp_path / "pyproject.toml")
    # A run of its own: nothing of this pytest's (its xdist worker, its current test) leaks in.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = str(installed)
    where = run(
        sys.executable, "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)", cwd=tmp_path, env=env
    )
    assert Path(where.strip()).is_relative_to(installed)
    report = tmp_path / "junit.xml"
    run(
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
        f"--junitxml={report}", "tests",
        cwd=tmp_path, env=env, timeout=840,
    )  # fmt: skip
    suite = ET.parse(report).getroot()  # noqa: S314  (the report our own pytest wrote)
    suite = suite if suite.tag == "testsuite" else suite[0]
    counts = {key: int(suite.get(key, "0")) for key in ("tests", "failures", "errors", "skipped")}
    assert counts["tests"] >= 20, counts
    assert (counts["failures"], counts["errors"], counts["skipped"]) == (0, 0, 0), counts
    names = {case.get("name", "") for case in suite.iter("testcase")}
    assert "test_the_worker_activates_an_approved_contract_and_the_scheduler_reminds" in names
    assert "test_above_the_threshold_the_engine_decides_and_the_handler_activates" in names
