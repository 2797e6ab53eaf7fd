"""Fixtures of the event suites: a stack (web, dispatcher, worker) per broker, on its own database."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tessera.db.roles import drop_database
from tests.events_support import (
    RABBITMQ_URL,
    REDIS_URL,
    TEMPLATE_DB_VAR,
    Stack,
    clone_database,
    database_url,
)

T = TypeVar("T")

BROKER_URLS: dict[str, str | None] = {
    "postgresql": None,
    "rabbitmq": RABBITMQ_URL,
    "redis": REDIS_URL,
}


def _in_thread(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to completion from sync code, even inside a running event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class StackFactory:
    """Makes stacks on fresh copies of the test database, and tears them all down."""

    def __init__(self, admin_url: str, owner_url: str, tmp: Path) -> None:
        self.admin_url, self.owner_url, self.tmp = admin_url, owner_url, tmp
        self.made: list[tuple[Stack, str]] = []

    def new(
        self,
        broker_url: str | None,
        *,
        direct_broker_url: str | None = None,
        start: bool = True,
        settings: dict[str, object] | None = None,
    ) -> Stack:
        name = _in_thread(clone_database(self.admin_url, os.environ[TEMPLATE_DB_VAR]))
        logs = self.tmp / name
        logs.mkdir()
        stack = Stack(
            database_url(self.owner_url, name),
            logs,
            admin_url=database_url(self.admin_url, name),
            broker_url=broker_url,
            direct_broker_url=direct_broker_url,
            settings=settings,
        )
        self.made.append((stack, name))
        return stack.start() if start else stack

    def close(self) -> None:
        for stack, name in self.made:
            stack.stop()
            _in_thread(drop_database(self.admin_url, name))


@pytest.fixture
def stacks(
    admin_url: str, owner_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[StackFactory]:
    factory = StackFactory(admin_url, owner_url, tmp_path)
    yield factory
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        for stack, _ in factory.made:
            print(stack.log_tail())  # noqa: T201  (shown by pytest with the failure)
    factory.close()


@pytest.fixture(scope="module")
def module_stacks(
    admin_url: str, owner_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StackFactory]:
    factory = StackFactory(admin_url, owner_url, tmp_path_factory.mktemp("stacks"))
    yield factory
    factory.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    setattr(item, f"rep_{report.when}", report)  # type: ignore[attr-defined]
    return report
