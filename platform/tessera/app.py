"""The Litestar application: ``create_app(settings) -> Litestar``."""

from __future__ import annotations

import gc
from typing import Any

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from tessera import __version__
from tessera.access.routes import ROUTE_HANDLERS as ACCESS_ROUTES
from tessera.audit.routes import AuditController
from tessera.company.routes import ROUTE_HANDLERS as COMPANY_ROUTES
from tessera.db.engine import Database
from tessera.events.routes import ROUTE_HANDLERS as EVENT_ROUTES
from tessera.identity.routes import ROUTE_HANDLERS as IDENTITY_ROUTES
from tessera.jobs.routes import ROUTE_HANDLERS as JOB_ROUTES
from tessera.mail.service import Mailer
from tessera.modules.registry import PluginRegistry, installed_plugins
from tessera.modules.routes import ROUTE_HANDLERS as MODULE_ROUTES
from tessera.notifications.routes import ROUTE_HANDLERS as NOTIFICATION_ROUTES
from tessera.observability.operations import Operations
from tessera.observability.tracing import configured_tracing
from tessera.recycle.capture import PlatformSession
from tessera.recycle.routes import ROUTE_HANDLERS as RECYCLE_ROUTES
from tessera.runtime import default_mailer, runtime_database_url
from tessera.security.signed import SignedTokens
from tessera.settings import Settings
from tessera.storage.backends import storage_for
from tessera.storage.routes import ROUTE_HANDLERS as STORAGE_ROUTES
from tessera.web.context import (
    Services,
    check_request,
    provide_actor,
    provide_texts,
    provide_uow,
    provide_user,
)
from tessera.web.frontend import FRONTEND_ROUTES
from tessera.web.health import dev_mail, live, ready
from tessera.web.metrics import OPERATIONS_STATE, metrics
from tessera.web.middleware import RequestContextMiddleware
from tessera.web.problems import EXCEPTION_HANDLERS
from tessera.webhooks.routes import ROUTE_HANDLERS as WEBHOOK_ROUTES
from tessera.workflow.centre_routes import ROUTE_HANDLERS as APPROVAL_CENTRE_ROUTES
from tessera.workflow.reports import WorkflowReportsController
from tessera.workflow.routes import ROUTE_HANDLERS as WORKFLOW_ROUTES


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    mailer: Mailer | None = None,
    registry: PluginRegistry | None = None,
) -> Litestar:
    services = Services(
        settings=settings,
        database=database
        or Database(
            runtime_database_url(settings),
            pool_size=settings.db_pool_size,
            session_class=PlatformSession,
        ),
        signer=SignedTokens(settings.secret_key),
        mailer=mailer or default_mailer(settings),
        registry=registry or installed_plugins(),
    )
    api_handlers: list[Any] = [
        *IDENTITY_ROUTES,
        *ACCESS_ROUTES,
        AuditController,
        *MODULE_ROUTES,
        *RECYCLE_ROUTES,
        *EVENT_ROUTES,
        *JOB_ROUTES,
        *NOTIFICATION_ROUTES,
        *WEBHOOK_ROUTES,
        *WORKFLOW_ROUTES,
        WorkflowReportsController,
        *APPROVAL_CENTRE_ROUTES,
        *STORAGE_ROUTES,
        *COMPANY_ROUTES,
        *services.registry.route_handlers(),
    ]
    api = Router(path="/api/v1", route_handlers=api_handlers)
    handlers: list[Any] = [api, live, ready, metrics, *FRONTEND_ROUTES]
    if settings.env != "production":
        handlers.append(dev_mail)

    async def close_database() -> None:
        await services.database.dispose()

    async def close_storage() -> None:
        await storage_for(settings).aclose()

    operations = Operations(settings)
    tracing = configured_tracing()

    async def close_observability() -> None:
        if tracing is not None:
            tracing.shutdown()

    async def freeze_startup_objects() -> None:
        # What start-up made (routes, schemas, metadata, plugins) lives as long as the process;
        # frozen, the collector no longer walks it on every full collection, whose pauses
        # otherwise show in the slowest requests.
        gc.freeze()

    app = Litestar(
        route_handlers=handlers,
        state=State({"services": services, OPERATIONS_STATE: operations}),
        dependencies={
            "uow": Provide(provide_uow),
            "user_actor": Provide(provide_user),
            "actor": Provide(provide_actor),
            "texts": Provide(provide_texts),
        },
        before_request=check_request,
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.max_body_bytes,
        on_startup=[freeze_startup_objects],
        on_shutdown=[close_storage, close_database, close_observability],
        plugins=[tracing.plugin] if tracing is not None else [],
        openapi_config=OpenAPIConfig(
            title="Tessera API",
            version=__version__,
            path="/api/docs",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        logging_config=None,
        debug=False,
    )
    # Outermost, around routing itself: a 404 or 405 from the router gets a request id and
    # an access-log line too (route middleware only runs once a route has matched).
    app.asgi_handler = RequestContextMiddleware(
        app.asgi_handler, settings.trusted_proxies, services.database
    )
    return app
