"""``GET /metrics``: Prometheus' text format, for the operator's scraper."""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.datastructures import State

from tessera.errors import Unauthenticated
from tessera.observability.metrics import CONTENT_TYPE, exposition, observe_pools
from tessera.observability.operations import Operations, ReadingCollector
from tessera.security.secrets import same_text
from tessera.web.context import services_of

OPERATIONS_STATE = "operations"


@get("/metrics", include_in_schema=False)
async def metrics(request: Request[object, object, State], state: State) -> Response[bytes]:
    """Request counts and latency per route, pool use, outbox lag, queue depth, failed work."""
    services = services_of(state)
    token = services.settings.metrics_token
    if token is not None:
        offered = request.headers.get("authorization", "")
        if not same_text(offered, f"Bearer {token}"):
            raise Unauthenticated("This endpoint needs the metrics bearer token.")
    operations: Operations = state[OPERATIONS_STATE]
    observe_pools(services.database)
    reading = await operations.reading()
    return Response(exposition(ReadingCollector(reading)), media_type=CONTENT_TYPE)
