"""HTTP API of the tenant's storage settings. Files themselves are served by the plugins that
hold them (``tessera.plugin.store_upload`` / ``open_download``), under their own permissions."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, put
from litestar.params import JSONBody

from tessera.settings import Settings
from tessera.storage import service
from tessera.storage.schemas import StorageSettingsIn, StorageSettingsOut
from tessera.web.context import Member, Uow, requires

MANAGE = "storage.settings.manage"


def _out(settings: Settings, max_file_bytes: int) -> StorageSettingsOut:
    return StorageSettingsOut(
        max_file_bytes=max_file_bytes,
        ceiling_max_file_bytes=settings.storage_file_limit_ceiling_bytes,
        default_max_file_bytes=settings.storage_file_limit_bytes,
    )


class StorageSettingsController(Controller):
    path = "/storage/settings"
    tags = ["storage"]

    @get("/", summary="The tenant's file size limit (every member may read it, to check an upload)")
    async def read(self, actor: Member, uow: Uow) -> StorageSettingsOut:
        return _out(uow.settings, await service.file_limit(uow.db, uow.settings))

    @put("/", summary="Change the tenant's file size limit", opt=requires(MANAGE))
    async def change(
        self, data: JSONBody[StorageSettingsIn], actor: Member, uow: Uow
    ) -> StorageSettingsOut:
        limit = await service.set_file_limit(uow, actor.tenant, data.max_file_bytes)
        return _out(uow.settings, limit)


ROUTE_HANDLERS: list[Any] = [StorageSettingsController]
