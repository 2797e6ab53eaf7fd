"""Who is acting, for the database's audit trigger; and audit events that are not row changes.

Row changes are audited by the database (the ``audit`` trigger on every tenant-owned table),
so no change escapes it — not a plugin's, not a bulk statement's. What the trigger cannot know
is who is acting and from where: :func:`set_context` prepares it, and it travels to the
database with the tenant setting (``tessera.db.tenant_context``), or just before the next
flush if it changed after that. Events such as log-ins are queued with :func:`record` and
written when the transaction commits.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from tessera.db.tenant_context import CONTEXT_KEY, context_statement, forget_transaction

_PENDING = "tessera.audit.pending"
_CONTEXT = "tessera.audit.context"
_WRITE = text(
    "SELECT tessera_audit_write(:tenant_id, :action, :record_type, :record_id, "
    "CAST(:changes AS jsonb), CAST(:context AS jsonb))"
)


@dataclasses.dataclass(frozen=True, slots=True)
class AuditContext:
    """Who is acting and from where; stamped on every entry of the transaction."""

    actor_kind: str = "system"
    actor_user_id: uuid.UUID | None = None
    actor_token_id: uuid.UUID | None = None
    request_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    #: Rows inserted now are records coming back from the recycle bin.
    restoring: bool = False

    def as_json(self) -> str:
        return json.dumps(
            {
                "kind": self.actor_kind,
                "user": str(self.actor_user_id) if self.actor_user_id else None,
                "token": str(self.actor_token_id) if self.actor_token_id else None,
                "request": self.request_id,
                "ip": self.ip,
                "ua": self.user_agent,
                "restoring": self.restoring,
            }
        )


class AuditedSession(Session):
    """The session class of the platform's session factories."""


def set_context(session: Session, context: AuditContext) -> None:
    session.info[_CONTEXT] = context
    session.info[CONTEXT_KEY] = context.as_json()


def get_context(session: Session) -> AuditContext:
    context: AuditContext = session.info.get(_CONTEXT) or AuditContext()
    return context


def sync_context(session: Session) -> None:
    """Send a changed context now (before writes that do not go through a flush)."""
    pending = context_statement(session)
    if pending is not None:
        session.execute(*pending)


@dataclasses.dataclass(frozen=True, slots=True)
class _Event:
    tenant_id: uuid.UUID
    action: str
    record_type: str | None
    record_id: str | None
    details: dict[str, Any]
    context: AuditContext


def record(
    session: Session,
    tenant_id: uuid.UUID,
    action: str,
    *,
    record_type: str | None = None,
    record_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Queue an entry that is not a row change (a log-in, a module switch …)."""
    pending: list[_Event] = session.info.setdefault(_PENDING, [])
    pending.append(
        _Event(
            tenant_id,
            action,
            record_type,
            record_id,
            json_safe(details or {}),
            get_context(session),
        )
    )


def json_safe(value: Any) -> Any:
    """A value as the audit trail keeps it in an event's details."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, uuid.UUID | Decimal | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return str(value)


def audit_event(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    action: str,
    *,
    record_type: str | None = None,
    record_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add an entry that is not a row change (a merge, an import) to the tenant's audit trail.

    It is written when the transaction commits, after the row changes the trigger recorded, and
    not at all if the transaction rolls back: ``audit_event(uow.db, tenant, "merge", …)``.
    """
    record(
        db.sync_session,
        tenant_id,
        action,
        record_type=record_type,
        record_id=record_id,
        details=details,
    )


@event.listens_for(AuditedSession, "before_flush")
def _send_changed_context(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    sync_context(session)


@event.listens_for(AuditedSession, "before_commit")
def _write_events(session: Session) -> None:
    pending: list[_Event] = session.info.pop(_PENDING, [])
    if not pending:
        return
    # Commit flushes only after this event; flush first so events follow the changes.
    session.flush()
    for item in pending:
        session.execute(
            _WRITE,
            {
                "tenant_id": item.tenant_id,
                "action": item.action,
                "record_type": item.record_type,
                "record_id": item.record_id,
                "changes": json.dumps(item.details),
                "context": item.context.as_json(),
            },
        )


@event.listens_for(AuditedSession, "after_commit")
def _after_commit(session: Session) -> None:
    forget_transaction(session)


@event.listens_for(AuditedSession, "after_soft_rollback")
def _discard(session: Session, previous_transaction: Any) -> None:
    session.info.pop(_PENDING, None)
    forget_transaction(session)
