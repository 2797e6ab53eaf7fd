"""The tenant of the current transaction.

Row-level security policies compare ``tenant_id`` with the transaction-local setting
``tessera.tenant_id``. It is set with ``set_config(…, true)``, so it ends with the
transaction and a pooled connection never carries one tenant's context into the next request.
No setting means no rows.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

TENANT_SETTING = "tessera.tenant_id"
USER_SETTING = "tessera.user_id"

#: The SQL expression RLS policies use for "the tenant of this transaction".
CURRENT_TENANT_SQL = f"NULLIF(current_setting('{TENANT_SETTING}', true), '')::uuid"
#: The user whose own memberships may be read across tenants (see identity policies).
CURRENT_USER_SQL = f"NULLIF(current_setting('{USER_SETTING}', true), '')::uuid"

_SET_TENANT = text(f"SELECT set_config('{TENANT_SETTING}', :tenant_id, true)")
_SET_USER = text(f"SELECT set_config('{USER_SETTING}', :user_id, true)")


async def set_tenant(db: AsyncSession | AsyncConnection, tenant_id: uuid.UUID) -> None:
    """Scope the rest of the current transaction to ``tenant_id``."""
    await db.execute(_SET_TENANT, {"tenant_id": str(tenant_id)})


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
