"""The Helm chart renders valid, locked-down Kubernetes objects for each example values file."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import click
import helm_python as helm
import kubernetes_validate
import pytest

from tessera.cli import main as tessera_command
from tessera.settings import Settings
from tests.deploy.chart import (
    CHART,
    EXAMPLES,
    Manifest,
    containers,
    example_values,
    of_kind,
    pod_spec,
    render,
)


def oldest_supported_kubernetes() -> str:
    """The lower bound of Chart.yaml's kubeVersion (">=1.29.0-0" -> "1.29.0")."""
    with helm.Chart.load(CHART) as chart:
        (version,) = re.findall(r">=\s*v?(\d+\.\d+\.\d+)", chart.metadata["kubeVersion"])
    return str(version)


#: The oldest Kubernetes the chart supports and the newest kubernetes-validate knows.
KUBERNETES_VERSIONS = (oldest_supported_kubernetes(), kubernetes_validate.latest_version())
#: Custom resources kubernetes-validate has no schema for; their shape is checked below instead.
CUSTOM_RESOURCES = {("monitoring.coreos.com/v1", "ServiceMonitor")}
#: Every credential Tessera reads; the chart may only take them from Secrets.
CREDENTIALS = {
    "TESSERA_DATABASE_URL",
    "TESSERA_APP_DATABASE_URL",
    "TESSERA_DISPATCH_DATABASE_URL",
    "TESSERA_BROKER_URL",
    "TESSERA_SECRET_KEY",
    "TESSERA_APP_DB_PASSWORD",
    "TESSERA_SMTP_URL",
    "TESSERA_METRICS_TOKEN",
    "TESSERA_STORAGE_S3_ACCESS_KEY",
    "TESSERA_STORAGE_S3_SECRET_KEY",
    "OTEL_EXPORTER_OTLP_HEADERS",
}
#: Variables that look like credentials by name, and also any new one that may be added later.
#: TESSERA_BASE_URL is the public address: a plain setting.
LOOKS_SECRET = re.compile(r"^TESSERA_\w*(_URL|SECRET|PASSWORD|TOKEN|_KEY)\w*$")
PLAIN_URLS = {"TESSERA_BASE_URL"}


@pytest.fixture(scope="module", params=EXAMPLES)
def example(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def manifests(example: str) -> list[Manifest]:
    return render(example_values(example))


@pytest.fixture(scope="module")
def production() -> list[Manifest]:
    return render(example_values("production"))


def by_name(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    found = [m for m in of_kind(manifests, kind) if m["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def only_container(manifest: Manifest) -> dict[str, Any]:
    spec = pod_spec(manifest)
    assert spec is not None
    (container,) = spec["containers"]
    return dict(container)


def env_of(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {variable["name"]: variable for variable in container.get("env", [])}


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_strict_lint_finds_nothing(example: str, version: str) -> None:
    report = helm.lint(CHART, example_values(example), strict=True, kube_version=f"v{version}")
    findings = [m for m in report["messages"] if m["severity"] >= 2]
    assert report["errors"] == [], report["errors"]
    assert findings == []


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_object_is_valid_kubernetes(manifests: list[Manifest], version: str) -> None:
    for manifest in manifests:
        name = f"{manifest['kind']} {manifest['metadata']['name']}"
        try:
            kubernetes_validate.validate(manifest, version, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            assert (manifest["apiVersion"], manifest["kind"]) in CUSTOM_RESOURCES, name
        except kubernetes_validate.ValidationError as error:
            path = "/".join(map(str, error.path))
            pytest.fail(f"{name} is not valid Kubernetes {version} at {path}: {error.message}")


EXPECTED_OBJECTS: dict[str, Counter[str]] = {
    "default": Counter(
        Deployment=3,
        Job=1,
        Service=1,
        ServiceAccount=1,
        PersistentVolumeClaim=1,
        PodDisruptionBudget=3,
    ),
    "minimal": Counter(Deployment=3, Job=1, Service=1, ServiceAccount=1, PersistentVolumeClaim=1),
    "production": Counter(
        Deployment=3,
        Job=1,
        Service=1,
        ServiceAccount=1,
        PodDisruptionBudget=3,
        Ingress=1,
        HorizontalPodAutoscaler=2,
        NetworkPolicy=2,
        ServiceMonitor=1,
    ),
}


def test_each_example_makes_the_objects_it_asks_for(
    example: str, manifests: list[Manifest]
) -> None:
    assert Counter(m["kind"] for m in manifests) == EXPECTED_OBJECTS[example]
    assert of_kind(manifests, "Secret") == [], "the chart never makes a Secret"


def test_credentials_come_only_from_secrets(manifests: list[Manifest]) -> None:
    for container in containers(manifests):
        for name, variable in env_of(container.spec).items():
            if name in CREDENTIALS or (LOOKS_SECRET.match(name) and name not in PLAIN_URLS):
                assert "value" not in variable, f"{container.where} has {name} in plain text"
                assert "secretKeyRef" in variable.get("valueFrom", {}), (
                    f"{container.where} takes {name} from elsewhere than a Secret"
                )


def test_the_production_example_passes_every_credential(production: list[Manifest]) -> None:
    web = only_container(by_name(production, "Deployment", "demo-tessera-web"))
    references = {
        name: variable["valueFrom"]["secretKeyRef"]
        for name, variable in env_of(web).items()
        if "valueFrom" in variable
    }
    assert set(references) == CREDENTIALS - {
        "TESSERA_APP_DATABASE_URL",
        "TESSERA_DISPATCH_DATABASE_URL",
    }
    # A reference without its own Secret name uses secrets.name.
    assert references["TESSERA_SECRET_KEY"] == {"name": "tessera", "key": "secret-key"}
    assert references["TESSERA_DATABASE_URL"] == {"name": "tessera-database", "key": "owner-url"}


#: What a Secret might hold for each credential, to read the environment as Tessera would.
SECRET_STAND_INS = {
    "TESSERA_DATABASE_URL": "postgresql://tessera:pw@db.example.com:5432/tessera",
    "TESSERA_APP_DATABASE_URL": "postgresql://tessera_app:pw@db.example.com:5432/tessera",
    "TESSERA_DISPATCH_DATABASE_URL": "postgresql://tessera_app_dispatch:pw@db.example.com/tessera",
    "TESSERA_BROKER_URL": "amqp://tessera:pw@rabbitmq:5672/%2F",
    "TESSERA_SECRET_KEY": "k" * 48,
    "TESSERA_APP_DB_PASSWORD": "pw",
    "TESSERA_SMTP_URL": "smtp://tessera:pw@smtp.example.com:587",
    "TESSERA_METRICS_TOKEN": "t" * 32,
    "TESSERA_STORAGE_S3_ACCESS_KEY": "AKIAEXAMPLE",
    "TESSERA_STORAGE_S3_SECRET_KEY": "secret",
    "OTEL_EXPORTER_OTLP_HEADERS": "api-key=secret",
}
#: The web server's own variables, and the one that names each pod's component.
PER_PROCESS = {"TESSERA_HOST", "TESSERA_PORT", "TESSERA_WORKERS", "OTEL_RESOURCE_ATTRIBUTES"}


def environment(container: dict[str, Any]) -> dict[str, str]:
    """The container's variables, credentials as a Secret might hold them."""
    return {
        name: variable["value"] if "value" in variable else SECRET_STAND_INS[name]
        for name, variable in env_of(container).items()
    }


def test_tessera_accepts_every_containers_settings(manifests: list[Manifest]) -> None:
    for container in containers(manifests):
        settings = Settings.from_env(environment(container.spec))
        assert settings.env == "production", container.where


def test_every_process_gets_the_same_settings(manifests: list[Manifest]) -> None:
    shared = {
        container.where: {
            name: variable
            for name, variable in env_of(container.spec).items()
            if name not in PER_PROCESS
        }
        for container in containers(manifests)
    }
    first, *others = shared.items()
    for where, variables in others:
        assert variables == first[1], f"{where} differs from {first[0]}"


def test_every_container_is_locked_down(manifests: list[Manifest]) -> None:
    for container in containers(manifests):
        pod = container.pod_spec["securityContext"]
        assert pod["runAsNonRoot"] is True, container.where
        assert pod["runAsUser"] > 0, container.where
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, container.where
        context = container.spec["securityContext"]
        assert context["runAsNonRoot"] is True, container.where
        assert isinstance(context["runAsUser"], int), container.where
        assert context["runAsUser"] > 0, container.where
        assert context["readOnlyRootFilesystem"] is True, container.where
        assert context["allowPrivilegeEscalation"] is False, container.where
        assert context["capabilities"] == {"drop": ["ALL"]}, container.where
        assert context["seccompProfile"] == {"type": "RuntimeDefault"}, container.where
        assert container.pod_spec["automountServiceAccountToken"] is False, container.where


def test_every_container_has_requests_limits_and_a_writable_tmp(manifests: list[Manifest]) -> None:
    for container in containers(manifests):
        resources = container.spec["resources"]
        for bound in ("requests", "limits"):
            assert set(resources[bound]) >= {"cpu", "memory"}, f"{container.where}: {bound}"
        mounts = {m["mountPath"]: m["name"] for m in container.spec["volumeMounts"]}
        volumes = {v["name"]: v for v in container.pod_spec["volumes"]}
        assert "emptyDir" in volumes[mounts["/tmp"]], f"{container.where}: /tmp is no emptyDir"


def test_migration_runs_as_a_pre_install_and_pre_upgrade_hook(manifests: list[Manifest]) -> None:
    (job,) = of_kind(manifests, "Job")
    annotations = job["metadata"]["annotations"]
    assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert annotations["helm.sh/hook-delete-policy"] == "before-hook-creation,hook-succeeded"
    assert only_container(job)["args"] == ["migrate"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    others = [m for m in manifests if m is not job]
    assert all("helm.sh/hook" not in m["metadata"].get("annotations", {}) for m in others)


@pytest.mark.parametrize(
    ("deployment", "command"),
    [("web", "serve"), ("worker", "worker"), ("scheduler", "scheduler")],
)
def test_each_deployment_runs_its_tessera_command(
    manifests: list[Manifest], deployment: str, command: str
) -> None:
    args = only_container(by_name(manifests, "Deployment", f"demo-tessera-{deployment}"))["args"]
    assert args[0] == command
    # The image's entry point is `tessera`: the arguments must parse as that command's.
    with click.Context(tessera_command) as context:
        subcommand = tessera_command.get_command(context, command)
        assert subcommand is not None
        subcommand.make_context(command, list(args[1:]), parent=context)


def test_web_probes_health_endpoints_on_the_served_port(manifests: list[Manifest]) -> None:
    web = only_container(by_name(manifests, "Deployment", "demo-tessera-web"))
    (port,) = web["ports"]
    assert env_of(web)["TESSERA_PORT"]["value"] == str(port["containerPort"])
    probes = {kind: web[kind]["httpGet"] for kind in ("livenessProbe", "readinessProbe")}
    assert probes["livenessProbe"] == {"path": "/health/live", "port": port["name"]}
    assert probes["readinessProbe"] == {"path": "/health/ready", "port": port["name"]}
    (service,) = of_kind(manifests, "Service")
    assert service["spec"]["ports"][0]["targetPort"] == port["name"]


def test_autoscaled_deployments_leave_replicas_to_the_autoscaler(
    production: list[Manifest],
) -> None:
    scaled = {
        h["spec"]["scaleTargetRef"]["name"] for h in of_kind(production, "HorizontalPodAutoscaler")
    }
    assert scaled == {"demo-tessera-web", "demo-tessera-worker"}
    for name in scaled:
        assert "replicas" not in by_name(production, "Deployment", name)["spec"]


def test_files_go_to_s3_or_a_volume_web_and_workers_share(
    example: str, manifests: list[Manifest]
) -> None:
    for component in ("web", "worker"):
        deployment = by_name(manifests, "Deployment", f"demo-tessera-{component}")
        env = env_of(only_container(deployment))
        if example == "production":
            assert env["TESSERA_STORAGE_S3_BUCKET"]["value"] == "tessera-files"
            assert "TESSERA_STORAGE_DIR" not in env
            continue
        (claim,) = of_kind(manifests, "PersistentVolumeClaim")
        mounts = {m["mountPath"]: m["name"] for m in only_container(deployment)["volumeMounts"]}
        volume = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}[
            mounts[env["TESSERA_STORAGE_DIR"]["value"]]
        ]
        assert volume["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]


def test_network_policy_admits_only_the_configured_peers(production: list[Manifest]) -> None:
    web = by_name(production, "NetworkPolicy", "demo-tessera-web")["spec"]
    (rule,) = web["ingress"]
    assert rule["ports"] == [{"port": "http", "protocol": "TCP"}]
    assert rule["from"] == example_values("production")["networkPolicy"]["ingressFrom"]
    background = by_name(production, "NetworkPolicy", "demo-tessera-background")["spec"]
    assert background["ingress"] == []
    assert background["policyTypes"] == ["Ingress", "Egress"]
    # Restricted egress still resolves names.
    assert {"port": 53, "protocol": "UDP"} in web["egress"][0]["ports"]


def test_network_policy_without_peers_admits_no_one() -> None:
    # An ingress rule with an empty `from` would admit everyone: the chart must not write one.
    policies = of_kind(render({"networkPolicy": {"enabled": True}}), "NetworkPolicy")
    assert [p["spec"]["ingress"] for p in policies] == [[], []]
    assert all(p["spec"]["egress"] == [{}] for p in policies), "egress.allowAll defaults to true"


def test_service_monitor_scrapes_the_web_service_with_the_token(production: list[Manifest]) -> None:
    (monitor,) = of_kind(production, "ServiceMonitor")
    (service,) = of_kind(production, "Service")
    assert (
        monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    )
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["port"] == service["spec"]["ports"][0]["name"]
    assert endpoint["path"] == "/metrics"
    assert endpoint["authorization"] == {
        "type": "Bearer",
        "credentials": {"name": "tessera", "key": "metrics-token"},
    }
    assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
