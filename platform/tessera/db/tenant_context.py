"""The tenant of the current transaction, and who is acting in it.

Row-level security policies compare ``tenant_id`` with the transaction-local setting
``tessera.tenant_id``. It is set with ``set_config(…, true)``, so it ends with the
transaction and a pooled connection never carries one tenant's context into the next request.
No setting means no rows.

Alongside it travels ``tessera.context``: who is acting and from where (a small JSON object the
audit layer prepares in the session's ``info``). The database's audit triggers read it. Both
are sent in one statement, so saying who acts costs no extra round trip.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Session

TENANT_SETTING = "tessera.tenant_id"
USER_SETTING = "tessera.user_id"
CONTEXT_SETTING = "tessera.context"
#: Keys in ``Session.info``: the context to send, and what this transaction already has.
CONTEXT_KEY = "tessera.context"
SENT_KEY = "tessera.context.sent"

#: The SQL expression RLS policies use for "the tenant of this transaction".
CURRENT_TENANT_SQL = f"NULLIF(current_setting('{TENANT_SETTING}', true), '')::uuid"
#: The user whose own memberships may be read across tenants (see identity policies).
CURRENT_USER_SQL = f"NULLIF(current_setting('{USER_SETTING}', true), '')::uuid"

_SET_TENANT = text(
    f"SELECT set_config('{TENANT_SETTING}', :tenant_id, true), "
    f"set_config('{CONTEXT_SETTING}', :context, true)"
)
_SET_CONTEXT = text(f"SELECT set_config('{CONTEXT_SETTING}', :context, true)")
_SET_USER = text(f"SELECT set_config('{USER_SETTING}', :user_id, true)")


def _info(db: AsyncSession | AsyncConnection | Session | Connection) -> dict[str, Any]:
    if isinstance(db, AsyncSession):
        return db.sync_session.info
    if isinstance(db, AsyncConnection):
        return db.sync_connection.info if db.sync_connection is not None else {}
    return db.info


async def set_tenant(db: AsyncSession | AsyncConnection, tenant_id: uuid.UUID) -> None:
    """Scope the rest of the current transaction to ``tenant_id`` (and say who acts in it)."""
    info = _info(db)
    context = info.get(CONTEXT_KEY, "")
    await db.execute(_SET_TENANT, {"tenant_id": str(tenant_id), "context": context})
    info[SENT_KEY] = context


def mark_context_sent(db: AsyncSession) -> None:
    """The tenant and the current acting context were set by other means (a database function
    that entered the tenant itself)."""
    info = _info(db)
    info[SENT_KEY] = info.get(CONTEXT_KEY, "")


def context_statement(db: Session) -> tuple[Any, dict[str, str]] | None:
    """The statement that brings the transaction's acting context up to date, if it is stale.

    Only after a tenant was set: without one no tenant-owned row can be written.
    """
    info = db.info
    sent, context = info.get(SENT_KEY), info.get(CONTEXT_KEY, "")
    if sent is None or sent == context:
        return None
    info[SENT_KEY] = context
    return _SET_CONTEXT, {"context": context}


def forget_transaction(db: Session) -> None:
    """The transaction ended: its settings are gone."""
    db.info.pop(SENT_KEY, None)


@asynccontextmanager
async def own_memberships_visible(
    db: AsyncSession | AsyncConnection, user_id: uuid.UUID
) -> AsyncIterator[None]:
    """Inside the block, ``user_id``'s memberships in every tenant are readable.

    Only for listing a user's own tenants; the setting is cleared when the block ends, so a
    later query in the same transaction sees the current tenant alone again.
    """
    await db.execute(_SET_USER, {"user_id": str(user_id)})
    try:
        yield
    finally:
        await db.execute(_SET_USER, {"user_id": ""})
