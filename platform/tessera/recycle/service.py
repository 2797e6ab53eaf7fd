"""The recycle bin: listing, restoring (with what was deleted together) and purging."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from tessera.audit import capture as audit
from tessera.errors import Forbidden, Gone, NotFound
from tessera.metadata import load_metadata
from tessera.recycle.models import RecycleItem
from tessera.recycle.snapshot import decode_row
from tessera.unit_of_work import UnitOfWork


async def list_items(
    uow: UnitOfWork,
    *,
    user_id: uuid.UUID,
    grants: dict[str, str],
    record_type: str | None,
    before: uuid.UUID | None,
    limit: int,
) -> list[RecycleItem]:
    """What the caller may still restore, newest deletion first."""
    for_all = [name for name, scope in grants.items() if scope == "all"]
    query = (
        select(RecycleItem)
        .where(
            RecycleItem.expires_at > datetime.now(UTC),
            or_(
                RecycleItem.permission.in_(for_all),
                RecycleItem.permission.in_(list(grants)) & (RecycleItem.deleted_by == user_id),
            ),
        )
        .order_by(RecycleItem.id.desc())
        .limit(limit)
    )
    if record_type:
        query = query.where(RecycleItem.record_type == record_type)
    if before is not None:
        query = query.where(RecycleItem.id < before)
    return list((await uow.db.execute(query)).scalars())


async def _item(uow: UnitOfWork, item_id: uuid.UUID) -> RecycleItem:
    item = (
        await uow.db.execute(select(RecycleItem).where(RecycleItem.id == item_id).with_for_update())
    ).scalar_one_or_none()
    if item is None:
        raise NotFound("Nothing in the recycle bin has this id.")
    return item


def may_restore(item: RecycleItem, user_id: uuid.UUID, grants: dict[str, str] | None) -> bool:
    """Holders of the item's permission for all records, or for their own if they deleted it."""
    scope = (grants or {}).get(item.permission)
    return scope == "all" or (scope is not None and item.deleted_by == user_id)


async def restore(
    uow: UnitOfWork, item_id: uuid.UUID, *, user_id: uuid.UUID, grants: dict[str, str]
) -> RecycleItem:
    item = await _item(uow, item_id)
    if not may_restore(item, user_id, grants):
        raise Forbidden(f"Restoring this needs the {item.permission!r} permission.")
    if item.expires_at <= datetime.now(UTC):
        raise Gone("This record stayed in the recycle bin too long and can no longer be restored.")
    tables = load_metadata().tables
    # The audit trigger records each row coming back as "restore", not as a new record.
    await _restoring(uow, True)
    for entry in item.rows:
        table = tables[entry["table"]]
        await uow.db.execute(table.insert().values(**decode_row(table, entry["row"])))
    await _restoring(uow, False)
    await uow.db.execute(delete(RecycleItem).where(RecycleItem.id == item.id))
    return item


async def _restoring(uow: UnitOfWork, restoring: bool) -> None:
    def switch(session: Session) -> None:
        context = audit.get_context(session)
        audit.set_context(session, dataclasses.replace(context, restoring=restoring))
        audit.sync_context(session)

    await uow.db.run_sync(switch)


async def purge(uow: UnitOfWork, item_id: uuid.UUID) -> RecycleItem:
    item = await _item(uow, item_id)
    audit.record(
        uow.db.sync_session,
        item.tenant_id,
        "purge",
        record_type=item.record_type,
        record_id=item.record_id,
        details={"rows": [len(item.rows), None]},
    )
    await uow.db.execute(delete(RecycleItem).where(RecycleItem.id == item.id))
    return item


async def purge_expired(uow: UnitOfWork) -> int:
    """Remove what has stayed past its time in the current tenant's bin; how many."""
    expired = list(
        (
            await uow.db.execute(
                select(RecycleItem).where(RecycleItem.expires_at <= datetime.now(UTC))
            )
        ).scalars()
    )
    for item in expired:
        await purge(uow, item.id)
    return len(expired)


async def values_in_bin(db: AsyncSession, columns: Sequence[tuple[str, str]]) -> set[str]:
    """The values binned rows hold in these ``(table, column)`` pairs, expired items included
    (they can no longer be restored, but stay in the bin until purged).

    For other domains whose rows binned records refer to: a stored file named by a deleted
    document must outlive the document's stay in the bin.
    """
    found: set[str] = set()
    for table, column in columns:
        result = await db.execute(_BIN_VALUES, {"table": table, "column": column})
        found |= {value for value in result.scalars() if value is not None}
    return found


_BIN_VALUES = text(
    "SELECT DISTINCT entry -> 'row' ->> :column "
    "FROM recycle_item, jsonb_array_elements(rows) AS entry WHERE entry ->> 'table' = :table"
)
