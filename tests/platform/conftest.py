"""Fixtures of the storage tests: a real S3 server on loopback, and the app on either store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.storage_support import MotoServer, Store, storage_server
from tests.support import test_settings


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = MotoServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session", params=["local", "s3"])
def store(
    request: pytest.FixtureRequest, owner_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """The app serving files from local disk, then from S3: every test that uses it runs
    against both, through the same HTTP API."""
    base = test_settings(owner_url, Path(tmp_path_factory.mktemp(f"store-{request.param}")))
    moto = request.getfixturevalue("moto_server") if request.param == "s3" else None
    yield from storage_server(base, moto)
