"""HTTP API of plugins and modules: what is installed, and what this tenant switched on."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from tessera.modules import service
from tessera.modules.registry import LoadedPlugin
from tessera.modules.schemas import (
    ActionConditionOut,
    DashboardOut,
    EnabledOut,
    EnableIn,
    FieldOut,
    MenuOut,
    MetricOut,
    ModuleOut,
    PluginFailureOut,
    PluginOut,
    PluginsOut,
    PurgedOut,
    PurgeIn,
    RecordActionOut,
    RecordDocumentOut,
    ResourceOut,
)
from tessera.modules.texts import Texts, humanize
from tessera.plugin.actions import Action
from tessera.plugin.documents import Document
from tessera.plugin.manifest import Field, Resource
from tessera.tenants import service as tenants
from tessera.web.context import Language, Member, Uow, requires, services_of


def plugin_out(plugin: LoadedPlugin) -> PluginOut:
    m = plugin.manifest
    return PluginOut(m.name, m.label, m.description, m.version, m.api, list(m.depends))


@get(
    "/plugins",
    tags=["modules"],
    summary="Installed plugins, and those that failed to load",
    opt=requires("modules.module.manage"),
)
async def list_plugins(actor: Member, state: State) -> PluginsOut:
    registry = services_of(state).registry
    return PluginsOut(
        loaded=[plugin_out(p) for p in registry.plugins.values()],
        failed=[PluginFailureOut(f.name, f.stage, f.reason) for f in registry.failures],
    )


class ModulesController(Controller):
    path = "/modules"
    tags = ["modules"]

    @get(
        "/",
        summary="Installed modules and whether this tenant enabled each",
        opt=requires("modules.module.read"),
    )
    async def list_modules(
        self, actor: Member, uow: Uow, state: State, texts: Language
    ) -> list[ModuleOut]:
        states = await service.list_modules(uow, services_of(state).registry)
        return [
            ModuleOut(
                name=s.plugin.name,
                label=texts.of(s.plugin.name, s.plugin.manifest.label),
                description=texts.of(s.plugin.name, s.plugin.manifest.description),
                version=s.plugin.manifest.version,
                depends=list(s.plugin.manifest.depends),
                enabled=s.enabled,
                first_enabled_at=s.first_enabled_at,
            )
            for s in states
        ]

    @post(
        "/{name:str}/enable",
        status_code=HTTP_200_OK,
        summary="Switch a module on",
        opt=requires("modules.module.manage"),
    )
    async def enable(
        self,
        name: FromPath[str],
        actor: Member,
        uow: Uow,
        state: State,
        data: JSONBody[EnableIn | None] = None,
    ) -> EnabledOut:
        tenant_id, _ = actor.require_member()
        enabled = await service.enable(
            uow,
            services_of(state).registry,
            tenant_id=tenant_id,
            actor_user_id=actor.user_id,
            name=name,
            with_dependencies=bool(data and data.with_dependencies),
        )
        return EnabledOut(enabled=enabled)

    @post(
        "/{name:str}/disable",
        status_code=HTTP_200_OK,
        summary="Switch a module off (data stays)",
        opt=requires("modules.module.manage"),
    )
    async def disable(self, name: FromPath[str], actor: Member, uow: Uow, state: State) -> None:
        tenant_id, _ = actor.require_member()
        await service.disable(
            uow,
            services_of(state).registry,
            tenant_id=tenant_id,
            actor_user_id=actor.user_id,
            name=name,
        )

    @post(
        "/{name:str}/purge",
        status_code=HTTP_200_OK,
        summary="Delete a disabled module's data",
        opt=requires("modules.module.purge"),
    )
    async def purge(
        self, name: FromPath[str], data: JSONBody[PurgeIn], actor: Member, uow: Uow, state: State
    ) -> PurgedOut:
        tenant_id, _ = actor.require_member()
        tenant = await tenants.get(uow.db, tenant_id)
        assert tenant is not None
        deleted = await service.purge(
            uow,
            services_of(state).registry,
            tenant_id=tenant_id,
            tenant_slug=tenant.slug,
            name=name,
            confirm=data.confirm,
        )
        return PurgedOut(deleted=deleted)


@get("/ui/menus", tags=["modules"], summary="Menu entries of the modules this tenant enabled")
async def menus(actor: Member, state: State, texts: Language) -> list[MenuOut]:
    """Only entries whose permission (if they name one) the caller holds."""
    return [
        MenuOut(
            module=module,
            label=texts.of(module, item.label),
            path=item.path,
            icon=item.icon,
            order=item.order,
            resource=item.resource,
            dashboard=item.dashboard,
        )
        for module, item in services_of(state).registry.menus(sorted(actor.modules))
        if item.permission is None or actor.can(item.permission)
    ]


@get(
    "/ui/resources",
    tags=["modules"],
    summary="Record types of the enabled modules the caller may read, for the generic screens",
)
async def resources(actor: Member, state: State, texts: Language) -> list[ResourceOut]:
    registry = services_of(state).registry
    approvable = registry.approvables()
    return [
        ResourceOut(
            module=module,
            name=r.name,
            label=texts.of(module, r.label),
            endpoint=r.endpoint,
            fields=[field_out(module, r, f, texts) for f in r.fields],
            list_columns=list(r.list_columns),
            filters=list(r.filters),
            form=[list(row) for row in r.form],
            title_field=r.title_field,
            kanban_by=r.kanban_by,
            calendar_by=r.calendar_by,
            can_write=r.write_permission is not None and actor.can(r.write_permission),
            can_edit=r.editable
            and r.write_permission is not None
            and actor.can(r.write_permission),
            can_delete=r.deletable
            and r.write_permission is not None
            and actor.can(r.write_permission),
            search=r.search,
            sort_fields=list(r.sort_fields),
            filter_params=dict(r.filter_params),
            export_endpoint=r.export_endpoint
            if r.export_permission is not None and actor.can(r.export_permission)
            else None,
            import_endpoint=r.import_endpoint
            if r.import_permission is not None
            and r.write_permission is not None
            and actor.can(r.import_permission)
            and actor.can(r.write_permission)
            else None,
            timeline_endpoint=r.timeline_endpoint,
            facts_endpoint=r.facts_endpoint,
            audit_type=r.audit_type,
            approvable=r.name in approvable,
            actions=[
                action_out(module, r, action, texts)
                for action in r.actions
                if actor.can(action.permission)
            ],
            documents=[
                document_out(module, r, document, texts)
                for document in r.documents
                if actor.can(document.permission)
            ],
        )
        for module, r in registry.resources(sorted(actor.modules))
        if actor.can(r.read_permission)
    ]


def field_out(module: str, resource: Resource, f: Field, texts: Texts) -> FieldOut:
    kinds = next((k.options for k in resource.fields if k.name == f.reference_from), ())
    return FieldOut(
        f.name,
        texts.of(module, f.label),
        f.type,
        f.required,
        f.read_only,
        list(f.options),
        f.reference,
        f.create_only,
        [texts.of(module, humanize(option)) for option in f.options],
        f.reference_from,
        {kind: f"{module}.{kind}" for kind in kinds},
        f.upload_endpoint,
        f.download_endpoint,
        f.schema_from,
        f.schema_field,
        texts.of(module, f.help) if f.help else None,
        [field_out(module, resource, cell, texts) for cell in f.line_fields],
        list(f.line_amount),
    )


def document_out(
    module: str, resource: Resource, document: Document, texts: Texts
) -> RecordDocumentOut:
    return RecordDocumentOut(
        name=document.name,
        label=texts.of(module, document.label),
        endpoint=f"{resource.endpoint}/{document.path}",
        languages=list(document.languages),
    )


def action_out(module: str, resource: Resource, action: Action, texts: Texts) -> RecordActionOut:
    return RecordActionOut(
        name=action.name,
        label=texts.of(module, action.label),
        endpoint=f"{resource.endpoint}/{action.path}",
        when=[ActionConditionOut(name, list(values)) for name, values in action.when],
        confirm=texts.of(module, action.confirm) if action.confirm is not None else None,
        danger=action.danger,
        body_fields=[field_out(module, resource, f, texts) for f in action.body_fields],
    )


@get(
    "/ui/dashboards",
    tags=["modules"],
    summary="Dashboards of the enabled modules, with the metrics the caller may see",
)
async def dashboards(actor: Member, state: State, texts: Language) -> list[DashboardOut]:
    """A dashboard none of whose metrics the caller may see is left out."""
    found = []
    for module, dashboard in services_of(state).registry.dashboards(sorted(actor.modules)):
        metrics = [
            MetricOut(
                m.name,
                texts.of(module, m.label),
                m.endpoint,
                m.display,
                m.value,
                m.period,
                dict(m.params),
                list(m.series),
            )
            for m in dashboard.metrics
            if actor.can(m.permission)
        ]
        if metrics:
            found.append(
                DashboardOut(
                    module,
                    dashboard.name,
                    texts.of(module, dashboard.label),
                    dashboard.order,
                    metrics,
                )
            )
    return found


ROUTE_HANDLERS: list[Any] = [list_plugins, ModulesController, menus, resources, dashboards]
