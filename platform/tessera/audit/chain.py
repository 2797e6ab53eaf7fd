"""Verifying a tenant's hash chain, entry by entry, from the first."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.audit.models import AuditChain, AuditEntry

GENESIS = bytes(32)


def link(prev_hash: bytes, entry_digest: bytes) -> bytes:
    return hashlib.sha256(prev_hash + entry_digest).digest()


@dataclass(frozen=True, slots=True)
class Verdict:
    tenant_id: uuid.UUID
    entries: int
    #: The first entry whose content or link does not match, or None if the chain is whole.
    broken_seq: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and self.reason is None


async def verify(db: AsyncSession, tenant_id: uuid.UUID, *, batch: int = 5000) -> Verdict:
    """Recompute the chain of the tenant whose context is set.

    Each entry's digest is recomputed by the database from the entry's stored content (the same
    function that wrote it); the links are checked here.
    """
    prev, expected_seq, count = GENESIS, 1, 0
    async for seq, prev_hash, stored_hash, digest in _entries_in_order(db, batch):
        count += 1
        problem = None
        if seq != expected_seq:
            problem = f"sequence jumps from {expected_seq - 1} to {seq} (entries missing)"
        elif prev_hash != prev:
            problem = "its link to the previous entry does not match"
        elif stored_hash != link(prev, digest):
            problem = "its content was changed after it was written"
        if problem:
            return Verdict(tenant_id, count, seq, problem)
        prev, expected_seq = stored_hash, expected_seq + 1
    head = await db.get(AuditChain, tenant_id)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        return Verdict(tenant_id, count, reason="the newest entries were removed")
    return Verdict(tenant_id, count)


async def _entries_in_order(
    db: AsyncSession, batch: int
) -> AsyncIterator[tuple[int, bytes, bytes, bytes]]:
    entry = AuditEntry.__table__
    digest = func.tessera_audit_digest(literal_column("audit_entry"))
    after = 0
    while True:
        rows = (
            await db.execute(
                select(entry.c.seq, entry.c.prev_hash, entry.c.hash, digest)
                .where(entry.c.seq > after)
                .order_by(entry.c.seq)
                .limit(batch)
            )
        ).all()
        for seq, prev_hash, stored_hash, digest in rows:
            yield seq, prev_hash, stored_hash, digest
        if len(rows) < batch:
            return
        after = rows[-1][0]
