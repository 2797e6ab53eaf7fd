"""The Dockerfile: hadolint finds nothing, and the image agrees with the chart and the Makefile.

No Docker daemon is needed: the image is not built here (`make image` builds it).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.deploy.chart import REPOSITORY, chart_defaults

DOCKERFILE = REPOSITORY / "Dockerfile"
HADOLINT_CONFIG = REPOSITORY / ".hadolint.yaml"
HADOLINT = Path(sys.executable).parent / "hadolint"


@dataclass
class Stage:
    """One FROM … section of the Dockerfile, its instructions as (keyword, arguments)."""

    image: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def arguments(self, keyword: str) -> list[str]:
        return [arguments for word, arguments in self.instructions if word == keyword]


def logical_lines(text: str) -> list[str]:
    """Instructions with their continuation lines joined, comments left out."""
    lines: list[str] = []
    current = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not current):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    return lines


def parse(text: str) -> tuple[dict[str, str], list[Stage]]:
    """Global ARG defaults and the stages."""
    arguments: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical_lines(text):
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = rest.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else ""
            image = re.sub(r"\$\{(\w+)\}", lambda m: arguments.get(m[1], m[0]), words[0])
            stages.append(Stage(image, name))
        elif not stages and keyword == "ARG":
            name, _, default = rest.partition("=")
            arguments[name] = default.strip('"')
        elif stages:
            stages[-1].instructions.append((keyword, rest))
    return arguments, stages


def stage_named(stages: list[Stage], name: str) -> Stage:
    (stage,) = [s for s in stages if s.name == name]
    return stage


def run_hadolint(dockerfile: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HADOLINT), "--no-color", "--config", str(HADOLINT_CONFIG), "-"],
        input=dockerfile,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_hadolint_finds_nothing() -> None:
    result = run_hadolint(DOCKERFILE.read_text())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_hadolint_with_our_settings_still_fails_a_careless_dockerfile() -> None:
    careless = "FROM python\nRUN apt-get install curl\nUSER root\n"
    result = run_hadolint(careless)
    assert result.returncode != 0
    assert {"DL3006", "DL3015", "DL3002"} <= set(re.findall(r"DL\d{4}", result.stdout))


def test_each_ignored_hadolint_rule_says_why() -> None:
    lines = HADOLINT_CONFIG.read_text().splitlines()
    ignored = yaml.safe_load(HADOLINT_CONFIG.read_text()).get("ignored", [])
    for rule in ignored:
        (at,) = [i for i, line in enumerate(lines) if line.strip() == f"- {rule}"]
        comment: list[str] = []
        while at > 0 and lines[at - 1].strip().startswith("#"):
            at -= 1
            comment.insert(0, lines[at].strip())
        assert comment, f"{rule} is ignored without a reason"
        assert comment[0].startswith(f"# {rule}"), f"the reason above {rule} must name it first"


def test_the_runtime_runs_as_the_chart_user_without_build_tools() -> None:
    _, stages = parse(DOCKERFILE.read_text())
    runtime = stages[-1]
    assert runtime.arguments("USER")[-1] == "{runAsUser}:{runAsGroup}".format_map(
        chart_defaults()["securityContext"]
    )
    installs = " ".join(runtime.arguments("RUN"))
    for tool in ("gcc", "build-essential", "nodejs", "npm", "uv ", "pip install"):
        assert tool not in installs, f"the runtime stage installs {tool.strip()}"
    assert "fonts-wqy-microhei" in installs, "the PDF font (decision 46)"


def test_the_venv_runs_on_the_python_it_was_built_with() -> None:
    _, stages = parse(DOCKERFILE.read_text())
    builder = stage_named(stages, "python-builder")
    assert stages[-1].image == builder.image
    assert stages[-1].image.startswith("python:3.11-")


def test_the_runtime_settings_point_at_what_it_copies() -> None:
    _, stages = parse(DOCKERFILE.read_text())
    runtime = stages[-1]
    environment = dict(re.findall(r"(\w+)=(\S+)", " ".join(runtime.arguments("ENV"))))
    copied = {shlex.split(arguments)[-1].rstrip("/") for arguments in runtime.arguments("COPY")}
    assert environment["TESSERA_ENV"] == "production"
    assert environment["TESSERA_MIGRATIONS_DIR"] in copied
    assert environment["TESSERA_FRONTEND_DIR"] in copied
    assert environment["PATH"].startswith("/opt/venv/bin:")
    assert "/opt/venv" in copied
    assert runtime.arguments("ENTRYPOINT") == ['["tessera"]']
    assert runtime.arguments("EXPOSE") == [environment["TESSERA_PORT"]]


def test_the_browser_client_describes_the_makefiles_plugins() -> None:
    _, stages = parse(DOCKERFILE.read_text())
    (declared,) = [
        arguments
        for arguments in stage_named(stages, "python-builder").arguments("ARG")
        if arguments.startswith("OPENAPI_PLUGINS=")
    ]
    makefile = (REPOSITORY / "Makefile").read_text()
    (first_party,) = re.findall(r"^FIRST_PARTY_PLUGINS := (.+)$", makefile, re.MULTILINE)
    assert declared.partition("=")[2].strip('"').split() == first_party.split()


def test_the_build_context_leaves_local_state_out() -> None:
    ignored = set((REPOSITORY / ".dockerignore").read_text().split())
    assert {".git", "**/.venv", ".tools", "**/.tessera", "**/node_modules"} <= ignored
