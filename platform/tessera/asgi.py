"""The ASGI application object for production servers (``granian tessera.asgi:app``)."""

from __future__ import annotations

from tessera.app import create_app
from tessera.logs import configure_logging
from tessera.settings import Settings

settings = Settings.from_env()
configure_logging(settings.log_level, json_lines=settings.log_json)
app = create_app(settings)
