"""Request ids, JSON logs, health probes, OpenAPI, and problem answers for unknown routes."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import httpx
import pytest

from tessera.logs import JsonFormatter


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def access_log() -> Iterator[_Lines]:
    handler = _Lines()
    logger = logging.getLogger("tessera.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)


async def test_every_response_has_a_request_id(client: httpx.AsyncClient) -> None:
    first = await client.get("/health/live")
    second = await client.get("/api/v1/nothing-here")
    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2
    assert second.json()["request_id"] == second.headers["x-request-id"]


async def test_a_sane_incoming_request_id_is_kept_and_logged(
    client: httpx.AsyncClient, access_log: _Lines
) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "trace-1234-abcd"})
    assert response.headers["x-request-id"] == "trace-1234-abcd"
    line = next(item for item in access_log.lines if item.get("request_id") == "trace-1234-abcd")
    assert line["path"] == "/health/live"
    assert line["status"] == 200
    assert "duration_ms" in line


async def test_an_unsafe_incoming_request_id_is_replaced(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "<script>"})
    assert response.headers["x-request-id"] != "<script>"


async def test_secrets_are_not_logged(client: httpx.AsyncClient, access_log: _Lines) -> None:
    await client.post(
        "/api/v1/auth/login",
        json={"email": "nobody@example.com", "password": "hunter2-hunter2"},
    )
    assert "hunter2" not in json.dumps(access_log.lines)


async def test_health_probes(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "migrations": "at head"}


async def test_openapi_describes_the_api(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/docs/openapi.json")).json()
    for path in ("/api/v1/signup", "/api/v1/auth/login", "/api/v1/me", "/api/v1/tokens"):
        assert path in schema["paths"], path
    assert (await client.get("/api/docs")).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/api/v1/no-such-thing", 404), ("PUT", "/api/v1/signup", 405)],
)
async def test_unknown_routes_answer_with_problems(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == status


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/audit?action=%00", 400),
        ("/api/v1/audit/export?record_type=a%00b", 400),
        ("/api/v1/members%00", 404),  # no route has such a path
    ],
)
async def test_a_nul_character_in_the_url_is_the_clients_mistake(
    client: httpx.AsyncClient, path: str, status: int
) -> None:
    response = await client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
