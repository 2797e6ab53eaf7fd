"""What a service call works with: one transaction, the settings, and where the call came from.

Built per HTTP request by the web layer, and the same way by the CLI and (later) jobs, so
services never see HTTP.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tessera.audit import capture as audit
from tessera.db.tenant_context import set_tenant
from tessera.mail.service import MailQueue
from tessera.security.signed import SignedTokens
from tessera.settings import Settings

#: Opens a separate, immediately committed transaction (for writes that must survive a
#: rollback of the request, such as counting a failed log-in).
SideTransaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


@dataclass(frozen=True, slots=True)
class Origin:
    request_id: str = ""
    ip: str | None = None
    user_agent: str | None = None


@dataclass(slots=True)
class UnitOfWork:
    db: AsyncSession
    settings: Settings
    signer: SignedTokens
    side_transaction: SideTransaction
    origin: Origin = field(default_factory=Origin)
    mail: MailQueue = field(default_factory=MailQueue)
    #: A hot read's plain connection (see ``Database.read_connection``): then everything
    #: goes through :meth:`fetch`, and ``db`` is not connected.
    driver: Any = None
    #: Whether this hot read's session lookup entered its tenant on ``driver``; until it
    #: has, the connection may still carry what an earlier request entered.
    entered: bool = False
    #: Run once the transaction has ended, committed or rolled back (by the web layer; where
    #: nothing runs them, what they would do must be done later by something else, as the
    #: storage sweep does for stored files' bytes).
    after_end: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def fetch(self, sql: str, *args: Any) -> Sequence[Any]:
        """Rows of a hot read, run as the driver's prepared statement in this transaction.

        For the few reads where the ORM's cost shows (a busy list, a detail screen): ``sql``
        is plain SQL with ``$1 …`` parameters, prepared once per connection and reused. Row-level
        security applies as to any query. Pending ORM changes are flushed first so the read
        sees them.
        """
        driver = await self._driver()
        return await driver.fetch(sql, *args)  # type: ignore[no-any-return]

    async def fetch_value(self, sql: str, *args: Any) -> Any:
        """The first column of the first row of a hot read (see :meth:`fetch`), or None."""
        driver = await self._driver()
        return await driver.fetchval(sql, *args)

    @asynccontextmanager
    async def read_session(self, tenant_id: uuid.UUID) -> AsyncIterator[AsyncSession]:
        """An ORM session for reading in ``tenant_id``: ``db`` itself, or — in a hot read,
        which has none — a short transaction of its own in the same tenant
        (:meth:`tenant_transaction`), for the rare read that needs another module's ORM code
        (a timeline contributor, say)."""
        if self.driver is None:
            yield self.db
            return
        async with self.tenant_transaction(tenant_id) as db:
            yield db

    async def _driver(self) -> Any:
        if self.driver is not None:
            if not self.entered:
                raise RuntimeError("A hot read ran a query before its session lookup.")
            return self.driver
        if self.db.new or self.db.dirty or self.db.deleted:
            await self.db.flush()
        connection = await self.db.connection()
        raw = await connection.get_raw_connection()
        return raw.driver_connection

    @asynccontextmanager
    async def tenant_transaction(self, tenant_id: uuid.UUID) -> AsyncIterator[AsyncSession]:
        """A separate transaction scoped to ``tenant_id``, committed when the block ends.

        For work that outlives the request's own transaction. A streamed response is written
        after that transaction committed, so it reads page by page, each page in one of these
        (``async with uow.tenant_transaction(actor.tenant) as db: ...``). Row-level security
        holds as in the request, and a write would be audited as the same actor.
        """
        async with self.side_transaction() as db:
            if self.driver is None:  # a hot read has no session, and writes nothing
                audit.set_context(db.sync_session, audit.get_context(self.db.sync_session))
            await set_tenant(db, tenant_id)
            yield db
