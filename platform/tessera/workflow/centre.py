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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, literal_column, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.errors import NotFound
from tessera.identity.service import Actor
from tessera.modules.registry import PluginRegistry
from tessera.workflow import attachments
from tessera.workflow.definitions import enabled_approvable
from tessera.workflow.models import ACTED, Action, Cc, DefinitionVersion, Instance, Task
from tessera.workflow.service import READ_ALL
from tessera.workflow.types import Approvable

MANAGE = "workflow.definition.manage"
#: The statuses as SQL literals: the partial index on them is used only where the planner
#: sees the values themselves, which a prepared statement's parameters hide.
_ACTED_SQL: list[ColumnElement[str]] = [literal_column(repr(status)) for status in ACTED]


def _enabled_types(registry: PluginRegistry, actor: Actor) -> list[str]:
    return [r for r in registry.approvables() if enabled_approvable(registry, actor.modules, r)]


def _instance_join() -> ColumnElement[bool]:
    return (Instance.tenant_id == Task.tenant_id) & (Instance.id == Task.instance_id)


# --- Lists --------------------------------------------------------------------------------


async def done(
    db: AsyncSession,
    registry: PluginRegistry,
    actor: Actor,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[tuple[Task, Instance]]:
    """Tasks the caller approved, rejected, returned or handed on; latest decision first."""
    query = (
        select(Task, Instance)
        .join(Instance, _instance_join())
        .where(
            Task.assignee_user_id == actor.user_id,
            Task.status.in_(_ACTED_SQL),
            Instance.record_type.in_(_enabled_types(registry, actor)),
        )
        .order_by(Task.acted_at.desc(), Task.id.desc())
        .limit(limit)
    )
    if after is not None:
        # A row comparison: the index on (acted_at, id) starts right after the cursor.
        query = query.where(tuple_(Task.acted_at, Task.id) < tuple_(*after))
    return [(row[0], row[1]) for row in (await db.execute(query)).all()]


async def submissions(
    db: AsyncSession,
    registry: PluginRegistry,
    actor: Actor,
    *,
    status: str | None,
    after: uuid.UUID | None,
    limit: int,
) -> list[Instance]:
    """Approvals the caller requested, newest first (ids are time-ordered)."""
    query = (
        select(Instance)
        .where(
            Instance.requester_user_id == actor.user_id,
            Instance.record_type.in_(_enabled_types(registry, actor)),
        )
        .order_by(Instance.id.desc())
        .limit(limit)
    )
    if status is not None:
        query = query.where(Instance.status == status)
    if after is not None:
        query = query.where(Instance.id < after)
    return list((await db.scalars(query)).all())


async def copied(
    db: AsyncSession,
    registry: PluginRegistry,
    actor: Actor,
    *,
    after: uuid.UUID | None,
    limit: int,
) -> list[tuple[Cc, Instance]]:
    """Approvals the caller was copied on, the latest copy first."""
    query = (
        select(Cc, Instance)
        .join(Instance, (Instance.tenant_id == Cc.tenant_id) & (Instance.id == Cc.instance_id))
        .where(
            Cc.user_id == actor.user_id,
            Instance.record_type.in_(_enabled_types(registry, actor)),
        )
        .order_by(Cc.id.desc())
        .limit(limit)
    )
    if after is not None:
        query = query.where(Cc.id < after)
    return [(row[0], row[1]) for row in (await db.execute(query)).all()]


# --- Titles -------------------------------------------------------------------------------


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
