"""What a service call works with: one transaction, the settings, and where the call came from.

Built per HTTP request by the web layer, and the same way by the CLI and (later) jobs, so
services never see HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

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
