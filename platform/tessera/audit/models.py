"""The audit trail: append-only, hash-chained per tenant, written by the database itself.

Each entry's ``hash`` is SHA-256 of the previous entry's hash followed by the entry's digest
(``tessera_audit_digest``: SHA-256 of its canonical content). ``audit_chain`` holds each
tenant's latest sequence number and hash; appending locks that one row, so a tenant's entries
form one unbroken line. The runtime role may INSERT and SELECT entries, never UPDATE, DELETE
or TRUNCATE them. See migration 0002 for the trigger and functions.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tessera.db.base import Base


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_record", "tenant_id", "record_type", "record_id", "seq"),
        Index("ix_audit_entry_actor", "tenant_id", "actor_user_id", "seq"),
        Index("ix_audit_entry_occurred_at", "tenant_id", "occurred_at"),
    )
    #: The trail does not audit itself.
    __audit__ = False

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="RESTRICT"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    occurred_at: Mapped[datetime]
    #: ``user`` (a session), ``token`` (an API token), ``system`` (CLI, jobs) or ``anonymous``.
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[uuid.UUID | None]
    actor_token_id: Mapped[uuid.UUID | None]
    #: create, update, delete, restore, or an event (login, login_failed, module_enabled …).
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str | None] = mapped_column(String(100))
    record_id: Mapped[str | None] = mapped_column(String(100))
    #: ``{field: [before, after]}``; secrets appear as "***".
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class AuditChain(Base):
    """The head of a tenant's chain: its last sequence number and hash."""

    __tablename__ = "audit_chain"
    __audit__ = False

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenant.id", ondelete="RESTRICT"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))
