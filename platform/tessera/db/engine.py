"""Engines and sessions for the runtime (app role) connection."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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
    """The app role's connection pool and the session factory built on it."""

    def __init__(
        self, url: str, *, pool_size: int = 10, session_class: type[Session] = Session
    ) -> None:
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

    async def dispose(self) -> None:
        await self.engine.dispose()
