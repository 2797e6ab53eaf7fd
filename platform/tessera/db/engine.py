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

    Beside it, a pool of plain driver connections for hot reads (:meth:`read_connection`):
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
    async def read_connection(self) -> AsyncIterator[Any]:
        """A plain asyncpg connection, for a request that only reads: no transaction around
        its statements (each is its own, as each would take its own snapshot anyway), so no
        BEGIN and COMMIT round trips.

        The tenant is therefore entered for the connection, not a transaction, and the pool
        does not reset connections on release (another round trip). What makes that safe:
        every hot read first looks up its session with ``tessera_session_member(…, true)``,
        which enters that session's tenant or, for an invalid session, clears what the last
        request on the connection entered; ``UnitOfWork.fetch`` refuses to run before that
        lookup. The isolation tests serve two tenants and a stranger in turn on one pooled
        connection to hold this.
        """
        pool = self._driver_pool or await self._open_driver_pool()
        async with pool.acquire() as connection:
            yield connection

    @property
    def driver_pool(self) -> asyncpg.Pool | None:
        """The plain driver pool, once a hot read has opened it."""
        return self._driver_pool

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
    """No reset on release: see :meth:`Database.read_connection`."""
