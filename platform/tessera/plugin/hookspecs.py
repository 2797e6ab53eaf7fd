"""Every hook a Tessera plugin can implement. This file is the whole extension surface.

Hooks return declarations; the platform decides when to apply them. A plugin implements the
ones it needs as functions marked ``@hookimpl`` in the module its entry point names::

    # pyproject.toml
    [project.entry-points."tessera.plugins"]
    notes = "tessera_notes.plugin"

Hooks that concern a tenant (enable, disable, timeline) are called only for tenants that
switch or enabled the module; routes, menus and handlers of a module reach only tenants that
enabled it — the platform filters, the plugin never asks "am I enabled?".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from tessera.events.types import EventHandler, EventType
from tessera.jobs.types import BackgroundJob, Schedule
from tessera.plugin.manifest import UI, Manifest, Permission

if TYPE_CHECKING:
    import click
    from sqlalchemy.ext.asyncio import AsyncSession

    from tessera.identity.service import Actor
    from tessera.plugin.context import ModuleContext
    from tessera.plugin.facts import RecordFact
    from tessera.plugin.services import Service
    from tessera.plugin.timeline import TimelineCursor, TimelineEntry
    from tessera.workflow.types import Approvable, WorkflowTemplate

hookspec = pluggy.HookspecMarker("tessera")
hookimpl = pluggy.HookimplMarker("tessera")


# --- Loading: called once per process, in dependency order --------------------------------


@hookspec
def tessera_manifest() -> Manifest:  # type: ignore[empty-body]
    """Who the plugin is: name, label, version, supported API range, dependencies. Required.

    ``return Manifest(name="notes", label="Notes", version="1.0", api=">=1.0,<2")``
    """


@hookspec
def tessera_models() -> Sequence[type[Any]]:  # type: ignore[empty-body]
    """The plugin's model classes (subclasses of ``tessera.plugin.TenantModel``).

    ``return [Note, NoteTag]``
    """


@hookspec
def tessera_migrations() -> Path:  # type: ignore[empty-body]
    """The folder of the plugin's alembic revisions: its own branch, depending on core.

    ``return Path(__file__).parent / "migrations"``
    """


@hookspec
def tessera_routes() -> Sequence[Any]:  # type: ignore[empty-body]
    """Litestar controllers, routers or handlers, mounted under ``/api/v1/<plugin name>``.

    Every handler must take ``actor: Member``: plugin routes are
    tenant-scoped, and tenants without the module get 404.
    ``return [NotesController]``
    """


@hookspec
def tessera_permissions() -> Sequence[Permission]:  # type: ignore[empty-body]
    """The permissions the plugin defines, named ``<plugin>.<resource>.<action>``.

    ``return [Permission("notes.note.write", "Create, edit and delete notes")]``
    """


@hookspec
def tessera_event_handlers() -> Sequence[EventHandler]:  # type: ignore[empty-body]
    """Handlers of domain events, called for tenants that enabled the plugin.

    A handler runs in one transaction of the event's tenant, committed together with the
    record that it is done: redelivery after a crash is a no-op. Failures are retried with
    backoff, then listed as dead letters for the tenant's admin.
    ``return [EventHandler("crm.deal.won", create_sales_order)]``
    """


@hookspec
def tessera_event_types() -> Sequence[EventType]:  # type: ignore[empty-body]
    """Every event the plugin emits, named ``<plugin>.<record>.<past tense>``, with its payload.

    ``emit`` refuses a type no plugin declares and a payload whose keys differ from the
    ``TypedDict``; the catalogue in the docs and ``GET /api/v1/events/types`` are made from this.
    ``return [EventType("notes.note.created", "A note was written", NoteCreated)]``
    """


@hookspec
def tessera_jobs() -> Sequence[BackgroundJob | Schedule]:  # type: ignore[empty-body]
    """Long jobs code can start (with progress the API shows) and periodic schedules.

    ``return [BackgroundJob("notes.reindex", reindex), Schedule("notes.digest", timedelta(hours=1), digest)]``
    """


@hookspec
def tessera_ui() -> UI:  # type: ignore[empty-body]
    """The plugin's screens as metadata, shown to tenants that enabled it: menu entries, the
    resources whose list, form and detail screens the browser app draws, dashboards of
    metrics, and the translations of every text they show. No JavaScript needed.

    ``return UI(menus=(MenuItem("Notes", "/notes", icon="file"),), resources=(NOTE,))``
    """


@hookspec
def tessera_cli() -> Sequence[click.Command]:  # type: ignore[empty-body]
    """Extra ``tessera`` sub-commands, added under ``tessera <plugin name> …``.

    ``return [export_notes_command]``
    """


# --- Per tenant: called when a tenant's admin switches the module --------------------------


@hookspec
async def tessera_on_enable(module: ModuleContext) -> None:
    """The tenant enabled the module (``module.first_time`` on the very first time): seed data.

    ``if module.first_time: module.db.add(Note(tenant_id=module.tenant_id, title="Welcome"))``
    """


@hookspec
async def tessera_on_disable(module: ModuleContext) -> None:
    """The tenant disabled the module. Its data stays; stop anything tenant-specific here.

    ``await cancel_pending_reminders(module.db, module.tenant_id)``
    """


@hookspec
def tessera_services() -> Sequence[Service]:  # type: ignore[empty-body]
    """What the plugin offers the plugins that depend on it (see :mod:`tessera.plugin.services`).

    ``return [Service("accounting.ledger", LEDGER)]``; consumers call ``service(name, Protocol)``.
    """


# --- Workflow: called once per process, after the plugin's models and permissions ---------


@hookspec
def tessera_workflows() -> Sequence[Approvable | WorkflowTemplate]:  # type: ignore[empty-body]
    """Record types approval workflows attach to, and default workflows for them.

    A tenant enabling the module gets each template it has no definition of (by key); while an
    approval is pending, the record's guarded fields refuse changes with 409, for free.
    ``return [Approvable("notes.note", Note, "Note", ("title",), "notes.note.write"), TEMPLATE]``
    """


# --- Per request: called while another module answers a tenant's request ----------------


@hookspec
async def tessera_timeline(  # type: ignore[empty-body]
    db: AsyncSession,
    actor: Actor,
    record_type: str,
    record_id: str,
    before: TimelineCursor | None,
    limit: int,
) -> Sequence[TimelineEntry]:
    """Entries for the timeline of a record, usually another module's (``"crm.account"``).

    Called only for tenants that enabled the plugin, in the request's transaction (read only),
    for ``actor``, the member who asks: apply your record rules. Return at most ``limit``
    entries after ``before`` (``before.older(...)`` in the query), newest first; nothing for
    record types you know nothing of. A hook that raises is logged and left out.
    ``return [TimelineEntry(n.created_at, "notes.note.mentioned", n.title, "notes.note", str(n.id))]``
    """


@hookspec
async def tessera_record_facts(  # type: ignore[empty-body]
    db: AsyncSession, actor: Actor, record_type: str, record_id: str
) -> Sequence[RecordFact]:
    """A few figures about a record, usually another module's (``"crm.account"``), for its page.

    Called only for tenants that enabled the plugin, in the request's transaction (read only),
    for ``actor``: apply your record rules. Nothing for record types you know nothing of. Labels
    are texts of your ``UI.messages``. A hook that raises is logged and left out.
    ``return [RecordFact("Overdue", "1,200.00 CNY", tone="danger")]``
    """
