"""What a service call works with: one transaction, the settings, and where the call came from.

Built per HTTP request by the web layer, and the same way by the CLI and (later) jobs, so
services never see HTTP.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

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

    @asynccontextmanager
    async def tenant_transaction(self, tenant_id: uuid.UUID) -> AsyncIterator[AsyncSession]:
        """A separate transaction scoped to ``tenant_id``, committed when the block ends.

        For work that outlives the request's own transaction. A streamed response is written
        after that transaction committed, so it reads page by page, each page in one of these
        (``async with uow.tenant_transaction(actor.tenant) as db: ...``). Row-level security
        holds as in the request, and a write would be audited as the same actor.
        """
        async with self.side_transaction() as db:
            audit.set_context(db.sync_session, audit.get_context(self.db.sync_session))
            await set_tenant(db, tenant_id)
            yield db
