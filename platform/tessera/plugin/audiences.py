"""Groups of the tenant's people by role, for a plugin that addresses them (a notice "to all
admins and the Finance role", a list of who has not read it yet).

Roles are the core's: the built-in role on each membership (``owner``, ``admin``,
``member``) and the custom roles a tenant composes. Row-level security scopes every query
here to the current tenant, like any tenant query.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.access import service as access
from tessera.identity import directory


def members_holding(
    roles: Collection[str] = (), role_ids: Collection[uuid.UUID] = ()
) -> Select[uuid.UUID]:
    """A query of the user ids of the members whose built-in role is in ``roles`` or who hold
    any of the custom roles ``role_ids``; everyone is ``members_holding(BUILTIN_ROLES)``.

    One column, ``user_id``: compose it into your own queries, so that a list of thousands of
    people stays one query that pages in the database::

        audience = members_holding(["admin"], [finance_role_id]).subquery()
        select(audience.c.user_id).order_by(audience.c.user_id).limit(51)
    """
    holders = access.holders_query(role_ids) if role_ids else None
    return directory.user_ids_query(roles, holders)


async def known_custom_roles(db: AsyncSession, role_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``role_ids`` are custom roles of the tenant (another tenant's are not)."""
    return await access.existing_role_ids(db, role_ids)


async def custom_roles_of(db: AsyncSession, user_id: uuid.UUID) -> set[uuid.UUID]:
    """The custom roles the member ``user_id`` holds in the tenant (none for a non-member)."""
    return await access.held_role_ids(db, directory.membership_ids_query(user_id))
