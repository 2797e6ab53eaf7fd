"""Workflow definitions: creating, versioning, switching on and off, listing.

A definition belongs to one approvable record type of a module the tenant enabled. Saving
steps never edits a version in place: it adds the next one, so a running instance keeps the
version it started with.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.access import service as access
from tessera.errors import Conflict, Invalid, NotFound
from tessera.identity import directory
from tessera.modules.registry import PluginRegistry
from tessera.workflow.models import Definition, DefinitionVersion
from tessera.workflow.templates import add_version
from tessera.workflow.types import (
    BUILTIN_ROLE_NAMES,
    MANAGER,
    Approvable,
    Step,
    check_guarded,
    check_steps,
)

_KEY = re.compile(r"^[a-z][a-z0-9_.\-]{2,79}$")
MAX_SCOPE = 100


def enabled_approvable(
    registry: PluginRegistry, modules: frozenset[str], record_type: str
) -> Approvable | None:
    """The approvable record type, if its module is switched on for the tenant."""
    approvable = registry.approvables().get(record_type)
    if approvable is None or approvable.module not in modules:
        return None
    return approvable


def _approvable_for_definition(
    registry: PluginRegistry, modules: frozenset[str], record_type: str
) -> Approvable:
    approvable = enabled_approvable(registry, modules, record_type)
    if approvable is None:
        raise Invalid("record_type", "not an approvable record type of an enabled module")
    return approvable


async def _checked_steps(
    db: AsyncSession, approvable: Approvable, steps: Sequence[Step]
) -> list[Step]:
    """Shape and conditions first (no database), then that named people and roles exist here."""
    checked = check_steps(steps, approvable.field_types(), user_fields=approvable.user_fields)
    return [await _resolved_people(db, step, index) for index, step in enumerate(checked)]


async def _resolved_people(db: AsyncSession, step: Step, index: int) -> Step:
    path = f"steps[{index}]"
    users = step.users
    if users:
        known = await directory.user_ids_of(db, users)
        for position, user in enumerate(users):
            if user not in known:
                raise Invalid(f"{path}.users[{position}]", "not a member of this tenant")
        # Stored as user ids, whichever id (user or membership) the admin sent.
        users = tuple(dict.fromkeys(known[u] for u in users))
    custom_role = step.approvers == "role" and step.role not in BUILTIN_ROLE_NAMES
    if custom_role and not await access.role_exists(db, uuid.UUID(str(step.role))):
        raise Invalid(f"{path}.role", "no such role in this tenant")
    escalate_to = step.escalate_to
    if escalate_to is not None and escalate_to != MANAGER:
        known = await directory.user_ids_of(db, [uuid.UUID(escalate_to)])
        if not known:
            raise Invalid(f"{path}.escalate_to", "not a member of this tenant")
        escalate_to = str(next(iter(known.values())))
    cc = await _members(db, step.cc, f"{path}.cc")
    return replace(step, users=users, escalate_to=escalate_to, cc=cc)


async def _members(db: AsyncSession, ids: Sequence[uuid.UUID], path: str) -> tuple[uuid.UUID, ...]:
    """``ids`` as user ids of members of this tenant; :class:`Invalid` naming the first not."""
    known = await directory.user_ids_of(db, ids)
    for position, user in enumerate(ids):
        if user not in known:
            raise Invalid(f"{path}[{position}]", "not a member of this tenant")
    return tuple(dict.fromkeys(known[u] for u in ids))


def checked_scope(approvable: Approvable, scope: str | None) -> str | None:
    """A scope only for record types that have one (``Approvable.scope_field``), ≤ 100 chars."""
    if scope is None:
        return None
    if approvable.scope_field is None:
        raise Invalid("scope", f"{approvable.record_type!r} has no per-record workflows")
    if not scope.strip() or len(scope) > MAX_SCOPE or scope != scope.strip():
        raise Invalid("scope", f"must be 1 to {MAX_SCOPE} characters, without surrounding spaces")
    return scope


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name", "must not be empty")
    return cleaned


async def create(
    db: AsyncSession,
    registry: PluginRegistry,
    *,
    tenant_id: uuid.UUID,
    modules: frozenset[str],
    actor_user_id: uuid.UUID,
    key: str,
    record_type: str,
    name: str,
    steps: Sequence[Step],
    guarded_fields: Sequence[str],
    scope: str | None = None,
    reserved_key: bool = False,
) -> Definition:
    """A new active definition. ``reserved_key``: the key is the platform's own (see
    :mod:`tessera.workflow.attached`), outside what an admin may choose."""
    if not reserved_key and not _KEY.fullmatch(key):
        raise Invalid(
            "key", "3-80 lowercase letters, digits, '.', '_' or '-', starting with a letter"
        )
    approvable = _approvable_for_definition(registry, modules, record_type)
    scope = checked_scope(approvable, scope)
    name = _clean_name(name)
    checked = await _checked_steps(db, approvable, steps)
    guarded = check_guarded(guarded_fields, approvable.fields)
    if (await db.execute(select(Definition.id).where(Definition.key == key))).first():
        raise Conflict(f"A workflow already has the key {key!r}.")
    await _no_other_active(db, record_type, scope)
    definition = Definition(
        tenant_id=tenant_id, key=key, record_type=record_type, name=name, active=True, scope=scope
    )
    db.add(definition)
    await db.flush()
    add_version(
        db, definition, version=1, steps=checked, guarded_fields=guarded, created_by=actor_user_id
    )
    await db.flush()
    return definition


def same_scope(scope: str | None) -> ColumnElement[bool]:
    """SQL: the definition is of this scope (None: unscoped)."""
    return Definition.scope.is_(None) if scope is None else Definition.scope == scope


async def _no_other_active(
    db: AsyncSession, record_type: str, scope: str | None, except_id: uuid.UUID | None = None
) -> None:
    query = select(Definition.name).where(
        Definition.record_type == record_type, Definition.active, same_scope(scope)
    )
    if except_id is not None:
        query = query.where(Definition.id != except_id)
    other = (await db.scalars(query)).first()
    if other is not None:
        what = record_type if scope is None else f"{record_type} ({scope})"
        raise Conflict(
            f"The workflow {other!r} is already active for {what!r}; deactivate it first."
        )


async def get(
    db: AsyncSession, registry: PluginRegistry, modules: frozenset[str], definition_id: uuid.UUID
) -> tuple[Definition, DefinitionVersion]:
    """The definition and its current version; 404 if its module is off for the tenant."""
    definition = (
        await db.scalars(select(Definition).where(Definition.id == definition_id))
    ).one_or_none()
    if definition is None or enabled_approvable(registry, modules, definition.record_type) is None:
        raise NotFound("No such workflow.")
    version = (
        await db.scalars(
            select(DefinitionVersion).where(
                DefinitionVersion.definition_id == definition.id,
                DefinitionVersion.version == definition.current_version,
            )
        )
    ).one()
    return definition, version


async def update(
    db: AsyncSession,
    registry: PluginRegistry,
    *,
    modules: frozenset[str],
    actor_user_id: uuid.UUID,
    definition_id: uuid.UUID,
    name: str,
    steps: Sequence[Step],
    guarded_fields: Sequence[str],
) -> Definition:
    """Save the definition as a new version; instances already running keep theirs."""
    definition, _ = await get(db, registry, modules, definition_id)
    approvable = _approvable_for_definition(registry, modules, definition.record_type)
    definition.name = _clean_name(name)
    checked = await _checked_steps(db, approvable, steps)
    guarded = check_guarded(guarded_fields, approvable.fields)
    add_version(
        db,
        definition,
        version=definition.current_version + 1,
        steps=checked,
        guarded_fields=guarded,
        created_by=actor_user_id,
    )
    await db.flush()
    return definition


async def set_active(
    db: AsyncSession,
    registry: PluginRegistry,
    *,
    modules: frozenset[str],
    definition_id: uuid.UUID,
    active: bool,
) -> Definition:
    """Switch a definition on or off. Off: no new submissions; running instances go on."""
    definition, _ = await get(db, registry, modules, definition_id)
    if active and not definition.active:
        await _no_other_active(
            db, definition.record_type, definition.scope, except_id=definition.id
        )
    definition.active = active
    await db.flush()
    return definition


async def list_definitions(
    db: AsyncSession,
    registry: PluginRegistry,
    modules: frozenset[str],
    *,
    after: uuid.UUID | None,
    limit: int,
) -> list[tuple[Definition, DefinitionVersion]]:
    """Definitions of record types whose modules are on, with their current versions."""
    record_types = [
        record_type
        for record_type in registry.approvables()
        if enabled_approvable(registry, modules, record_type)
    ]
    query = (
        select(Definition, DefinitionVersion)
        .join(
            DefinitionVersion,
            (DefinitionVersion.tenant_id == Definition.tenant_id)
            & (DefinitionVersion.definition_id == Definition.id)
            & (DefinitionVersion.version == Definition.current_version),
        )
        .where(Definition.record_type.in_(record_types))
        .order_by(Definition.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(Definition.id > after)
    return [(row[0], row[1]) for row in (await db.execute(query)).all()]


async def versions(
    db: AsyncSession, registry: PluginRegistry, modules: frozenset[str], definition_id: uuid.UUID
) -> list[DefinitionVersion]:
    """Every version of the definition, newest first."""
    definition, _ = await get(db, registry, modules, definition_id)
    query = (
        select(DefinitionVersion)
        .where(DefinitionVersion.definition_id == definition.id)
        .order_by(DefinitionVersion.version.desc())
    )
    return list((await db.scalars(query)).all())
