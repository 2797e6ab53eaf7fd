"""Deleting a tenant-owned record puts it in the recycle bin, without the module doing anything.

The platform's sessions are :class:`PlatformSession`s. Before a flush deletes a record, the
record and every row the database will delete with it (tables whose foreign key to it says
``ON DELETE CASCADE``, recursively) are copied into a :class:`RecycleItem`, in the same
transaction. A model opts out with ``__recycle__ = False``; ``__recycle_permission__`` names
the permission whose holders may restore it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ForeignKeyConstraint, Table, event, inspect, select, tuple_
from sqlalchemy.orm import Session, UOWTransaction

from tessera.audit.capture import AuditedSession, get_context
from tessera.db.base import TenantModel
from tessera.recycle.models import RecycleItem
from tessera.recycle.snapshot import encode

DEFAULT_PERMISSION = "recycle.item.restore"
RETENTION_KEY = "tessera.recycle.days"
_LABEL_COLUMNS = ("name", "title", "email", "slug", "label", "number", "code")


class PlatformSession(AuditedSession):
    """Audited, and deletes go to the recycle bin. The session class of every platform factory."""


def set_retention(session: Session, days: int) -> None:
    session.info[RETENTION_KEY] = days


def is_recyclable(obj: object) -> bool:
    return isinstance(obj, TenantModel) and getattr(type(obj), "__recycle__", True)


def _row_of(obj: TenantModel) -> dict[str, Any]:
    """The object's row as the database has it: column name -> value."""
    mapper = inspect(obj).mapper
    return {
        column.name: getattr(obj, attr.key)
        for attr in mapper.column_attrs
        for column in attr.columns
        if column.table is mapper.local_table
    }


def _encoded(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {"table": table.name, "row": {k: encode(v) for k, v in row.items()}}


def _label(obj: TenantModel) -> str:
    for name in _LABEL_COLUMNS:
        value = getattr(obj, name, None)
        if isinstance(value, str) and value:
            return value[:200]
    return f"{obj.__tablename__} {obj.id}"


def _cascading_children(table: Table) -> list[tuple[Table, ForeignKeyConstraint]]:
    found = []
    for candidate in table.metadata.sorted_tables:
        for fk in candidate.foreign_key_constraints:
            if fk.referred_table is table and (fk.ondelete or "").upper() == "CASCADE":
                found.append((candidate, fk))
    return found


def _cascade(session: Session, table: Table, parents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows the database will delete along with ``parents`` (rows of ``table``), encoded."""
    rows: list[dict[str, Any]] = []
    for child, fk in _cascading_children(table):
        referred = [element.column.name for element in fk.elements]
        referring = [element.parent for element in fk.elements]
        wanted = [tuple(parent[name] for name in referred) for parent in parents]
        query = select(child).where(tuple_(*referring).in_(wanted))
        found = [dict(r) for r in session.execute(query).mappings()]
        if found:
            rows += [_encoded(child, r) for r in found]
            rows += _cascade(session, child, found)
    return rows


@event.listens_for(PlatformSession, "before_flush")
def _move_to_bin(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    doomed = [obj for obj in session.deleted if is_recyclable(obj)]
    if not doomed:
        return
    now = datetime.now(UTC)
    days = int(session.info.get(RETENTION_KEY, 30))
    actor = get_context(session).actor_user_id
    for obj in doomed:
        table = inspect(obj).mapper.local_table
        assert isinstance(table, Table)
        own = _row_of(obj)
        rows = [_encoded(table, own), *_cascade(session, table, [own])]
        session.add(
            RecycleItem(
                tenant_id=obj.tenant_id,
                record_type=table.name,
                record_id=str(obj.id),
                label=_label(obj),
                permission=getattr(type(obj), "__recycle_permission__", DEFAULT_PERMISSION),
                deleted_at=now,
                deleted_by=actor,
                expires_at=now + timedelta(days=days),
                rows=rows,
            )
        )
