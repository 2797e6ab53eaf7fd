"""Every create, update and delete of a tenant-owned record is audited, in its transaction.

Plugins do nothing for this: sessions made by the platform are :class:`AuditedSession`s,
whose flush events turn each changed ORM object into an :class:`~tessera.audit.chain.Entry`
and whose commit appends the entries to the tenant's chain. Bulk UPDATE/DELETE statements
on tenant-owned models would slip past the flush, so they are refused.
"""

from __future__ import annotations

import dataclasses
import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.orm.attributes import get_history

from tessera.audit.chain import Entry, append
from tessera.db.base import TenantModel
from tessera.db.tenant_context import TENANT_SETTING

#: Columns whose values never reach the audit trail.
SECRET_COLUMNS = frozenset({"password_hash", "secret_hash", "token_hash", "csrf_token"})
MASK = "***"
#: Bookkeeping columns: a change to them alone is not a change worth an entry.
_SKIPPED = frozenset({"tenant_id", "id", "created_at", "updated_at"})
_PENDING = "tessera.audit.pending"
_CONTEXT = "tessera.audit.context"
_SET_TENANT = text(f"SELECT set_config('{TENANT_SETTING}', :tenant_id, true)")


@dataclasses.dataclass(frozen=True, slots=True)
class AuditContext:
    """Who is acting and from where; stamped on every entry of the transaction."""

    actor_kind: str = "system"
    actor_user_id: uuid.UUID | None = None
    actor_token_id: uuid.UUID | None = None
    request_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None


class AuditBypassError(RuntimeError):
    """A bulk statement would change tenant-owned rows without audit entries."""


class AuditedSession(Session):
    """The session class of the platform's session factories."""


def set_context(session: Session, context: AuditContext) -> None:
    session.info[_CONTEXT] = context


def get_context(session: Session) -> AuditContext:
    context: AuditContext = session.info.get(_CONTEXT) or AuditContext()
    return context


def record(
    session: Session,
    tenant_id: uuid.UUID,
    action: str,
    *,
    record_type: str | None = None,
    record_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Queue an entry that is not a record change (a log-in, a module switch …)."""
    _pending(session).append(
        _entry(session, tenant_id, action, record_type, record_id, details or {})
    )


def is_audited(obj: object) -> bool:
    return isinstance(obj, TenantModel) and getattr(type(obj), "__audit__", True)


def _pending(session: Session) -> list[Entry]:
    pending: list[Entry] = session.info.setdefault(_PENDING, [])
    return pending


def _entry(
    session: Session,
    tenant_id: uuid.UUID,
    action: str,
    record_type: str | None,
    record_id: str | None,
    changes: dict[str, Any],
) -> Entry:
    context = get_context(session)
    return Entry(
        tenant_id=tenant_id,
        action=action,
        record_type=record_type,
        record_id=record_id,
        changes=changes,
        actor_kind=context.actor_kind,
        actor_user_id=context.actor_user_id,
        actor_token_id=context.actor_token_id,
        request_id=context.request_id,
        ip=context.ip,
        user_agent=context.user_agent,
    )


def json_safe(value: Any) -> Any:
    """A value as the audit trail keeps it: JSON without floats (they do not round-trip)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, uuid.UUID | Decimal | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return str(value)


def _shown(column: str, value: Any) -> Any:
    return MASK if column in SECRET_COLUMNS and value is not None else json_safe(value)


def _columns(obj: TenantModel) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs if attr.key not in _SKIPPED]


def changes_of(obj: TenantModel, action: str) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for key in _columns(obj):
        if action == "create":
            # The state's own dict: reading a server default would cost a query per object.
            value = inspect(obj).dict.get(key)
            if value is not None:
                changes[key] = [None, _shown(key, value)]
        elif action == "delete":
            history = get_history(obj, key)
            value = (history.deleted or history.unchanged or [getattr(obj, key, None)])[0]
            if value is not None:
                changes[key] = [_shown(key, value), None]
        else:
            history = get_history(obj, key)
            if history.has_changes():
                before = history.deleted[0] if history.deleted else None
                after = history.added[0] if history.added else None
                if before != after:
                    changes[key] = [_shown(key, before), _shown(key, after)]
    return changes


@event.listens_for(AuditedSession, "after_flush")
def _collect(session: Session, flush_context: UOWTransaction) -> None:
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not is_audited(obj):
                continue
            changes = changes_of(obj, action)
            if action == "update" and not changes:
                continue
            _pending(session).append(
                _entry(session, obj.tenant_id, action, obj.__tablename__, str(obj.id), changes)
            )


@event.listens_for(AuditedSession, "before_commit")
def _write(session: Session) -> None:
    # Commit flushes only after this event; flush first so the last changes are collected.
    session.flush()
    pending = session.info.pop(_PENDING, [])
    by_tenant: dict[uuid.UUID, list[Entry]] = {}
    for entry in pending:
        by_tenant.setdefault(entry.tenant_id, []).append(entry)
    for tenant_id, entries in by_tenant.items():
        # Row-level security admits only the current tenant's rows: write each tenant's
        # entries under its own context (almost always the one the transaction already has).
        session.execute(_SET_TENANT, {"tenant_id": str(tenant_id)})
        append(session, entries)


@event.listens_for(AuditedSession, "after_soft_rollback")
def _discard(session: Session, previous_transaction: Any) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(AuditedSession, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if (
        mapper is not None
        and issubclass(mapper.class_, TenantModel)
        and getattr(mapper.class_, "__audit__", True)
    ):
        raise AuditBypassError(
            f"bulk {'UPDATE' if state.is_update else 'DELETE'} of {mapper.class_.__name__} "
            "would not be audited; change the objects through the session instead"
        )
