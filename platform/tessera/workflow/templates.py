"""Storing definitions and their versions; installing a plugin's default workflows for a tenant.

Kept apart from :mod:`tessera.workflow.service` so switching a module on (tessera.modules) can
install templates without importing the whole engine, which itself builds on identity.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.workflow.models import Definition, DefinitionVersion
from tessera.workflow.types import Step, WorkflowTemplate


def add_version(
    db: AsyncSession,
    definition: Definition,
    *,
    version: int,
    steps: Sequence[Step],
    guarded_fields: Sequence[str],
    created_by: uuid.UUID | None,
) -> DefinitionVersion:
    """A new immutable version of ``definition``, made its current one."""
    row = DefinitionVersion(
        tenant_id=definition.tenant_id,
        definition_id=definition.id,
        version=version,
        steps=[step.as_json() for step in steps],
        guarded_fields=list(guarded_fields),
        created_by=created_by,
    )
    db.add(row)
    definition.current_version = version
    return row


async def install_templates(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    templates: Sequence[WorkflowTemplate],
    *,
    actor_user_id: uuid.UUID | None,
) -> list[str]:
    """Add each template the tenant has no definition of (by key); the keys added.

    A tenant that changed or switched off a default keeps its own: templates never overwrite.
    A template is active only if no other workflow is active for its record type.
    """
    if not templates:
        return []
    keys = [t.key for t in templates]
    existing = set((await db.scalars(select(Definition.key).where(Definition.key.in_(keys)))).all())
    # Templates are unscoped: only another unscoped active workflow keeps one off.
    unscoped_active = select(Definition.record_type).where(
        Definition.active, Definition.scope.is_(None)
    )
    active_types = set((await db.scalars(unscoped_active)).all())
    added = []
    for template in templates:
        if template.key in existing:
            continue
        definition = Definition(
            tenant_id=tenant_id,
            key=template.key,
            record_type=template.record_type,
            name=template.name,
            active=template.record_type not in active_types,
            current_version=1,
        )
        db.add(definition)
        await db.flush()
        add_version(
            db,
            definition,
            version=1,
            steps=template.steps,
            guarded_fields=template.guarded_fields,
            created_by=actor_user_id,
        )
        active_types.add(template.record_type)
        added.append(template.key)
    await db.flush()
    return added
