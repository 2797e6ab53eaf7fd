"""Record rules: which rows of a scoped permission an actor may see, as a SQL predicate.

A grant's scope decides: ``all`` rows, the ``team``'s (rows owned by the actor or by anyone
whose reporting line leads up to the actor), or the actor's ``own``. The predicate compares
the model's owner column (an indexed user id) inside the query, so a list stays one indexed
query at any size — never a filter over fetched rows.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import QueryableAttribute

from tessera.identity.models import Membership
from tessera.identity.service import Actor


def visible_to(
    actor: Actor,
    permission: str,
    owner_column: ColumnElement[Any] | QueryableAttribute[Any],
) -> ColumnElement[bool]:
    """``WHERE`` clause for the rows ``actor`` reaches through ``permission``.

    ``select(Deal).where(visible_to(actor, "crm.deal.read", Deal.owner_id))``
    """
    scope = actor.scope(permission)
    if scope == "all":
        return true()
    if scope == "own":
        return owner_column == actor.user_id
    if scope == "team" and actor.membership_id is not None:
        return owner_column.in_(team_user_ids(actor.membership_id))
    return false()


def team_user_ids(manager_membership_id: uuid.UUID) -> Select[uuid.UUID]:
    """User ids of a member and of everyone who reports to them, directly or not."""
    reports = (
        select(Membership.id, Membership.user_id)
        .where(Membership.id == manager_membership_id)
        .cte("reports", recursive=True)
    )
    below = select(Membership.id, Membership.user_id).join(
        reports, Membership.manager_id == reports.c.id
    )
    reports = reports.union_all(below)
    return select(reports.c.user_id)


#: The team of a membership (itself and everyone below it), as plain SQL over one parameter.
_TEAM_SQL = (
    "WITH RECURSIVE reports AS (SELECT id, user_id FROM identity_membership WHERE id = ${n} "
    "UNION ALL SELECT m.id, m.user_id FROM identity_membership m "
    "JOIN reports r ON m.manager_id = r.id) SELECT user_id FROM reports"
)


def visible_sql(
    actor: Actor, permission: str, owner_column: str, param: int
) -> tuple[str, list[Any]]:
    """:func:`visible_to` for plain SQL: the condition, and the values of its parameters.

    ``param`` is the number the first parameter gets (``$param``). For hot reads written as
    SQL (see :meth:`tessera.unit_of_work.UnitOfWork.fetch`).
    """
    scope = actor.scope(permission)
    if scope == "all":
        return "true", []
    if scope == "own":
        return f"{owner_column} = ${param}", [actor.user_id]
    if scope == "team" and actor.membership_id is not None:
        return f"{owner_column} IN ({_TEAM_SQL.format(n=param)})", [actor.membership_id]
    return "false", []
