"""The approval centre: a member's lists (to approve, done, my requests, copied to me), one
approval in full, and who may read it.

Every list is a keyset page in a fixed order and reads one index (see the models). Titles
come from the records themselves, one query per record type on the page, never one per row.
An approval is readable by its requester, anyone who holds or held a task on it, anyone
copied on it, and holders of ``workflow.instance.read`` or ``workflow.definition.manage``;
to anyone else it does not exist (404), as it does not for another tenant.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.db.roles import quote_ident
from tessera.errors import NotFound
from tessera.identity.service import Actor
from tessera.modules.registry import PluginRegistry
from tessera.unit_of_work import UnitOfWork
from tessera.workflow import attachments
from tessera.workflow.definitions import enabled_approvable
from tessera.workflow.models import ACTED, Action, Cc, DefinitionVersion, Instance, Task
from tessera.workflow.service import READ_ALL
from tessera.workflow.types import Approvable

MANAGE = "workflow.definition.manage"
#: Statuses are written into the statements as literals: a partial index on them is used only
#: where the planner sees the values themselves, which a prepared statement's parameters hide.


def _enabled_types(registry: PluginRegistry, actor: Actor) -> list[str]:
    return [r for r in registry.approvables() if enabled_approvable(registry, actor.modules, r)]


# --- Lists --------------------------------------------------------------------------------

#: The inbox is a hot read (decision 28): plain SQL on the driver, prepared once per
#: connection, no ORM. It reads ix_workflow_task_pending in order and joins each task's
#: instance by its key; ``$2`` is the record types of the caller's enabled modules.
_INBOX_COLUMNS = """
SELECT t.id, t.instance_id, t.step_index, t.step_name, t.assignee_user_id, t.status, t.due_at,
       t.acted_at, t.comment, t.replaces_id, t.created_at,
       i.record_type, i.record_id, i.requester_user_id, i.created_at AS submitted_at
  FROM workflow_task t
  JOIN workflow_instance i ON i.tenant_id = t.tenant_id AND i.id = t.instance_id
 WHERE t.assignee_user_id = $1 AND t.status = 'pending' AND i.record_type = ANY($2::varchar[])
"""
INBOX_SQL = _INBOX_COLUMNS + " ORDER BY t.id LIMIT $3"
INBOX_AFTER_SQL = _INBOX_COLUMNS + " AND t.id > $4 ORDER BY t.id LIMIT $3"


async def inbox(
    uow: UnitOfWork,
    registry: PluginRegistry,
    actor: Actor,
    *,
    after: uuid.UUID | None,
    limit: int,
) -> Sequence[Any]:
    """The caller's open tasks with their instances' record and requester, oldest first."""
    types = _enabled_types(registry, actor)
    if after is None:
        return await uow.fetch(INBOX_SQL, actor.user_id, types, limit)
    return await uow.fetch(INBOX_AFTER_SQL, actor.user_id, types, limit, after)


#: An approval's columns in a list row (``approval_*`` where a task's would clash).
APPROVAL_COLUMNS = """i.id AS approval_id, i.record_type, i.record_id,
       i.status AS approval_status, i.current_step, i.requester_user_id,
       i.created_at AS approval_created_at, i.finished_at"""
_ACTED_IN = ", ".join(repr(status) for status in ACTED)
_DONE = f"""
SELECT t.id, t.instance_id, t.step_index, t.step_name, t.assignee_user_id, t.status, t.due_at,
       t.acted_at, t.comment, t.replaces_id, t.created_at, {APPROVAL_COLUMNS}
  FROM workflow_task t
  JOIN workflow_instance i ON i.tenant_id = t.tenant_id AND i.id = t.instance_id
 WHERE t.assignee_user_id = $1 AND t.status IN ({_ACTED_IN})
   AND i.record_type = ANY($2::varchar[])
"""  # noqa: S608 -- only this module's constants are spliced in; values are parameters
_DONE_ORDER = " ORDER BY t.acted_at DESC, t.id DESC LIMIT $3"
DONE_SQL = _DONE + _DONE_ORDER
# A row comparison: the index on (acted_at, id) starts right after the cursor.
DONE_AFTER_SQL = _DONE + " AND (t.acted_at, t.id) < ($4::timestamptz, $5::uuid)" + _DONE_ORDER
_SUBMISSIONS = f"""
SELECT {APPROVAL_COLUMNS}
  FROM workflow_instance i
 WHERE i.requester_user_id = $1 AND i.record_type = ANY($2::varchar[])
   AND ($4::varchar IS NULL OR i.status = $4)
"""  # noqa: S608 -- only this module's constants are spliced in
_NEWEST = " ORDER BY i.id DESC LIMIT $3"
SUBMISSIONS_SQL = _SUBMISSIONS + _NEWEST
SUBMISSIONS_AFTER_SQL = _SUBMISSIONS + " AND i.id < $5" + _NEWEST
_COPIED = f"""
SELECT c.id, c.step_index, c.created_at AS copied_at, {APPROVAL_COLUMNS}
  FROM workflow_cc c
  JOIN workflow_instance i ON i.tenant_id = c.tenant_id AND i.id = c.instance_id
 WHERE c.user_id = $1 AND i.record_type = ANY($2::varchar[])
"""  # noqa: S608 -- only this module's constants are spliced in
_COPIED_ORDER = " ORDER BY c.id DESC LIMIT $3"
COPIED_SQL = _COPIED + _COPIED_ORDER
COPIED_AFTER_SQL = _COPIED + " AND c.id < $4" + _COPIED_ORDER


async def done(
    uow: UnitOfWork,
    registry: PluginRegistry,
    actor: Actor,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Any]:
    """Tasks the caller approved, rejected, returned or handed on; latest decision first."""
    types = _enabled_types(registry, actor)
    if after is None:
        return await uow.fetch(DONE_SQL, actor.user_id, types, limit)
    return await uow.fetch(DONE_AFTER_SQL, actor.user_id, types, limit, *after)


async def submissions(
    uow: UnitOfWork,
    registry: PluginRegistry,
    actor: Actor,
    *,
    status: str | None,
    after: uuid.UUID | None,
    limit: int,
) -> Sequence[Any]:
    """Approvals the caller requested, newest first (ids are time-ordered)."""
    types = _enabled_types(registry, actor)
    if after is None:
        return await uow.fetch(SUBMISSIONS_SQL, actor.user_id, types, limit, status)
    return await uow.fetch(SUBMISSIONS_AFTER_SQL, actor.user_id, types, limit, status, after)


async def copied(
    uow: UnitOfWork,
    registry: PluginRegistry,
    actor: Actor,
    *,
    after: uuid.UUID | None,
    limit: int,
) -> Sequence[Any]:
    """Approvals the caller was copied on, the latest copy first."""
    types = _enabled_types(registry, actor)
    if after is None:
        return await uow.fetch(COPIED_SQL, actor.user_id, types, limit)
    return await uow.fetch(COPIED_AFTER_SQL, actor.user_id, types, limit, after)


# --- Titles -------------------------------------------------------------------------------


def title_sql(approvable: Approvable) -> str | None:
    """One record type's titles by id (``$1``: the ids), or None if it names no title field."""
    if approvable.title_field is None:
        return None
    table = approvable.model.__table__
    column = table.c[approvable.title_field].name
    # Identifiers from the plugin's own model, quoted; the ids are a parameter.
    return (
        f"SELECT id, {quote_ident(column)}::text FROM {quote_ident(table.name)} "  # noqa: S608
        "WHERE id = ANY($1::uuid[])"
    )


async def hot_titles(
    uow: UnitOfWork, registry: PluginRegistry, records: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """Titles of ``(record_type, record_id)`` pairs in a hot read: one statement per type."""
    by_type: dict[str, set[uuid.UUID]] = defaultdict(set)
    for record_type, record_id in records:
        wanted = _record_uuid(record_id)
        if wanted is not None:
            by_type[record_type].add(wanted)
    found: dict[tuple[str, str], str] = {}
    for record_type, ids in by_type.items():
        approvable = registry.approvables().get(record_type)
        sql = title_sql(approvable) if approvable is not None else None
        if sql is None:
            continue
        for record_id, title in await uow.fetch(sql, list(ids)):
            if title is not None:
                found[(record_type, str(record_id))] = title
    return found


def _record_uuid(record_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(record_id)
    except ValueError:
        return None


async def titles(
    db: AsyncSession, registry: PluginRegistry, instances: Iterable[Instance]
) -> dict[uuid.UUID, str]:
    """Each instance's record title (by instance id), for record types that name a title field.

    One query per record type, whatever the number of rows. An instance whose record is gone
    (or whose type has no title field) is absent: the caller shows the label and a short id.
    """
    by_type: dict[str, dict[uuid.UUID, list[uuid.UUID]]] = defaultdict(lambda: defaultdict(list))
    for instance in instances:
        record_id = _record_uuid(instance.record_id)
        if record_id is not None:
            by_type[instance.record_type][record_id].append(instance.id)
    found: dict[uuid.UUID, str] = {}
    for record_type, records in by_type.items():
        approvable = registry.approvables().get(record_type)
        if approvable is None or approvable.title_field is None:
            continue
        model = approvable.model
        title = getattr(model, approvable.title_field)
        rows = await db.execute(select(model.id, title).where(model.id.in_(list(records))))
        for record_id, value in rows:
            if value is not None:
                for instance_id in records[record_id]:
                    found[instance_id] = str(value)
    return found


# --- One approval -------------------------------------------------------------------------


def _reader_of(actor: Actor) -> ColumnElement[bool]:
    """SQL: the caller requested the instance, holds or held a task on it, or was copied."""
    return or_(
        Instance.requester_user_id == actor.user_id,
        exists().where(
            Task.tenant_id == Instance.tenant_id,
            Task.instance_id == Instance.id,
            Task.assignee_user_id == actor.user_id,
        ),
        exists().where(
            Cc.tenant_id == Instance.tenant_id,
            Cc.instance_id == Instance.id,
            Cc.user_id == actor.user_id,
        ),
    )


async def readable(
    db: AsyncSession, registry: PluginRegistry, actor: Actor, instance_id: uuid.UUID
) -> tuple[Instance, Approvable]:
    """The instance if the caller may read it; 404 (never 403) otherwise."""
    query = select(Instance).where(Instance.id == instance_id)
    if not (actor.can(READ_ALL) or actor.can(MANAGE)):
        query = query.where(_reader_of(actor))
    instance = (await db.scalars(query)).one_or_none()
    approvable = None
    if instance is not None:
        approvable = enabled_approvable(registry, actor.modules, instance.record_type)
    if instance is None or approvable is None:
        raise NotFound("No such approval.")
    return instance, approvable


@dataclass(frozen=True, slots=True)
class Detail:
    instance: Instance
    approvable: Approvable
    version: int
    title: str | None
    #: The approvable's summary fields and the record's values (None: the record is gone).
    summary: list[tuple[str, Any]]
    tasks: list[Task]
    actions: list[Action]
    files: list[attachments.Attached]


async def _summary(
    db: AsyncSession, approvable: Approvable, record_id: str
) -> list[tuple[str, Any]]:
    wanted = _record_uuid(record_id)
    if not approvable.summary_fields or wanted is None:
        return []
    model = approvable.model
    columns = [getattr(model, name) for name in approvable.summary_fields]
    row = (await db.execute(select(*columns).where(model.id == wanted))).first()
    if row is None:
        return []
    return list(zip(approvable.summary_fields, row, strict=True))


async def detail(
    db: AsyncSession, registry: PluginRegistry, actor: Actor, instance_id: uuid.UUID
) -> Detail:
    """One approval in full: its record's title and summary, its tasks, actions and files."""
    instance, approvable = await readable(db, registry, actor, instance_id)
    version = (
        await db.scalars(
            select(DefinitionVersion.version).where(DefinitionVersion.id == instance.version_id)
        )
    ).one()
    tasks = (
        await db.scalars(select(Task).where(Task.instance_id == instance.id).order_by(Task.id))
    ).all()
    actions = (
        await db.scalars(
            select(Action).where(Action.instance_id == instance.id).order_by(Action.id)
        )
    ).all()
    files = await attachments.of_actions(db, [a.id for a in actions])
    title = (await titles(db, registry, [instance])).get(instance.id)
    summary = await _summary(db, approvable, instance.record_id)
    return Detail(instance, approvable, version, title, summary, list(tasks), list(actions), files)


async def attachment(
    db: AsyncSession,
    registry: PluginRegistry,
    actor: Actor,
    instance_id: uuid.UUID,
    file_id: uuid.UUID,
) -> None:
    """Nothing if the caller may read the instance and the file is attached to it; 404 else."""
    instance, _ = await readable(db, registry, actor, instance_id)
    await attachments.file_of_instance(db, instance.id, file_id)
