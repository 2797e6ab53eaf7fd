"""OpenTelemetry traces of HTTP requests, sent over OTLP/HTTP when an exporter is configured.

Configured by OpenTelemetry's own environment variables, so operators use what they know:
``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) switches tracing
on; ``OTEL_SERVICE_NAME``, ``OTEL_EXPORTER_OTLP_HEADERS``, ``OTEL_RESOURCE_ATTRIBUTES`` and the
rest are read by the SDK. Without an endpoint nothing is installed and requests pay nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
#: Probes and scrapes every few seconds would drown the traces that matter.
UNTRACED = ["^/health/", "^/metrics$"]


@dataclass(frozen=True, slots=True)
class Tracing:
    plugin: OpenTelemetryPlugin
    provider: TracerProvider

    def shutdown(self) -> None:
        """Send the spans still batched (a stopping server must not drop its last traces)."""
        self.provider.shutdown()


def configured_tracing(environ: Mapping[str, str] | None = None) -> Tracing | None:
    env = os.environ if environ is None else environ
    if not any(env.get(name, "").strip() for name in ENDPOINT_VARS):
        return None
    service = env.get("OTEL_SERVICE_NAME", "").strip() or "tessera-web"
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    config = OpenTelemetryConfig(
        tracer_provider=provider,
        exclude=UNTRACED,
        # Cookies and tokens never leave in a span.
        http_capture_headers_sanitize_fields=["authorization", "cookie", "set-cookie"],
    )
    return Tracing(plugin=OpenTelemetryPlugin(config), provider=provider)
