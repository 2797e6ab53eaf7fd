"""Engines and sessions for the runtime (app role) connection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session


def asyncpg_url(url: str | URL) -> URL:
    """Any ``postgresql://`` URL as one SQLAlchemy drives with asyncpg."""
    return make_url(url).set(drivername="postgresql+asyncpg")


def plain_url(url: str | URL) -> str:
    """A URL asyncpg itself accepts (``postgresql://…``), password included."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def app_role_url(owner_url: str, role: str, password: str | None) -> str:
    """The owner's server and database, reached as the runtime app role."""
    url = make_url(owner_url).set(username=role, password=password)
    return url.render_as_string(hide_password=False)


class Database:
    """The app role's connection pool and the session factory built on it.

    Beside it, a pool of plain driver connections for hot reads (:meth:`read_transaction`):
    no ORM session, nothing between the handler and asyncpg's prepared statements.
    """

    def __init__(
        self, url: str, *, pool_size: int = 10, session_class: type[Session] = Session
    ) -> None:
        self.url = url
        self.pool_size = pool_size
        self._driver_pool: asyncpg.Pool | None = None
        self._driver_pool_lock = asyncio.Lock()
        self.engine: AsyncEngine = create_async_engine(
            asyncpg_url(url),
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_timeout=10,
            connect_args={"server_settings": {"application_name": "tessera"}},
        )
        self.sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, autoflush=True, sync_session_class=session_class
        )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commit if the block ends normally, roll back if it raises."""
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read_transaction(self) -> AsyncIterator[Any]:
        """A transaction on a plain asyncpg connection, for a request that only reads.

        The pool does not reset connections on release (a round trip per request): the tenant
        and acting context are set per transaction (``set_config(…, true)``), so nothing of a
        request outlives its transaction — the isolation tests serve two tenants in turn on
        one pooled connection to hold this.
        """
        pool = self._driver_pool or await self._open_driver_pool()
        async with pool.acquire() as connection, connection.transaction():
            yield connection

    async def _open_driver_pool(self) -> asyncpg.Pool:
        async with self._driver_pool_lock:
            if self._driver_pool is None:
                self._driver_pool = await asyncpg.create_pool(
                    plain_url(self.url),
                    min_size=1,
                    max_size=self.pool_size,
                    reset=_keep,
                    server_settings={"application_name": "tessera"},
                )
            return self._driver_pool

    async def dispose(self) -> None:
        if self._driver_pool is not None:
            await self._driver_pool.close()
        await self.engine.dispose()


async def _keep(connection: asyncpg.Connection) -> None:
    """No reset on release: see :meth:`Database.read_transaction`."""
