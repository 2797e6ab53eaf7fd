"""The module ``tessera worker`` hands to dramatiq's worker command.

Importing it reads the settings, builds the broker and declares the actors, as dramatiq's
command expects of the module it is given.
"""

from __future__ import annotations

import dramatiq

from tessera.db.engine import Database
from tessera.jobs.actors import LazyRunner, declare_actors
from tessera.jobs.broker import make_broker
from tessera.jobs.catalog import build_catalog
from tessera.jobs.core import core_declarations
from tessera.jobs.runner import Runner
from tessera.logs import configure_logging
from tessera.modules.registry import installed_plugins
from tessera.recycle.capture import PlatformSession
from tessera.runtime import default_mailer, runtime_database_url
from tessera.settings import Settings

settings = Settings.from_env()
configure_logging(settings.log_level, json_lines=settings.log_json)


def _build_runner() -> Runner:
    database = Database(runtime_database_url(settings), pool_size=10, session_class=PlatformSession)
    catalog = build_catalog(installed_plugins(), core_declarations(settings))
    return Runner(database, catalog, default_mailer(settings), settings)


broker = make_broker(settings)
dramatiq.set_broker(broker)
actors = declare_actors(broker, settings, LazyRunner(_build_runner))
