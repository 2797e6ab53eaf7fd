"""The chart's values: a wrong one fails at install naming the field; each one is documented."""

from __future__ import annotations

import json
from typing import Any

import helm_python as helm
import pytest

from tests.deploy.chart import CHART, chart_defaults, leaf_paths, render

SCHEMA: dict[str, Any] = json.loads((CHART / "values.schema.json").read_text())
#: Maps whose keys are the user's (labels, annotations, extra variables, Kubernetes objects).
FREE_MAPS = {
    "global",
    "serviceAccount.annotations",
    "podAnnotations",
    "podLabels",
    "nodeSelector",
    "affinity",
    "settings.extraEnv",
    "metrics.serviceMonitor.labels",
    "service.annotations",
    "ingress.annotations",
}

WRONG_VALUES: list[tuple[str, dict[str, Any], str]] = [
    ("a word for a number", {"web": {"replicas": "two"}}, "/web/replicas"),
    ("no replicas", {"worker": {"replicas": 0}}, "/worker/replicas"),
    ("a misspelt key", {"web": {"replica": 3}}, "'replica' not allowed"),
    ("an unknown log level", {"settings": {"logLevel": "VERBOSE"}}, "/settings/logLevel"),
    ("root", {"securityContext": {"runAsUser": 0}}, "/securityContext/runAsUser"),
    ("s3 without a bucket", {"storage": {"type": "s3"}}, "/storage/s3/bucket"),
    (
        "files in /tmp",
        {"storage": {"volume": {"mountPath": "/tmp/files"}}},
        "/storage/volume/mountPath",
    ),
    (
        "tls without a certificate",
        {"ingress": {"tls": {"enabled": True}}},
        "/ingress/tls/secretName",
    ),
    (
        "a credential as a plain value",
        {"settings": {"extraEnv": {"TESSERA_DATABASE_URL": "postgresql://u:p@db/tessera"}}},
        "TESSERA_DATABASE_URL",
    ),
    (
        "no database secret",
        {"secrets": {"databaseUrl": {"name": "", "key": ""}}},
        "/secrets/databaseUrl/key",
    ),
    ("a privileged port", {"web": {"port": 80}}, "/web/port"),
    (
        "a wrong budget",
        {"web": {"podDisruptionBudget": {"maxUnavailable": "half"}}},
        "/web/podDisruptionBudget/maxUnavailable",
    ),
]


@pytest.mark.parametrize(
    ("values", "field"), [case[1:] for case in WRONG_VALUES], ids=[c[0] for c in WRONG_VALUES]
)
def test_a_wrong_value_fails_to_render_naming_the_field(values: dict[str, Any], field: str) -> None:
    with pytest.raises(helm.HelmValuesError) as raised:
        render(values)
    assert field in str(raised.value)


def test_lint_reports_a_wrong_type_naming_the_field() -> None:
    report = helm.lint(CHART, {"web": {"replicas": "two"}}, strict=True)
    errors = [m["error"] for m in report["messages"] if m["severity"] == 3]
    assert any("/web/replicas" in e and "want integer" in e for e in errors), errors


def test_s3_keys_go_in_pairs() -> None:
    with pytest.raises(helm.HelmRenderError) as raised:
        render({"secrets": {"s3AccessKey": {"name": "", "key": "access-key"}}})
    assert "secrets.s3AccessKey and secrets.s3SecretKey go together" in str(raised.value)


def schema_at(path: str) -> dict[str, Any] | None:
    """The schema of a dotted values path, or None where the schema does not describe it."""
    node = SCHEMA
    for key in path.split("."):
        node = node.get("properties", {}).get(key)
        if node is None:
            return None
    return node


def test_the_schema_types_every_value() -> None:
    untyped = []
    for path in leaf_paths(chart_defaults()):
        node = schema_at(path)
        if node is None or not ("type" in node or "anyOf" in node):
            untyped.append(path)
    assert untyped == []


def test_the_schema_refuses_unknown_keys_except_in_free_maps() -> None:
    def walk(node: dict[str, Any], path: str) -> list[str]:
        open_objects = []
        closed = node.get("additionalProperties") is False
        if node.get("type") == "object" and path not in FREE_MAPS and not closed:
            open_objects.append(path or "(top level)")
        for key, child in node.get("properties", {}).items():
            open_objects += walk(child, f"{path}.{key}" if path else key)
        return open_objects

    # Kubernetes objects passed through as they are (tolerations, peers, rules) are arrays.
    assert walk(SCHEMA, "") == []


def test_the_readme_documents_every_value() -> None:
    readme = (CHART / "README.md").read_text()
    missing = [path for path in leaf_paths(chart_defaults()) if f"`{path}`" not in readme]
    assert missing == []
