"""The one door between the platform and plugins.

It finds plugins through the ``tessera.plugins`` entry points, checks each manifest, orders
plugins by their dependencies and collects their declarations. A plugin that fails to import,
declares a bad or incompatible manifest, misses a dependency, sits in a dependency cycle or
raises while starting is recorded as a failure (named, with the reason) and left out; the
platform and every other plugin carry on. No other module touches pluggy or entry points.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy
from litestar import Router
from litestar.routes import HTTPRoute
from sqlalchemy import Table

from tessera.errors import Invalid, PluginFailed
from tessera.events.catalogue import CORE_EVENT_TYPES
from tessera.events.types import EventHandler, EventType
from tessera.jobs.types import BackgroundJob, Schedule
from tessera.modules.action_routes import check_action_routes, check_document_routes
from tessera.modules.texts import Catalogue, Texts, check_catalogue
from tessera.plugin import hookspecs
from tessera.plugin.context import ModuleContext
from tessera.plugin.facts import RecordFact
from tessera.plugin.manifest import (
    API_VERSION,
    UI,
    Dashboard,
    Manifest,
    ManifestError,
    MenuItem,
    Permission,
    Resource,
)
from tessera.plugin.services import Service
from tessera.plugin.timeline import TimelineCursor, TimelineEntry, newest_first

# Imported for its effect: approvable records are locked while pending in every process that
# loads plugins (web, worker, CLI), not only where the workflow routes are mounted.
from tessera.workflow import locking  # noqa: F401
from tessera.workflow.types import (
    BUILTIN_ROLE_NAMES,
    MANAGER,
    Approvable,
    WorkflowTemplate,
    check_guarded,
    check_steps,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from tessera.identity.service import Actor

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "tessera.plugins"
#: The option on a plugin's routes that names their module; the auth dependency checks it.
MODULE_OPT = "tessera_module"
#: A plugin route works inside a tenant, so it takes the member: ``actor: Member``.
_ACTOR_PARAMETER = "actor"
#: The route option that names the permission a route needs (tessera.web.context.requires).
REQUIRES = "requires"


@dataclass(frozen=True, slots=True)
class PluginFailure:
    name: str
    #: import, manifest, compatibility, dependencies or start
    stage: str
    reason: str


@dataclass(slots=True)
class LoadedPlugin:
    manifest: Manifest
    module: object
    distribution: str | None = None
    models: list[type[Any]] = field(default_factory=list)
    migrations: Path | None = None
    routes: list[Any] = field(default_factory=list)
    permissions: list[Permission] = field(default_factory=list)
    ui: UI = field(default_factory=UI)
    cli: list[Any] = field(default_factory=list)
    handlers: list[EventHandler] = field(default_factory=list)
    event_types: list[EventType] = field(default_factory=list)
    jobs: list[BackgroundJob] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    workflows: list[Approvable | WorkflowTemplate] = field(default_factory=list)
    services: dict[str, object] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.manifest.name


class PluginRegistry:
    def __init__(self) -> None:
        self._pm = pluggy.PluginManager("tessera")
        self._pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, LoadedPlugin] = {}
        self.failures: list[PluginFailure] = []

    # --- loading -------------------------------------------------------------------------

    @classmethod
    def discover(cls) -> PluginRegistry:
        registry = cls()
        registry.load(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))
        return registry

    def load(self, entry_points: Iterable[importlib.metadata.EntryPoint]) -> None:
        candidates: dict[str, LoadedPlugin] = {}
        for entry_point in sorted(entry_points, key=lambda ep: ep.name):
            loaded = self._import(entry_point)
            if loaded is not None:
                candidates[loaded.name] = loaded
        for name in self._in_dependency_order(candidates):
            plugin = candidates[name]
            try:
                self._start(plugin)
            except Exception as exc:
                self._fail(name, "start", f"{type(exc).__name__}: {exc}", plugin.module)
                continue
            self.plugins[name] = plugin
        for failure in self.failures:
            logger.warning(
                "plugin %s not loaded (%s): %s",
                failure.name,
                failure.stage,
                failure.reason,
                extra={"plugin": failure.name, "stage": failure.stage},
            )

    def _import(self, entry_point: importlib.metadata.EntryPoint) -> LoadedPlugin | None:
        name = entry_point.name
        try:
            module = entry_point.load()
        except Exception as exc:
            self.failures.append(PluginFailure(name, "import", f"{type(exc).__name__}: {exc}"))
            return None
        try:
            self._pm.register(module, name=name)
            manifest = self._pm.hook.tessera_manifest.get_hookimpls()
            found = [impl.function() for impl in manifest if impl.plugin is module]
            if not found:
                raise ManifestError("the plugin does not implement tessera_manifest")
            declared = found[0]
            if not isinstance(declared, Manifest):
                raise ManifestError("tessera_manifest must return a tessera.plugin.Manifest")
            declared.check()
            if declared.name != name:
                raise ManifestError(
                    f"the manifest names {declared.name!r} but the entry point is {name!r}"
                )
        except Exception as exc:
            self._fail(name, "manifest", str(exc), module)
            return None
        if not declared.supports():
            self._fail(
                name,
                "compatibility",
                f"supports plugin API {declared.api}, this Tessera provides {API_VERSION}",
                module,
            )
            return None
        dist = getattr(entry_point, "dist", None)
        return LoadedPlugin(declared, module, distribution=dist.name if dist else None)

    def _in_dependency_order(self, candidates: dict[str, LoadedPlugin]) -> list[str]:
        """Candidates whose dependencies are all loadable, dependencies first."""
        ordered: list[str] = []
        state: dict[str, str] = {}  # visiting | done | failed

        def visit(name: str, path: tuple[str, ...]) -> bool:
            if state.get(name) == "done":
                return True
            if state.get(name) == "failed":
                return False
            if state.get(name) == "visiting":
                cycle = " -> ".join((*path[path.index(name) :], name))
                for member in path[path.index(name) :]:
                    state[member] = "failed"
                    self._fail(member, "dependencies", f"dependency cycle: {cycle}", None)
                return False
            state[name] = "visiting"
            for dependency in candidates[name].manifest.depends:
                if dependency not in candidates:
                    reason = f"needs {dependency!r}, which is not installed or did not load"
                    state[name] = "failed"
                    self._fail(name, "dependencies", reason, candidates[name].module)
                    return False
                if not visit(dependency, (*path, name)):
                    if state.get(name) != "failed":
                        state[name] = "failed"
                        reason = f"needs {dependency!r}, which did not load"
                        self._fail(name, "dependencies", reason, candidates[name].module)
                    return False
            state[name] = "done"
            ordered.append(name)
            return True

        for name in sorted(candidates):
            visit(name, ())
        return ordered

    def _start(self, plugin: LoadedPlugin) -> None:
        plugin.models = list(self._declared(plugin, "tessera_models", []))
        migrations = self._declared(plugin, "tessera_migrations", None)
        plugin.migrations = Path(migrations) if migrations is not None else None
        if plugin.migrations is not None and not plugin.migrations.is_dir():
            raise ManifestError(f"migrations folder {plugin.migrations} does not exist")
        plugin.permissions = [
            p.check(plugin.name) for p in self._declared(plugin, "tessera_permissions", [])
        ]
        plugin.ui = self._declared(plugin, "tessera_ui", UI()).check(
            plugin.name, {p.name for p in plugin.permissions}
        )
        plugin.cli = list(self._declared(plugin, "tessera_cli", []))
        plugin.handlers = [
            handler.check(plugin.name)
            for handler in self._declared(plugin, "tessera_event_handlers", [])
        ]
        plugin.event_types = self._checked_event_types(plugin)
        for declared_job in self._declared(plugin, "tessera_jobs", []):
            if isinstance(declared_job, Schedule):
                plugin.schedules.append(declared_job.check(plugin.name))
            elif isinstance(declared_job, BackgroundJob):
                plugin.jobs.append(declared_job.check(plugin.name))
            else:
                raise ManifestError(f"tessera_jobs returned {declared_job!r}")
        routes = list(self._declared(plugin, "tessera_routes", []))
        if routes:
            router = Router(
                path=f"/{plugin.name}", route_handlers=routes, opt={MODULE_OPT: plugin.name}
            )
            _check_routes(router, {p.name for p in plugin.permissions})
            plugin.routes = [router]
        check_action_routes(plugin.ui, plugin.routes, REQUIRES)
        check_document_routes(plugin.ui, plugin.routes, REQUIRES)
        plugin.workflows = _checked_workflows(
            plugin, list(self._declared(plugin, "tessera_workflows", []))
        )
        for offered in self._declared(plugin, "tessera_services", []):
            if not isinstance(offered, Service):
                raise ManifestError("tessera_services returns tessera.plugin.Service objects")
            plugin.services[offered.check(plugin.name).name] = offered.provider
        try:
            check_catalogue(f"plugin {plugin.name}", plugin.ui.translations, _shown_texts(plugin))
        except ValueError as exc:
            raise ManifestError(str(exc)) from None

    def _checked_event_types(self, plugin: LoadedPlugin) -> list[EventType]:
        """The plugin's own event types: in its namespace, each declared once in the process."""
        taken = {e.name: "the platform" for e in CORE_EVENT_TYPES}
        taken.update(
            {e.name: f"plugin {p.name!r}" for p in self.plugins.values() for e in p.event_types}
        )
        declared: list[EventType] = []
        for event_type in self._declared(plugin, "tessera_event_types", []):
            if not isinstance(event_type, EventType):
                raise ManifestError("tessera_event_types returns tessera.plugin.EventType objects")
            if not event_type.name.startswith(f"{plugin.name}."):
                raise ManifestError(
                    f"event type {event_type.name!r} must start with {plugin.name!r}."
                )
            if event_type.name in taken:
                raise ManifestError(
                    f"event type {event_type.name!r} is already declared by "
                    f"{taken[event_type.name]}"
                )
            taken[event_type.name] = f"plugin {plugin.name!r}"
            declared.append(event_type)
        return declared

    def _declared(self, plugin: LoadedPlugin, hook: str, default: Any) -> Any:
        for impl in getattr(self._pm.hook, hook).get_hookimpls():
            if impl.plugin is plugin.module:
                return impl.function()
        return default

    def _fail(self, name: str, stage: str, reason: str, module: object | None) -> None:
        self.failures.append(PluginFailure(name, stage, reason))
        if module is not None and self._pm.is_registered(module):
            self._pm.unregister(module)

    # --- what the platform asks ----------------------------------------------------------

    def get(self, name: str) -> LoadedPlugin | None:
        return self.plugins.get(name)

    def route_handlers(self) -> list[Any]:
        return [router for plugin in self.plugins.values() for router in plugin.routes]

    def migration_dirs(self) -> list[Path]:
        return [p.migrations for p in self.plugins.values() if p.migrations is not None]

    def event_types(self) -> list[tuple[str, EventType]]:
        return [(p.name, e) for p in self.plugins.values() for e in p.event_types]

    def permissions(self) -> list[tuple[str, Permission]]:
        return [(p.name, perm) for p in self.plugins.values() for perm in p.permissions]

    def menus(self, enabled: Sequence[str]) -> list[tuple[str, MenuItem]]:
        return sorted(
            (
                (name, item)
                for name in enabled
                if (p := self.plugins.get(name))
                for item in p.ui.menus
            ),
            key=lambda pair: (pair[1].order, pair[1].label),
        )

    def resources(self, enabled: Sequence[str]) -> list[tuple[str, Resource]]:
        return [
            (name, resource)
            for name in enabled
            if (p := self.plugins.get(name))
            for resource in p.ui.resources
        ]

    def dashboards(self, enabled: Sequence[str]) -> list[tuple[str, Dashboard]]:
        return sorted(
            (
                (name, dashboard)
                for name in enabled
                if (p := self.plugins.get(name))
                for dashboard in p.ui.dashboards
            ),
            key=lambda pair: (pair[1].order, pair[1].label),
        )

    def catalogues(self) -> dict[str, Catalogue]:
        """Each loaded plugin's translations, by module."""
        return {name: p.ui.translations for name, p in self.plugins.items()}

    def approvables(self) -> dict[str, Approvable]:
        """Every loaded plugin's approvable record types, by record type."""
        return {
            item.record_type: item
            for plugin in self.plugins.values()
            for item in plugin.workflows
            if isinstance(item, Approvable)
        }

    def approvable_of_model(self, model: type[Any]) -> Approvable | None:
        return next((a for a in self.approvables().values() if a.model is model), None)

    def templates_of(self, name: str) -> list[WorkflowTemplate]:
        plugin = self.plugins.get(name)
        if plugin is None:
            return []
        return [item for item in plugin.workflows if isinstance(item, WorkflowTemplate)]

    def service(self, name: str) -> object | None:
        """The provider of the service ``name``, if a loaded plugin offers it."""
        plugin = self.plugins.get(name.split(".", 1)[0])
        return plugin.services.get(name) if plugin is not None else None

    def dependents(self, name: str) -> list[str]:
        """Loaded plugins that depend on ``name``."""
        return sorted(p.name for p in self.plugins.values() if name in p.manifest.depends)

    def tables_of(self, name: str) -> list[Table]:
        plugin = self.plugins[name]
        return [model.__table__ for model in plugin.models]

    async def on_enable(self, module: ModuleContext) -> None:
        await self._call_tenant_hook("tessera_on_enable", module)

    async def on_disable(self, module: ModuleContext) -> None:
        await self._call_tenant_hook("tessera_on_disable", module)

    def timeline_contributors(self, actor: Actor) -> list[str]:
        """The actor's enabled modules that add entries to record timelines."""
        names = (
            self._pm.get_name(i.plugin) for i in self._pm.hook.tessera_timeline.get_hookimpls()
        )
        return [name for name in names if name in self.plugins and name in actor.modules]

    async def timeline(
        self,
        db: AsyncSession,
        actor: Actor,
        record_type: str,
        record_id: str,
        *,
        before: TimelineCursor | None,
        limit: int,
    ) -> list[TimelineEntry]:
        """Entries the actor's enabled modules contribute to a record's timeline, newest first.

        Each contributor runs in a savepoint: one that raises (or returns something else than
        entries) is logged and left out, and the request goes on without it.
        """
        arguments: dict[str, Any] = {
            "db": db,
            "actor": actor,
            "record_type": record_type,
            "record_id": record_id,
            "before": before,
            "limit": limit,
        }
        found: list[TimelineEntry] = []
        contributors = self.timeline_contributors(actor)
        for impl in self._pm.hook.tessera_timeline.get_hookimpls():
            name = self._pm.get_name(impl.plugin)
            if name not in contributors:
                continue
            try:
                async with db.begin_nested():
                    result: Any = impl.function(**{a: arguments[a] for a in impl.argnames})
                    entries = list(await result if inspect.isawaitable(result) else result)
                if not all(isinstance(entry, TimelineEntry) for entry in entries):
                    raise TypeError("tessera_timeline must return TimelineEntry objects")
            except Exception:
                logger.exception("timeline contributor failed", extra={"plugin": name})
                continue
            entries = [e for e in entries if before is None or before.admits(e)]
            found += [replace(e, module=name) for e in newest_first(entries)[:limit]]
        return newest_first(found)

    async def record_facts(
        self, db: AsyncSession, actor: Actor, record_type: str, record_id: str, texts: Texts
    ) -> list[RecordFact]:
        """Facts the actor's enabled modules contribute about a record, each module's in turn.

        As with timelines, each contributor runs in a savepoint: one that raises (or returns
        something else than facts) is logged and left out.
        """
        arguments: dict[str, Any] = {
            "db": db,
            "actor": actor,
            "record_type": record_type,
            "record_id": record_id,
        }
        found: list[RecordFact] = []
        for impl in self._pm.hook.tessera_record_facts.get_hookimpls():
            name = self._pm.get_name(impl.plugin)
            if name not in self.plugins or name not in actor.modules:
                continue
            try:
                async with db.begin_nested():
                    result: Any = impl.function(**{a: arguments[a] for a in impl.argnames})
                    facts = list(await result if inspect.isawaitable(result) else result)
                if not all(isinstance(fact, RecordFact) for fact in facts):
                    raise TypeError("tessera_record_facts must return RecordFact objects")
            except Exception:
                logger.exception("record facts contributor failed", extra={"plugin": name})
                continue
            found += [replace(f, label=texts.of(name, f.label), module=name) for f in facts]
        return found

    async def _call_tenant_hook(self, hook: str, module: ModuleContext) -> None:
        """Run the plugin's hook; its failure is named, and the switch is rolled back."""
        plugin = self.plugins[module.module]
        for impl in getattr(self._pm.hook, hook).get_hookimpls():
            if impl.plugin is not plugin.module:
                continue
            try:
                result = impl.function(module=module)
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:
                logger.exception("plugin hook failed", extra={"plugin": plugin.name, "hook": hook})
                raise PluginFailed(
                    f"The {plugin.manifest.label!r} module failed in {hook} "
                    f"({type(exc).__name__}); nothing was changed."
                ) from exc


def _checked_workflows(
    plugin: LoadedPlugin, declared: list[Approvable | WorkflowTemplate]
) -> list[Approvable | WorkflowTemplate]:
    """Approvables name the plugin's own models, fields and permissions; templates are valid."""
    approvables: dict[str, Approvable] = {}
    for item in declared:
        if isinstance(item, Approvable):
            _check_approvable(plugin, item)
            approvables[item.record_type] = item
        elif not isinstance(item, WorkflowTemplate):
            raise ManifestError("tessera_workflows returns Approvable and WorkflowTemplate objects")
    for item in declared:
        if isinstance(item, WorkflowTemplate):
            _check_template(plugin, item, approvables)
    return declared


def _check_approvable(plugin: LoadedPlugin, item: Approvable) -> None:
    if not item.record_type.startswith(f"{plugin.name}.") or len(item.record_type) > 100:
        raise ManifestError(f"record type {item.record_type!r} must start with {plugin.name!r}.")
    if item.model not in plugin.models:
        raise ManifestError(f"{item.record_type!r}: the model is not one of the plugin's models")
    columns = set(item.model.__table__.columns.keys())
    named = (
        *item.fields,
        item.owner_field,
        *item.user_fields,
        item.title_field,
        *item.summary_fields,
        item.scope_field,
    )
    unknown = [f for f in named if f is not None and f not in columns]
    if unknown:
        raise ManifestError(f"{item.record_type!r}: no such fields on the model: {unknown}")
    if item.submit_permission not in {p.name for p in plugin.permissions}:
        raise ManifestError(
            f"{item.record_type!r} names {item.submit_permission!r}, which the plugin does not "
            "declare"
        )


def _check_template(
    plugin: LoadedPlugin, template: WorkflowTemplate, approvables: dict[str, Approvable]
) -> None:
    approvable = approvables.get(template.record_type)
    if approvable is None:
        raise ManifestError(
            f"template {template.key!r} names {template.record_type!r}, which the plugin does "
            "not declare Approvable"
        )
    if not template.key.startswith(f"{plugin.name}."):
        raise ManifestError(f"template key {template.key!r} must start with {plugin.name!r}.")
    try:
        steps = check_steps(
            template.steps, approvable.field_types(), user_fields=approvable.user_fields
        )
        check_guarded(template.guarded_fields, approvable.fields)
    except Invalid as exc:
        raise ManifestError(f"template {template.key!r}: {exc.detail}") from None
    for step in steps:
        if step.users or step.cc or step.escalate_to not in (None, MANAGER):
            raise ManifestError(f"template {template.key!r}: templates name no users")
        if step.role is not None and step.role not in BUILTIN_ROLE_NAMES:
            raise ManifestError(f"template {template.key!r}: templates name built-in roles only")


def _check_routes(router: Router, permissions: set[str]) -> None:
    """Every route is tenant-scoped (takes the actor) and requires only permissions it declared."""
    for route in router.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"}:
                continue  # Litestar's own answer to OPTIONS, added to every path
            parameters = set(inspect.signature(handler.fn).parameters)
            if _ACTOR_PARAMETER not in parameters:
                methods = ",".join(sorted(handler.http_methods))
                raise ManifestError(
                    f"route {methods} {route.path} does not take actor: plugin routes are "
                    "tenant-scoped"
                )
            required = handler.opt.get(REQUIRES)
            if required is not None and required not in permissions:
                raise ManifestError(
                    f"route {methods} {route.path} requires {required!r}, which the plugin "
                    "does not declare"
                )


@cache
def installed_plugins() -> PluginRegistry:
    """The plugins of this process, discovered once."""
    return PluginRegistry.discover()


def _shown_texts(plugin: LoadedPlugin) -> set[str]:
    """Every text of the plugin that people read, which its catalogue may translate."""
    texts = {plugin.manifest.label, plugin.manifest.description, *plugin.ui.texts()}
    texts.update(p.description for p in plugin.permissions)
    texts.update(item.label for item in plugin.workflows if isinstance(item, Approvable))
    return texts
