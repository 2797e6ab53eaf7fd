"""The tenant's people as a plugin's tables and queries may refer to them.

A plugin names a member by user id (what ``Actor.user_id`` and the workflow engine use). A
column that must always name a current member of the row's tenant carries :func:`member_fk`:
the database then refuses another tenant's user (or no one's), and removing the member clears
or removes the rows as the plugin chose.
"""

from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint

from tessera.db.base import tenant_fk

#: The core table of memberships, unique on (tenant_id, user_id). Models name it through
#: member_fk; a migration spells it out, as SQL does.
_MEMBERS = "identity_membership"


def member_fk(column: str, *, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A foreign key from ``(tenant_id, column)`` to a member of the same tenant, by user id.

    ``ondelete`` says what removing the member does: ``"CASCADE"`` removes the row with the
    membership (into the recycle bin with it, and back on restore), ``"SET NULL"`` clears
    ``column`` only. Without it, removing a member the row names is refused by the database,
    which the core does not expect: give one.
    ``__table_args__ = (member_fk("head_user_id", ondelete="SET NULL"),)``
    """
    return tenant_fk(column, _MEMBERS, target_column="user_id", ondelete=ondelete)
