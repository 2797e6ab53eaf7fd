"""A plugin made by the real ``tessera plugin new``, built into a wheel and installed into a
directory of its own (this suite's environment stays as it is: processes that should see the
plugin get the directory on their PYTHONPATH)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESSERA = Path(sys.executable).parent / "tessera"


def uv() -> str:
    """uv as `make` finds it: on the PATH, else the repository's private copy."""
    found = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    assert Path(found).exists(), "uv is needed to build and install the wheel (make uv)"
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what pytest (and xdist) put there for itself."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    return {**env, **extra}


def run(
    *command: str | Path, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def tessera_plugin_new(
    name: str, *options: str, cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    return run(TESSERA, "plugin", "new", name, *options, cwd=cwd, **env)


@dataclass(frozen=True)
class Installed:
    """The generated project, its wheel, and the directory the wheel is installed into."""

    project: Path
    wheel: Path
    site: Path

    def pythonpath(self) -> str:
        return os.pathsep.join([str(self.site), os.environ.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        )


def generate_and_install(workdir: Path, name: str) -> Installed:
    """``tessera plugin new NAME``, a wheel of the result (offline: hatchling from this
    environment), and that wheel installed, without dependencies, into ``workdir/site``."""
    made = tessera_plugin_new(name, cwd=workdir)
    assert made.returncode == 0, made.stderr
    return build_and_install(workdir / f"tessera-{name.replace('_', '-')}", workdir / "site")


def build_and_install(project: Path, site: Path) -> Installed:
    """A wheel of the plugin project (offline: hatchling from this environment), installed
    without dependencies into ``site``."""
    built = run(
        uv(), "build", "--wheel", "--no-build-isolation", "--python", sys.executable,
        "--out-dir", project / "dist", project,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    [wheel] = (project / "dist").glob("*.whl")
    installed = run(
        uv(), "pip", "install", "--no-deps", "--target", site, "--python", sys.executable, wheel
    )
    assert installed.returncode == 0, installed.stderr
    return Installed(project, wheel, site)
