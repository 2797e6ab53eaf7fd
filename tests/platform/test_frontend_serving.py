"""The server hands the built browser app out under ``/``: assets cached for good, the app's
own routes answered with its index page, and the API's misses still the API's 404s."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import support
from tests.support import LiveServer

INDEX = b"<!doctype html><title>Tessera</title><div id=root></div>"
ASSET = b"console.log('app')"


@pytest.fixture(scope="module")
def app_server(owner_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    built = tmp_path_factory.mktemp("dist")
    (built / "index.html").write_bytes(INDEX)
    (built / "assets").mkdir()
    (built / "assets" / "index-abc123.js").write_bytes(ASSET)
    (built / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(ASSET))
    (built / "assets" / "index-abc123.js.br").write_bytes(b"brotli bytes")
    (built / "favicon.svg").write_bytes(b"<svg/>")
    settings = support.test_settings(owner_url, tmp_path_factory.mktemp("data"))
    server = LiveServer(settings.with_overrides(frontend_dir=built))
    server.start()
    yield server
    server.stop()


def get(server: LiveServer, path: str, encodings: str = "identity") -> httpx.Response:
    return httpx.get(f"{server.url}{path}", headers={"Accept-Encoding": encodings}, timeout=10)


@pytest.mark.parametrize("path", ["/", "/login", "/crm/deals/board", "/admin/audit?page=2"])
def test_app_routes_answer_with_the_index_page(app_server: LiveServer, path: str) -> None:
    answer = get(app_server, path)
    assert answer.status_code == 200
    assert answer.content == INDEX
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["cache-control"] == "no-cache"


def test_hashed_assets_are_cached_for_good(app_server: LiveServer) -> None:
    answer = get(app_server, "/assets/index-abc123.js")
    assert answer.status_code == 200
    assert answer.content == ASSET
    assert "javascript" in answer.headers["content-type"]
    assert "immutable" in answer.headers["cache-control"]
    assert get(app_server, "/favicon.svg").content == b"<svg/>"


@pytest.mark.parametrize(
    "path", ["/assets/missing.js", "/api/v1/nothing-here", "/api", "/health/nothing"]
)
def test_misses_of_assets_and_the_api_are_404s(app_server: LiveServer, path: str) -> None:
    answer = get(app_server, path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_a_browser_gets_the_precompressed_copy_it_accepts(app_server: LiveServer) -> None:
    path = "/assets/index-abc123.js"
    gzipped = get(app_server, path, "gzip, deflate")
    assert gzipped.headers["content-encoding"] == "gzip"
    assert gzipped.content == ASSET  # httpx decodes it
    assert "javascript" in gzipped.headers["content-type"]
    raw = httpx.get(f"{app_server.url}{path}", headers={"Accept-Encoding": "br, gzip"}, timeout=10)
    assert raw.headers["content-encoding"] == "br"
    assert "accept-encoding" in raw.headers["vary"].lower()
    plain = get(app_server, path)
    assert "content-encoding" not in plain.headers
    assert plain.content == ASSET


def test_no_way_out_of_the_built_directory(app_server: LiveServer) -> None:
    for path in ("/%2e%2e/%2e%2e/etc/passwd", "/assets/%2e%2e/%2e%2e/index.html"):
        answer = get(app_server, path)
        assert b"root:" not in answer.content
        assert answer.content in (INDEX, b"") or answer.status_code == 404


def test_without_a_build_the_server_says_how_to_make_one(owner_url: str, tmp_path: Path) -> None:
    server = LiveServer(
        support.test_settings(owner_url, tmp_path / "data").with_overrides(
            frontend_dir=tmp_path / "none"
        )
    )
    server.start()
    try:
        answer = get(server, "/")
    finally:
        server.stop()
    assert answer.status_code == 404
    assert "make frontend" in answer.json()["detail"]
