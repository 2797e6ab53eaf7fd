"""While a record waits for approval, its guarded fields cannot change, and it cannot be deleted.

Enforced for every approvable model at once, before any flush of a platform session: plugins
write no code for it, and no route of theirs can forget it. The check costs nothing unless a
flush changes a declared field of an approvable model; then it is one indexed query.

The plugin registry imports this module, so wherever plugins are loaded the lock is on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select, tuple_
from sqlalchemy.orm import Session, UOWTransaction

from tessera.errors import Conflict
from tessera.recycle.capture import PlatformSession
from tessera.workflow.models import DefinitionVersion, Instance
from tessera.workflow.types import Approvable

#: (record type, record id) -> the declared fields the flush changes (all of them on delete).
Touched = dict[tuple[str, str], set[str]]


def _approvables_by_model() -> dict[type[Any], Approvable]:
    # Imported here: the registry imports this module (so that every process that loads
    # plugins — web, worker, CLI — has the lock), and this module needs the registry.
    from tessera.modules.registry import installed_plugins

    return {a.model: a for a in installed_plugins().approvables().values()}


def _changed_fields(obj: object, approvable: Approvable) -> set[str]:
    state = inspect(obj)
    return {name for name in approvable.fields if state.attrs[name].history.has_changes()}


def _touched(session: Session) -> tuple[Touched, set[tuple[str, str]]]:
    approvables = _approvables_by_model()
    if not approvables:
        return {}, set()
    touched: Touched = {}
    deleted: set[tuple[str, str]] = set()
    for obj in session.dirty:
        approvable = approvables.get(type(obj))
        if approvable is not None and (changed := _changed_fields(obj, approvable)):
            touched[(approvable.record_type, str(obj.id))] = changed
    for obj in session.deleted:
        approvable = approvables.get(type(obj))
        if approvable is not None:
            key = (approvable.record_type, str(obj.id))
            touched[key] = set(approvable.fields)
            deleted.add(key)
    return touched, deleted


@event.listens_for(PlatformSession, "before_flush")
def _refuse_locked_changes(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    touched, deleted = _touched(session)
    if not touched:
        return
    query = (
        select(Instance.record_type, Instance.record_id, DefinitionVersion.guarded_fields)
        .join(
            DefinitionVersion,
            (DefinitionVersion.tenant_id == Instance.tenant_id)
            & (DefinitionVersion.id == Instance.version_id),
        )
        .where(
            Instance.status == "pending",
            tuple_(Instance.record_type, Instance.record_id).in_(list(touched)),
        )
    )
    for record_type, record_id, guarded in session.execute(query):
        key = (record_type, record_id)
        if key in deleted:
            raise Conflict("This record is waiting for approval and cannot be deleted.")
        locked = sorted(touched[key] & set(guarded))
        if locked:
            raise Conflict(
                f"This record is waiting for approval: {', '.join(locked)} cannot change until "
                "the approval ends."
            )
