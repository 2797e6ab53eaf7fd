"""Switching modules on and off per tenant, and purging a module's data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ScalarSelect, Table, func, select, text

from tessera.audit import capture as audit
from tessera.errors import Conflict, Invalid, NotFound
from tessera.events import service as events
from tessera.modules.models import TenantModule
from tessera.modules.registry import LoadedPlugin, PluginRegistry
from tessera.plugin.context import ModuleContext
from tessera.unit_of_work import UnitOfWork
from tessera.workflow.templates import install_templates


def enabled_array() -> ScalarSelect[Any]:
    """The current tenant's enabled modules as one array, for folding into another query."""
    return (
        select(func.coalesce(func.array_agg(TenantModule.module), text("'{}'::varchar[]")))
        .where(TenantModule.enabled)
        .scalar_subquery()
    )


@dataclass(frozen=True, slots=True)
class ModuleState:
    plugin: LoadedPlugin
    enabled: bool
    first_enabled_at: datetime | None


async def list_modules(uow: UnitOfWork, registry: PluginRegistry) -> list[ModuleState]:
    rows = {row.module: row for row in (await uow.db.execute(select(TenantModule))).scalars()}
    return [
        ModuleState(
            plugin,
            enabled=bool(rows.get(name) and rows[name].enabled),
            first_enabled_at=rows[name].first_enabled_at if name in rows else None,
        )
        for name, plugin in registry.plugins.items()
    ]


async def _row(uow: UnitOfWork, name: str) -> TenantModule | None:
    query = select(TenantModule).where(TenantModule.module == name).with_for_update()
    return (await uow.db.execute(query)).scalar_one_or_none()


def _plugin(registry: PluginRegistry, name: str) -> LoadedPlugin:
    plugin = registry.get(name)
    if plugin is None:
        raise NotFound(f"No installed module is named {name!r}.")
    return plugin


async def enable(
    uow: UnitOfWork,
    registry: PluginRegistry,
    *,
    tenant_id: uuid.UUID,
    actor_user_id: uuid.UUID | None,
    name: str,
    with_dependencies: bool,
) -> list[str]:
    """Enable ``name`` (and, if asked, what it needs); the names newly enabled, in order."""
    plugin = _plugin(registry, name)
    newly: list[str] = []
    for dependency in plugin.manifest.depends:
        row = await _row(uow, dependency)
        if row is not None and row.enabled:
            continue
        if not with_dependencies:
            missing = [d for d in plugin.manifest.depends if not await _is_enabled(uow, d)]
            raise Conflict(
                f"{name!r} needs {', '.join(repr(m) for m in missing)} enabled first; "
                "enable them, or ask to enable dependencies too."
            )
        newly += await enable(
            uow,
            registry,
            tenant_id=tenant_id,
            actor_user_id=actor_user_id,
            name=dependency,
            with_dependencies=True,
        )
    row = await _row(uow, name)
    if row is not None and row.enabled:
        return newly
    now = datetime.now(UTC)
    first_time = row is None
    if row is None:
        row = TenantModule(
            tenant_id=tenant_id, module=name, enabled=True, first_enabled_at=now, switched_at=now
        )
        uow.db.add(row)
    else:
        row.enabled, row.switched_at = True, now
    await uow.db.flush()
    await registry.on_enable(ModuleContext(uow.db, tenant_id, name, first_time, actor_user_id))
    await install_templates(
        uow.db, tenant_id, registry.templates_of(name), actor_user_id=actor_user_id
    )
    await uow.db.flush()
    audit.record(
        uow.db.sync_session, tenant_id, "module_enabled", record_type="module", record_id=name
    )
    await events.emit(uow.db, tenant_id, "tessera.module.enabled", {"module": name})
    return [*newly, name]


async def _is_enabled(uow: UnitOfWork, name: str) -> bool:
    row = await _row(uow, name)
    return row is not None and row.enabled


async def disable(
    uow: UnitOfWork,
    registry: PluginRegistry,
    *,
    tenant_id: uuid.UUID,
    actor_user_id: uuid.UUID | None,
    name: str,
) -> None:
    _plugin(registry, name)
    row = await _row(uow, name)
    if row is None or not row.enabled:
        return
    dependents = [d for d in registry.dependents(name) if await _is_enabled(uow, d)]
    if dependents:
        raise Conflict(
            f"{', '.join(repr(d) for d in dependents)} depend on {name!r}; disable them first."
        )
    row.enabled, row.switched_at = False, datetime.now(UTC)
    await uow.db.flush()
    await registry.on_disable(ModuleContext(uow.db, tenant_id, name, False, actor_user_id))
    await uow.db.flush()
    audit.record(
        uow.db.sync_session, tenant_id, "module_disabled", record_type="module", record_id=name
    )
    await events.emit(uow.db, tenant_id, "tessera.module.disabled", {"module": name})


async def purge(
    uow: UnitOfWork,
    registry: PluginRegistry,
    *,
    tenant_id: uuid.UUID,
    tenant_slug: str,
    name: str,
    confirm: str,
) -> dict[str, int]:
    """Delete this tenant's rows of the module's tables; the counts per table."""
    _plugin(registry, name)
    if confirm != tenant_slug:
        raise Invalid("confirm", "type the tenant's slug to confirm purging the module's data")
    row = await _row(uow, name)
    if row is not None and row.enabled:
        raise Conflict(f"Disable {name!r} before purging its data.")
    counts: dict[str, int] = {}
    # Children before parents; row-level security keeps the deletes inside this tenant.
    for table in reversed(_sorted_tables(registry, name)):
        result = await uow.db.execute(table.delete())
        counts[table.name] = int(getattr(result, "rowcount", 0) or 0)
    if row is not None:
        await uow.db.delete(row)
    audit.record(
        uow.db.sync_session,
        tenant_id,
        "module_purged",
        record_type="module",
        record_id=name,
        details={table: [count, 0] for table, count in counts.items()},
    )
    return counts


def _sorted_tables(registry: PluginRegistry, name: str) -> list[Table]:
    tables = set(registry.tables_of(name))
    if not tables:
        return []
    metadata = next(iter(tables)).metadata
    return [t for t in metadata.sorted_tables if t in tables]
