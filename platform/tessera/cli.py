"""The ``tessera`` command."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import click

from tessera import __version__
from tessera.db.engine import Database
from tessera.db.migrations import upgrade
from tessera.errors import DomainError, Invalid
from tessera.logs import configure_logging
from tessera.mail.service import deliver
from tessera.modules.registry import installed_plugins
from tessera.recycle.capture import PlatformSession, set_retention
from tessera.runtime import runtime_database_url
from tessera.security.signed import SignedTokens
from tessera.settings import Settings, SettingsError
from tessera.unit_of_work import UnitOfWork


def load_settings(**overrides: Any) -> Settings:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    return settings.with_overrides(**{k: v for k, v in overrides.items() if v is not None})


@contextmanager
def owner_database(settings: Settings) -> Iterator[Settings]:
    """Settings whose ``database_url`` is reachable: the configured server or an embedded one."""
    if settings.database_url:
        yield settings
        return
    if settings.env == "production":
        raise click.ClickException("TESSERA_DATABASE_URL is required when TESSERA_ENV=production")
    from tessera.db.embedded import start_embedded

    click.echo(f"Starting embedded PostgreSQL (data in {settings.data_dir / 'pg'}) …", err=True)
    server = start_embedded(settings.data_dir)
    try:
        owner_url = asyncio.run(server.owner_url())
        yield settings.with_overrides(database_url=owner_url)
    finally:
        server.stop()


def apply_migrations(settings: Settings) -> None:
    assert settings.database_url
    upgrade(
        settings.migrations_dir,
        settings.database_url,
        app_role=settings.app_db_role,
        app_password=settings.app_db_password,
        plugin_version_dirs=installed_plugins().migration_dirs(),
    )


class TesseraCommands(click.Group):
    """The built-in commands, plus a group per plugin that declares commands of its own."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        plugins = [p.name for p in installed_plugins().plugins.values() if p.cli]
        return [*super().list_commands(ctx), *sorted(plugins)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        plugin = installed_plugins().get(cmd_name)
        if plugin is None or not plugin.cli:
            return None
        return click.Group(
            cmd_name,
            commands=plugin.cli,
            help=f"Commands of the {plugin.manifest.label} plugin.",
        )


@click.group(cls=TesseraCommands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tessera")
def main() -> None:
    """Tessera, the multi-tenant business platform.

    Settings come from TESSERA_* environment variables (docs/operations/settings.md).
    Without TESSERA_DATABASE_URL, an embedded PostgreSQL keeps its data under ./.tessera/.
    """


@main.command()
@click.option("--host", help="Address to listen on.  [default: 127.0.0.1]")
@click.option("--port", type=click.IntRange(1, 65535), help="Port.  [default: 8000]")
def dev(host: str | None, port: int | None) -> None:
    """Run Tessera for development: database, migrations, web server, worker and scheduler."""
    settings = load_settings(host=host, port=port)
    configure_logging(settings.log_level, json_lines=settings.log_json)
    with owner_database(settings) as settings:
        apply_migrations(settings)
        import uvicorn

        from tessera.app import create_app

        app = create_app(settings)
        url = f"http://{settings.host}:{settings.port}"
        click.echo(
            f"\n  Tessera is running at {url}\n"
            f"  Open {url} in a browser to sign up (API reference: {url}/api/docs)\n"
            f"  Mail sent in development is kept at {url}/api/v1/dev/mail\n"
            "  Press Ctrl-C to stop.\n",
            err=True,
        )
        # A second Ctrl-C while shutting down must still let the database stop cleanly.
        with background_processes(settings), contextlib.suppress(KeyboardInterrupt):
            uvicorn.run(
                app, host=settings.host, port=settings.port, log_config=None, access_log=False
            )


@main.command()
@click.option(
    "--plugin",
    "plugins",
    multiple=True,
    help="Describe only these plugins' routes beside the core (repeatable).  [default: all installed]",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the document here.  [default: standard output]",
)
def openapi(plugins: tuple[str, ...], output: Path | None) -> None:
    """Print the API's OpenAPI document: what the browser app's typed client is made from."""
    import importlib.metadata
    import json

    from litestar.serialization import encode_json

    from tessera.app import create_app
    from tessera.modules.registry import ENTRY_POINT_GROUP, PluginRegistry

    registry = PluginRegistry()
    registry.load(
        entry_point
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        if not plugins or entry_point.name in plugins
    )
    # The document is read off the routes; the app never connects, so any database will do.
    settings = load_settings(database_url="postgresql://tessera@localhost/openapi")
    app = create_app(settings, registry=registry)
    # Litestar's encoder knows the examples' types; re-read so the keys come out sorted.
    schema = json.loads(encode_json(app.openapi_schema.to_schema()))
    document = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(document, nl=False)
    else:
        output.write_text(document)


@main.command()
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Worker processes.",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 256),
    default=8,
    show_default=True,
    help="Messages each process works on at once.",
)
def worker(processes: int, threads: int) -> None:
    """Run background workers: event handlers, long jobs and scheduled runs."""
    settings = load_settings()
    if not settings.database_url and not settings.app_database_url:
        raise click.ClickException("TESSERA_DATABASE_URL is required (tessera dev starts one)")
    # dramatiq's own command runs the processes: restarts, signals and graceful shutdown.
    arguments = ["-m", "dramatiq", "tessera.jobs.worker"]
    arguments += ["--processes", str(processes), "--threads", str(threads)]
    os.execv(sys.executable, [sys.executable, *arguments])  # noqa: S606


@main.command()
def scheduler() -> None:
    """Run the dispatcher: relays events to the workers and dispatches periodic jobs.

    Several may run at once (they share the outbox and each period is claimed once).
    """
    settings = load_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    if not settings.database_url and not settings.dispatch_database_url:
        raise click.ClickException("TESSERA_DATABASE_URL is required (tessera dev starts one)")
    from tessera.jobs.dispatcher import run_dispatcher

    asyncio.run(run_dispatcher(settings))


@contextmanager
def background_processes(settings: Settings) -> Iterator[None]:
    """The dispatcher and one worker beside the development server, stopped with it."""
    import subprocess

    environment = {**os.environ, "TESSERA_DATABASE_URL": settings.database_url or ""}
    commands = (["scheduler"], ["worker", "--processes", "1", "--threads", "4"])
    children = [
        subprocess.Popen([sys.executable, "-m", "tessera", *command], env=environment)  # noqa: S603
        for command in commands
    ]
    try:
        yield
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()


@main.command()
@click.option("--host", help="Address to listen on.  [default: TESSERA_HOST or 127.0.0.1]")
@click.option(
    "--port", type=click.IntRange(1, 65535), help="Port.  [default: TESSERA_PORT or 8000]"
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    help="Worker processes.  [default: TESSERA_WORKERS or 1]",
)
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Run the production web server (granian). Migrations are a separate step: `tessera migrate`."""
    settings = load_settings(host=host, port=port, workers=workers)
    share_metrics_between_workers()
    with owner_database(settings) as settings:
        runtime_url = runtime_database_url(settings)
        # Worker processes build their app from the environment (tessera.asgi).
        os.environ["TESSERA_APP_DATABASE_URL"] = runtime_url
        assert settings.database_url
        os.environ["TESSERA_DATABASE_URL"] = settings.database_url
        from granian.constants import Interfaces
        from granian.server import Server

        click.echo(
            f"Serving on http://{settings.host}:{settings.port} with {settings.workers} worker(s)",
            err=True,
        )
        Server(
            "tessera.asgi:app",
            address=settings.host,
            port=settings.port,
            interface=Interfaces.ASGI,
            workers=settings.workers,
            log_access=False,
            # A worker still starting up when SIGTERM arrives misses it and would serve on,
            # its parent waiting for it forever; past the grace, the parent kills it.
            workers_kill_timeout=settings.shutdown_grace_seconds,
        ).serve()


def share_metrics_between_workers() -> None:
    """Point the server's worker processes at one empty directory for their metrics' files.

    Must run before any worker imports prometheus-client, which reads the variable then. An
    operator's directory (on a writable volume when the root filesystem is read-only) is
    emptied: files of an earlier run would count its requests again.
    """
    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
    else:
        directory = Path(tempfile.mkdtemp(prefix="tessera-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)


@main.command()
def migrate() -> None:
    """Create the database roles and apply every pending migration."""
    settings = load_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    with owner_database(settings) as settings:
        apply_migrations(settings)
    click.echo("Database is at the latest migration.")


@asynccontextmanager
async def unit_of_work(settings: Settings) -> AsyncIterator[UnitOfWork]:
    """A transaction for a CLI command, as the runtime role (RLS applies as in requests)."""
    from tessera.runtime import default_mailer

    database = Database(runtime_database_url(settings), pool_size=1, session_class=PlatformSession)
    try:
        async with database.transaction() as db:
            set_retention(db.sync_session, settings.recycle_days)
            uow = UnitOfWork(
                db=db,
                settings=settings,
                signer=SignedTokens(settings.secret_key),
                side_transaction=database.transaction,
            )
            yield uow
        await deliver(default_mailer(settings), uow.mail)
    finally:
        await database.dispose()


def run_with_database(settings: Settings, work: Any) -> Any:
    """Run ``work(uow)`` in a transaction; a domain error becomes one line on stderr."""

    async def go(settings: Settings) -> Any:
        async with unit_of_work(settings) as uow:
            return await work(uow)

    with owner_database(settings) as settings:
        try:
            return asyncio.run(go(settings))
        except Invalid as exc:
            raise click.ClickException(f"{exc.errors[0].field} {exc.errors[0].message}") from None
        except DomainError as exc:
            raise click.ClickException(exc.detail) from None


@main.group()
def tenants() -> None:
    """List and create tenants."""


@tenants.command("list")
def tenants_list() -> None:
    """List every tenant."""
    from tessera.tenants.service import list_tenants

    async def work(uow: UnitOfWork) -> list[Any]:
        return await list_tenants(uow.db)

    rows = run_with_database(load_settings(), work)
    if not rows:
        click.echo(
            "No tenants yet. Create one with `tessera tenants create` or sign up in the browser."
        )
        return
    click.echo(f"{'SLUG':<40} {'STATUS':<10} {'CREATED':<20} NAME")
    for tenant in rows:
        created = tenant.created_at.strftime("%Y-%m-%d %H:%M")
        click.echo(f"{tenant.slug:<40} {tenant.status:<10} {created:<20} {tenant.name}")


@tenants.command("create")
@click.option("--name", required=True, help="Company name.")
@click.option("--slug", required=True, help="Tenant slug: 3-40 lowercase letters, digits, hyphens.")
@click.option(
    "--owner-email", required=True, help="The owner's email (an existing account or a new one)."
)
@click.option("--owner-name", default="", help="The owner's name, for a new account.")
@click.password_option("--owner-password", help="The owner's password (asked for if not given).")
def tenants_create(
    name: str, slug: str, owner_email: str, owner_name: str, owner_password: str
) -> None:
    """Create a tenant owned by an account."""
    from tessera.identity.signup import create_with_owner

    async def work(uow: UnitOfWork) -> str:
        created = await create_with_owner(
            uow,
            company_name=name,
            slug=slug,
            name=owner_name or owner_email.split("@")[0],
            email=owner_email,
            password=owner_password,
        )
        return created.tenant.slug

    created_slug = run_with_database(load_settings(), work)
    click.echo(f"Created tenant {created_slug!r} owned by {owner_email}.")


@tenants.command("export")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def tenants_export(slug: str, file: Path) -> None:
    """Write one tenant (rows, accounts, files) to an archive (FILE.tar, or .tar.gz)."""
    from tessera.tenants.portability import export_tenant

    manifest = run_portability(lambda deployment: export_tenant(deployment, slug, file))
    rows = sum(t.rows for t in manifest.tables)
    click.echo(
        f"Exported tenant {slug!r}: {rows} rows in {len(manifest.tables)} tables, "
        f"{len(manifest.files)} files, to {file}."
    )


@tenants.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def tenants_import(file: Path) -> None:
    """Recreate a tenant from an archive made by `tessera tenants export` (same version)."""
    from tessera.tenants.portability import import_tenant

    manifest = run_portability(lambda deployment: import_tenant(deployment, file))
    click.echo(f"Imported tenant {manifest.tenant['slug']!r} ({manifest.tenant_id}).")


def run_portability(work: Any) -> Any:
    """Run an export or import as the database owner, its progress on stderr."""
    from tessera.tenants.portability import ArchiveError, Deployment

    settings = load_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    with owner_database(settings) as settings:
        deployment = Deployment.from_settings(settings, progress=lambda m: click.echo(m, err=True))
        try:
            return asyncio.run(work(deployment))
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None


@main.group()
def plugins() -> None:
    """Installed plugins."""


@plugins.command("list")
def plugins_list() -> None:
    """List installed plugins, and those that failed to load (with the reason)."""
    registry = installed_plugins()
    if not registry.plugins and not registry.failures:
        click.echo("No plugins installed.")
    for plugin in registry.plugins.values():
        m = plugin.manifest
        depends = f"  needs {', '.join(m.depends)}" if m.depends else ""
        click.echo(f"{m.name:<20} {m.version:<10} loaded   {m.label}{depends}")
    for failure in registry.failures:
        click.echo(f"{failure.name:<20} {'-':<10} FAILED   ({failure.stage}) {failure.reason}")


@main.group()
def plugin() -> None:
    """Write plugins: a new one from the template."""


@plugin.command("new")
@click.argument("name")
@click.option(
    "--dest",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to create.  [default: ./tessera-NAME]",
)
@click.option("--label", help="What people see as the module's name.  [default: from NAME]")
def plugin_new(name: str, dest: Path | None, label: str | None) -> None:
    """Generate a ready plugin package NAME: model, migration, routes, permissions, screens,
    an event and its handlers, an approval, English and Chinese strings, tests."""
    from tessera import scaffold

    try:
        new = scaffold.plan(name, dest, label)
        revision = scaffold.core_revision()
    except scaffold.ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    scaffold.render(new, revision)
    click.echo(f"Created {new.distribution} (module {new.module}) in {new.dest}")
    click.echo(f"Next: cd {new.dest} && pip install -e '.[test]' && pytest")


@main.group()
def audit() -> None:
    """Check the audit trail."""


@audit.command("verify")
@click.option("--tenant", "slug", help="Only this tenant (its slug).  [default: every tenant]")
def audit_verify(slug: str | None) -> None:
    """Recompute each tenant's hash chain and name the first entry that does not match."""
    from tessera.audit.service import verify_tenant
    from tessera.tenants.service import get_by_slug, list_tenants

    async def work(uow: UnitOfWork) -> list[tuple[str, Any]]:
        if slug is not None:
            tenant = await get_by_slug(uow.db, slug)
            if tenant is None:
                raise click.ClickException(f"No tenant has the slug {slug!r}.")
            chosen = [tenant]
        else:
            chosen = await list_tenants(uow.db)
        return [(t.slug, await verify_tenant(uow.db, t.id)) for t in chosen]

    broken = 0
    for tenant_slug, verdict in run_with_database(load_settings(), work):
        if verdict.ok:
            click.echo(f"{tenant_slug}: {verdict.entries} entries, chain intact")
            continue
        broken += 1
        where = f"entry #{verdict.broken_seq}" if verdict.broken_seq else "the chain head"
        click.echo(f"{tenant_slug}: BROKEN at {where}: {verdict.reason}", err=True)
    if broken:
        raise SystemExit(1)


@main.group()
def recycle() -> None:
    """The recycle bin."""


@recycle.command("purge-expired")
def recycle_purge_expired() -> None:
    """Remove records that stayed in every tenant's bin past TESSERA_RECYCLE_DAYS."""
    from tessera.db.tenant_context import set_tenant
    from tessera.recycle.service import purge_expired
    from tessera.tenants.service import list_tenants

    async def work(uow: UnitOfWork) -> int:
        removed = 0
        for tenant in await list_tenants(uow.db):
            await set_tenant(uow.db, tenant.id)
            removed += await purge_expired(uow)
        return removed

    removed = run_with_database(load_settings(), work)
    click.echo(f"Purged {removed} expired record(s) from the recycle bins.")


@main.group()
def db() -> None:
    """The database's layout."""


@db.command("citus-plan")
def db_citus_plan() -> None:
    """Print the SQL that would distribute the tables on Citus, derived from the models.

    Tenant-owned tables are distributed by tenant_id and co-located; the platform tables
    become reference tables. Exits non-zero, naming each table Citus would refuse, if any
    table breaks the rules distribution needs (docs/scaling.md).
    """
    from tessera.db.base import PLATFORM_TABLES
    from tessera.db.citus import citus_plan
    from tessera.db.migrations import VERSION_TABLE
    from tessera.metadata import load_metadata

    plan = citus_plan(
        load_metadata(), platform_tables=PLATFORM_TABLES, local_tables=(VERSION_TABLE,)
    )
    if plan.problems:
        click.echo(f"No plan: {len(plan.problems)} table rule(s) Citus would refuse:", err=True)
        for problem in plan.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)
    click.echo(plan.sql(), nl=False)


@main.group()
def users() -> None:
    """Manage user accounts."""


@users.command("create")
@click.option("--email", required=True, help="Email address (unique across Tessera).")
@click.option("--name", required=True, help="Full name.")
@click.password_option("--password", help="Password (asked for if not given).")
def users_create(email: str, name: str, password: str) -> None:
    """Create a user account (with no tenant yet)."""
    from tessera.identity.service import create_user

    async def work(uow: UnitOfWork) -> str:
        return (await create_user(uow.db, email=email, name=name, password=password)).email

    click.echo(f"Created user {run_with_database(load_settings(), work)}.")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
