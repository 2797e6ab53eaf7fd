"""Workflows a plugin attaches to records of its own, for the public API (tessera.plugin).

A plugin whose record type has a ``scope_field`` (OA's request forms) lets its admins give each
scope its own steps from the plugin's own screens. The definition is an ordinary one (listed,
versioned and switched on and off under /api/v1/workflow/definitions), under a key the platform
derives from the record type and the scope, which an admin's key can never be (it has a ':').
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.errors import Invalid
from tessera.identity.service import Actor
from tessera.modules.registry import installed_plugins
from tessera.workflow import definitions
from tessera.workflow.models import Definition, DefinitionVersion
from tessera.workflow.types import Step

MAX_KEY = 80


def scope_key(record_type: str, scope: str) -> str:
    """The definition's key for ``(record_type, scope)``: the same every time."""
    key = f"{record_type}:{scope}"
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"{record_type[: MAX_KEY - 41]}:{digest}"


async def define_workflow(
    db: AsyncSession,
    actor: Actor,
    *,
    record_type: str,
    scope: str,
    name: str,
    steps: Sequence[Step],
    guarded_fields: Sequence[str] = (),
) -> None:
    """Give the records of ``scope`` their own workflow, in the caller's transaction.

    The first call creates the definition (active); later ones save its next version (running
    approvals keep theirs) and switch it on again if an admin switched it off. Steps are checked
    as an admin's are: 422 naming ``steps[i].field`` (``users`` not of this tenant included),
    409 if another workflow is active for the scope. The plugin checks its own permission first.
    """
    tenant_id, _ = actor.require_member()
    registry = installed_plugins()
    key = scope_key(record_type, scope)
    existing = (await db.scalars(select(Definition).where(Definition.key == key))).one_or_none()
    if existing is None:
        await definitions.create(
            db, registry, tenant_id=tenant_id, modules=actor.modules,
            actor_user_id=actor.user_id, key=key, record_type=record_type, name=name,
            steps=steps, guarded_fields=guarded_fields, scope=scope, reserved_key=True,
        )  # fmt: skip
        return
    if existing.record_type != record_type:
        raise Invalid("record_type", "does not match the scope's workflow")
    await definitions.update(
        db, registry, modules=actor.modules, actor_user_id=actor.user_id,
        definition_id=existing.id, name=name, steps=steps, guarded_fields=guarded_fields,
    )  # fmt: skip
    if not existing.active:
        await definitions.set_active(
            db, registry, modules=actor.modules, definition_id=existing.id, active=True
        )


async def workflow_of(db: AsyncSession, record_type: str, scope: str) -> list[Step] | None:
    """The steps of the workflow active for ``scope``'s records now; None if it has none of its
    own (its records then go to the record type's unscoped workflow)."""
    query = (
        select(DefinitionVersion.steps)
        .join(
            Definition,
            (Definition.tenant_id == DefinitionVersion.tenant_id)
            & (Definition.id == DefinitionVersion.definition_id)
            & (Definition.current_version == DefinitionVersion.version),
        )
        .where(
            Definition.record_type == record_type,
            Definition.active,
            definitions.same_scope(scope),
        )
    )
    steps = (await db.scalars(query)).first()
    return None if steps is None else [Step.from_json(step) for step in steps]
