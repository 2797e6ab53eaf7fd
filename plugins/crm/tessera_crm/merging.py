"""Merging a duplicate into the record that survives it (accounts, contacts).

The survivor keeps its own values and takes the duplicate's where it has none; tags are united
and notes appended. Every link to the duplicate moves to the survivor, then the duplicate goes
to the recycle bin, all in the request's one transaction.

Which links exist is read from the SQLAlchemy metadata that every loaded model shares, not
listed here: a module that links to accounts or contacts later (activities, tickets, leads,
ERP invoices) has its links moved without a change to this file. The assumption: a link is a
foreign key declared with ``tenant_fk``, ``(tenant_id, column) -> (tenant_id, id)`` of the
merged table, as the platform's invariants require of every link between tenant-owned rows.
A link table whose unique constraint both records would then break is refused by the database
(409) and the merge changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, cast

from sqlalchemy import Column, CursorResult, Table, update

from tessera.plugin import Actor, Invalid, Uow, audit_event, emit
from tessera_crm.records import Owned, clean_tags, get_visible


@dataclass(frozen=True, slots=True)
class Mergeable(Generic[Owned]):
    model: type[Owned]
    write_permission: str
    #: Columns the survivor takes from the duplicate where its own is empty.
    fill: tuple[str, ...]
    #: Derives the columns computed from others (duplicate keys) after the merge.
    set_keys: Callable[[Owned], None]
    label: Callable[[Owned], str]
    #: ``crm.account.merged``: with the survivor's and the duplicate's ids and the links moved.
    event: str
    #: The key of the survivor's id in the event.
    id_key: str


def links_to(model: type[Any]) -> list[tuple[Table, Column[Any]]]:
    """Every tenant foreign key to ``model``'s table in the metadata of all loaded models."""
    table = model.__table__
    assert isinstance(table, Table)
    found = []
    for candidate in table.metadata.sorted_tables:
        for constraint in candidate.foreign_key_constraints:
            if constraint.referred_table is not table:
                continue
            pairs = {element.column.name: element.parent for element in constraint.elements}
            if set(pairs) == {"tenant_id", "id"}:
                found.append((candidate, pairs["id"]))
    return found


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


async def merge(
    uow: Uow,
    actor: Actor,
    kind: Mergeable[Owned],
    survivor_id: uuid.UUID,
    duplicate_id: uuid.UUID,
) -> tuple[Owned, dict[str, int]]:
    """Merge the duplicate into the survivor; the survivor and the links moved, by table.column.

    Both must be records the actor may change (404 otherwise, as for another tenant's ids).
    """
    if survivor_id == duplicate_id:
        raise Invalid("duplicate_id", "is the record itself; name another record")
    survivor = await get_visible(uow, actor, kind.model, survivor_id, kind.write_permission)
    duplicate = await get_visible(uow, actor, kind.model, duplicate_id, kind.write_permission)
    filled = _combine(kind, survivor, duplicate)
    kind.set_keys(survivor)
    moved: dict[str, int] = {}
    for table, column in links_to(kind.model):
        statement = update(table).where(column == duplicate.id).values({column.name: survivor.id})
        result = cast(CursorResult[Any], await uow.db.execute(statement))
        if result.rowcount:
            moved[f"{table.name}.{column.name}"] = result.rowcount
    # Through the session, so it goes to the recycle bin; nothing points at it any more, so
    # nothing goes with it.
    await uow.db.delete(duplicate)
    await uow.db.flush()
    await uow.db.refresh(survivor)
    facts = {kind.id_key: survivor.id, "merged_id": duplicate.id, "moved": moved}
    audit_event(
        uow.db,
        actor.tenant,
        "merge",
        record_type=kind.model.__tablename__,
        record_id=str(survivor.id),
        details={**facts, "filled": filled},
    )
    await emit(uow.db, actor.tenant, kind.event, facts)
    return survivor, moved


def _combine(kind: Mergeable[Owned], survivor: Any, duplicate: Any) -> list[str]:
    """The survivor's values completed from the duplicate's; the columns it took over."""
    filled = [name for name in kind.fill if _fill(survivor, duplicate, name)]
    if hasattr(survivor, "address") and duplicate.address:
        own = {part: value for part, value in (survivor.address or {}).items() if value}
        survivor.address = {**duplicate.address, **own}
    survivor.tags = clean_tags([*survivor.tags, *duplicate.tags])
    if duplicate.notes.strip():
        heading = f"Merged from {kind.label(duplicate)}:"
        survivor.notes = "\n\n".join(
            part for part in (survivor.notes.rstrip(), f"{heading}\n{duplicate.notes}") if part
        )
    return filled


def _fill(survivor: Any, duplicate: Any, name: str) -> bool:
    if _empty(getattr(survivor, name)) and not _empty(getattr(duplicate, name)):
        setattr(survivor, name, getattr(duplicate, name))
        return True
    return False
