"""Hashing and appending audit entries, and verifying a tenant's chain."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from tessera.audit.models import AuditChain, AuditEntry
from tessera.db.ids import uuid7

GENESIS = bytes(32)

#: One round trip appends a batch: lock the tenant's chain head, number and chain the
#: entries, move the head. Digests come from Python (tessera.audit.chain.digest).
APPEND_FUNCTION = "tessera_audit_append"


@dataclass(frozen=True, slots=True)
class Entry:
    """An audit entry before it has its place (sequence number and hash) in the chain."""

    tenant_id: uuid.UUID
    action: str
    record_type: str | None = None
    record_id: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    actor_kind: str = "system"
    actor_user_id: uuid.UUID | None = None
    actor_token_id: uuid.UUID | None = None
    request_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    id: uuid.UUID = field(default_factory=uuid7)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def content(self) -> dict[str, Any]:
        """Everything the digest covers, as JSON-safe values."""
        return {
            "tenant_id": str(self.tenant_id),
            "id": str(self.id),
            "occurred_at": self.occurred_at.astimezone(UTC).isoformat(),
            "actor_kind": self.actor_kind,
            "actor_user_id": _opt(self.actor_user_id),
            "actor_token_id": _opt(self.actor_token_id),
            "action": self.action,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "changes": self.changes,
            "request_id": self.request_id,
            "ip": self.ip,
            "user_agent": self.user_agent,
        }


def _opt(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def digest(content: dict[str, Any]) -> bytes:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).digest()


def link(prev_hash: bytes, entry_digest: bytes) -> bytes:
    return hashlib.sha256(prev_hash + entry_digest).digest()


def append(sync_session: Session, entries: list[Entry]) -> None:
    """Write ``entries`` (all of the transaction's current tenant) at the end of its chain."""
    if not entries:
        return
    payload = [{**entry.content(), "digest": digest(entry.content()).hex()} for entry in entries]
    sync_session.execute(
        text(f"SELECT {APPEND_FUNCTION}(:tenant_id, CAST(:entries AS jsonb))"),
        {"tenant_id": entries[0].tenant_id, "entries": json.dumps(payload)},
    )


def entry_content(row: AuditEntry) -> dict[str, Any]:
    return Entry(
        tenant_id=row.tenant_id,
        id=row.id,
        occurred_at=row.occurred_at,
        actor_kind=row.actor_kind,
        actor_user_id=row.actor_user_id,
        actor_token_id=row.actor_token_id,
        action=row.action,
        record_type=row.record_type,
        record_id=row.record_id,
        changes=row.changes,
        request_id=row.request_id,
        ip=row.ip,
        user_agent=row.user_agent,
    ).content()


@dataclass(frozen=True, slots=True)
class Verdict:
    tenant_id: uuid.UUID
    entries: int
    #: The first entry whose content or link does not match, or None if the chain is whole.
    broken_seq: int | None = None
    broken_id: uuid.UUID | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and self.reason is None


async def verify(db: AsyncSession, tenant_id: uuid.UUID, *, batch: int = 2000) -> Verdict:
    """Recompute the tenant's chain from its first entry (the tenant context must be set)."""
    prev, expected_seq, count = GENESIS, 1, 0
    async for row in _entries_in_order(db, batch):
        count += 1
        problem = None
        if row.seq != expected_seq:
            problem = f"sequence jumps from {expected_seq - 1} to {row.seq} (entries missing)"
        elif row.prev_hash != prev:
            problem = "its link to the previous entry does not match"
        elif row.hash != link(prev, digest(entry_content(row))):
            problem = "its content was changed after it was written"
        if problem:
            return Verdict(tenant_id, count, row.seq, row.id, problem)
        prev, expected_seq = row.hash, expected_seq + 1
    head = await db.get(AuditChain, tenant_id)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        return Verdict(tenant_id, count, reason="the newest entries were removed")
    return Verdict(tenant_id, count)


async def _entries_in_order(db: AsyncSession, batch: int) -> AsyncIterator[AuditEntry]:
    after = 0
    while True:
        rows = (
            (
                await db.execute(
                    select(AuditEntry)
                    .where(AuditEntry.seq > after)
                    .order_by(AuditEntry.seq)
                    .limit(batch)
                )
            )
            .scalars()
            .all()
        )
        for row in rows:
            yield row
        if len(rows) < batch:
            return
        after = rows[-1].seq
        db.expunge_all()
