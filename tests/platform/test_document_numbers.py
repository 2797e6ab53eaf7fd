"""Gapless document numbers, taken through the runtime role as the application takes them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from tessera.db.engine import asyncpg_url
from tessera.db.tenant_context import set_tenant
from tessera.numbering.service import last_document_number, next_document_number
from tessera.runtime import runtime_database_url
from tests.support import LiveServer, sign_up


@pytest.fixture
async def engine(live_server: LiveServer) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(
        asyncpg_url(runtime_database_url(live_server.settings)), pool_size=10, max_overflow=50
    )
    yield engine
    await engine.dispose()


async def _take(
    engine: AsyncEngine, tenant_id: uuid.UUID, series: str, *, fail: bool = False
) -> str:
    async with AsyncSession(engine) as db, db.begin():
        await set_tenant(db, tenant_id)
        number = await next_document_number(db, tenant_id, series, 2026)
        if fail:
            raise RuntimeError("the document could not be written")
        return number


async def test_fifty_concurrent_takers_get_fifty_consecutive_numbers(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    tenant = uuid.UUID((await sign_up(client)).tenant_id)
    numbers = await asyncio.gather(*(_take(engine, tenant, "INV") for _ in range(50)))
    assert sorted(numbers) == [f"INV/2026/{n:05d}" for n in range(1, 51)]


async def test_a_rolled_back_document_gives_its_number_back(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    tenant = uuid.UUID((await sign_up(client)).tenant_id)
    assert await _take(engine, tenant, "BILL") == "BILL/2026/00001"
    with pytest.raises(RuntimeError):
        await _take(engine, tenant, "BILL", fail=True)
    assert await _take(engine, tenant, "BILL") == "BILL/2026/00002"


async def test_series_years_and_tenants_count_apart(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    first = uuid.UUID((await sign_up(client)).tenant_id)
    second = uuid.UUID((await sign_up(client)).tenant_id)
    assert await _take(engine, first, "SO") == "SO/2026/00001"
    assert await _take(engine, first, "SO") == "SO/2026/00002"
    assert await _take(engine, first, "PO") == "PO/2026/00001"
    assert await _take(engine, second, "SO") == "SO/2026/00001"
    async with AsyncSession(engine) as db, db.begin():
        await set_tenant(db, first)
        assert await next_document_number(db, first, "SO", 2027) == "SO/2027/00001"
        assert await last_document_number(db, first, "SO", 2026) == 2
        # Row security: the first tenant's transaction sees none of the second's counters.
        assert await last_document_number(db, second, "SO", 2026) == 0


@pytest.mark.parametrize("series", ["inv", "", "TOO-LONG-SERIES", "A/B"])
async def test_a_series_is_short_capitals(series: str) -> None:
    with pytest.raises(ValueError, match="capital letters"):
        await next_document_number(None, uuid.uuid4(), series, 2026)  # type: ignore[arg-type]
