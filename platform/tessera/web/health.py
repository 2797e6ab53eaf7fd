"""Liveness and readiness probes, and the dev mailbox."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Response, get
from litestar.datastructures import State
from sqlalchemy import text

from tessera.db.migrations import database_heads, is_at_heads, script_heads
from tessera.errors import NotFound
from tessera.mail.service import DevMailer
from tessera.web.context import services_of


@get("/health/live", media_type=MediaType.JSON, tags=["health"], include_in_schema=True)
async def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@get("/health/ready", media_type=MediaType.JSON, tags=["health"])
async def ready(state: State) -> Response[dict[str, Any]]:
    """The database answers and its schema is at the code's migration heads."""
    services = services_of(state)
    try:
        async with services.database.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            applied = await database_heads(conn)
    except Exception as exc:
        return Response(
            {"status": "unavailable", "database": f"unreachable: {type(exc).__name__}"},
            status_code=503,
        )
    migrations_dir = services.settings.migrations_dir
    plugin_dirs = tuple(services.registry.migration_dirs())
    expected = script_heads(migrations_dir, plugin_dirs)
    if not is_at_heads(migrations_dir, applied, plugin_dirs):
        return Response(
            {
                "status": "unavailable",
                "database": "ok",
                "migrations": {"applied": sorted(applied), "expected": sorted(expected)},
            },
            status_code=503,
        )
    return Response({"status": "ok", "database": "ok", "migrations": "at head"})


@get("/api/v1/dev/mail", tags=["dev"], summary="Mail kept by the dev mailer (dev only)")
async def dev_mail(state: State) -> list[dict[str, Any]]:
    mailer = services_of(state).mailer
    if not isinstance(mailer, DevMailer):
        raise NotFound("The dev mailbox exists only when no SMTP server is configured.")
    return list(mailer.messages())
