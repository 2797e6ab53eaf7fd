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
