"""The deployment an archive is exported from or imported into: its database (reached as the
owner of the tables), its file store and its code's migrations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tessera.modules.registry import installed_plugins
from tessera.settings import Settings
from tessera.storage.backends import FileStorage, storage_for

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    del message


@dataclass(frozen=True, slots=True)
class Deployment:
    owner_url: str
    storage: FileStorage
    migrations_dir: Path
    plugin_version_dirs: Sequence[Path]
    #: Told about each table and the files as they go, for large tenants.
    progress: Progress = _quiet

    @classmethod
    def from_settings(cls, settings: Settings, progress: Progress = _quiet) -> Deployment:
        if not settings.database_url:
            raise ValueError("the deployment's owner URL (TESSERA_DATABASE_URL) is not set")
        return cls(
            owner_url=settings.database_url,
            storage=storage_for(settings),
            migrations_dir=settings.migrations_dir,
            plugin_version_dirs=tuple(installed_plugins().migration_dirs()),
            progress=progress,
        )
