"""ASGI middleware: request id, client address and the access log line."""

from __future__ import annotations

import logging
import re
import time

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from tessera.db.engine import Database
from tessera.db.ids import uuid7
from tessera.logs import request_id_var
from tessera.observability.metrics import observe_pools, observe_request
from tessera.web.context import close_abandoned_uow

logger = logging.getLogger("tessera.access")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(scope: Scope, trusted_proxies: frozenset[str]) -> str | None:
    """The peer address, or the nearest untrusted hop of X-Forwarded-For behind our proxies."""
    peer = scope.get("client")
    address = peer[0] if peer else None
    if address is None or address not in trusted_proxies:
        return address
    for name, value in scope["headers"]:
        if name == b"x-forwarded-for":
            hops = [h.strip() for h in value.decode("latin-1").split(",") if h.strip()]
            for hop in reversed(hops):
                if hop not in trusted_proxies:
                    return hop[:64]
    return address


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


class RequestContextMiddleware:
    """Gives every request an id (``X-Request-ID``, echoed back), logs one line for it and
    counts it in the metrics."""

    def __init__(self, app: ASGIApp, trusted_proxies: frozenset[str], database: Database) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies
        self.database = database

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _SAFE_REQUEST_ID.match(incoming) else uuid7().hex
        token = request_id_var.set(request_id)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["client_ip"] = client_ip(scope, self.trusted_proxies)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            await close_abandoned_uow(state)
            elapsed = time.perf_counter() - started
            # Routing has filled in the template by now; a path no route matched has none.
            observe_request(scope["method"], scope.get("path_template"), status, elapsed)
            observe_pools(self.database)
            logger.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "ip": state["client_ip"],
                },
            )
            request_id_var.reset(token)
