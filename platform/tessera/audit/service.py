"""Reading the audit trail: filtered pages, a record's history, streamed exports, verification."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.audit.chain import Verdict, verify
from tessera.audit.models import AuditEntry
from tessera.db.tenant_context import set_tenant
from tessera.errors import Invalid

EXPORT_BATCH = 1000


@dataclass(frozen=True, slots=True)
class Filters:
    actor_user_id: uuid.UUID | None = None
    action: str | None = None
    record_type: str | None = None
    record_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def check(self) -> Filters:
        if self.since and self.until and self.since > self.until:
            raise Invalid("since", "must not be after until")
        if self.record_id and not self.record_type:
            raise Invalid("record_id", "needs record_type too")
        return self


def _filtered(filters: Filters) -> Select[AuditEntry]:
    query = select(AuditEntry)
    if filters.actor_user_id:
        query = query.where(AuditEntry.actor_user_id == filters.actor_user_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.record_type:
        query = query.where(AuditEntry.record_type == filters.record_type)
    if filters.record_id:
        query = query.where(AuditEntry.record_id == filters.record_id)
    if filters.since:
        query = query.where(AuditEntry.occurred_at >= filters.since)
    if filters.until:
        query = query.where(AuditEntry.occurred_at < filters.until)
    return query


async def newest_first(
    db: AsyncSession, filters: Filters, *, before_seq: int | None, limit: int
) -> list[AuditEntry]:
    """One page, newest entry first; pass the last entry's ``seq`` to get the next page."""
    query = _filtered(filters.check()).order_by(AuditEntry.seq.desc()).limit(limit)
    if before_seq is not None:
        query = query.where(AuditEntry.seq < before_seq)
    return list((await db.execute(query)).scalars())


Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


async def oldest_first(
    transaction: Transaction, tenant_id: uuid.UUID, filters: Filters
) -> AsyncIterator[AuditEntry]:
    """Every matching entry in order, read in batches, each batch in a short transaction.

    An export of millions of entries never holds one transaction (or its memory) open.
    """
    query = _filtered(filters.check()).order_by(AuditEntry.seq).limit(EXPORT_BATCH)
    after = 0
    while True:
        async with transaction() as db:
            await set_tenant(db, tenant_id)
            rows = list((await db.execute(query.where(AuditEntry.seq > after))).scalars())
        for row in rows:
            yield row
        if len(rows) < EXPORT_BATCH:
            return
        after = rows[-1].seq


async def verify_tenant(db: AsyncSession, tenant_id: uuid.UUID) -> Verdict:
    await set_tenant(db, tenant_id)
    return await verify(db, tenant_id)
