"""What the platform hands a plugin's per-tenant hooks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class ModuleContext:
    """A module being switched for one tenant, inside that tenant's transaction.

    ``db`` is scoped to the tenant (row-level security); every change made through it is
    audited and committed with the switch, or rolled back with it.
    """

    db: AsyncSession
    tenant_id: uuid.UUID
    module: str
    #: True when the tenant enables this module for the very first time.
    first_time: bool
    #: The member who switched it, or None for the platform itself.
    actor_user_id: uuid.UUID | None
