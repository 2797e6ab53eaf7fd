"""The Helm chart as tests see it: its values files, and its manifests rendered offline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import helm_python as helm
import yaml

REPOSITORY = Path(__file__).resolve().parents[2]
CHART = REPOSITORY / "helm" / "tessera"
#: The example values files; "default" is the chart's own defaults.
EXAMPLES = ("default", "minimal", "production")
RELEASE = "demo"
NAMESPACE = "tessera"

Manifest = dict[str, Any]


def example_values(example: str) -> dict[str, Any]:
    """An example values file, read by Helm's own YAML reader."""
    return helm.values_from_yaml((CHART / "ci" / f"{example}-values.yaml").read_text())


def chart_defaults() -> dict[str, Any]:
    return helm.values_from_yaml((CHART / "values.yaml").read_text())


def render(values: dict[str, Any]) -> list[Manifest]:
    """Every object the chart makes with these values (hooks included), as an install would."""
    with helm.Chart.load(CHART) as chart:
        files = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    return [
        document
        for path, text in sorted(files.items())
        if path.endswith(".yaml")
        for document in yaml.safe_load_all(text)
        if document
    ]


def of_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind]


@dataclass(frozen=True)
class Container:
    """A container with the workload that runs it, for messages that say where."""

    workload: str
    pod_spec: dict[str, Any]
    spec: dict[str, Any]

    @property
    def where(self) -> str:
        return f"{self.workload} container {self.spec['name']}"


def pod_spec(manifest: Manifest) -> dict[str, Any] | None:
    """The pod template's spec of a workload (Deployment, Job …); None for anything else."""
    template = manifest.get("spec", {}).get("template")
    return None if template is None else dict(template["spec"])


def containers(manifests: list[Manifest]) -> Iterator[Container]:
    """Every container, init containers included, of every workload."""
    for manifest in manifests:
        spec = pod_spec(manifest)
        if spec is None:
            continue
        workload = f"{manifest['kind']} {manifest['metadata']['name']}"
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            yield Container(workload, spec, container)


def leaf_paths(values: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Dotted paths of values.yaml's leaves; an empty map or list is a leaf of its own."""
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from leaf_paths(value, f"{path}.")
        else:
            yield path
