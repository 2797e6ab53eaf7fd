"""HTTP API of the company profile: every member reads it (it is on every document they send
out); changing it takes ``company.profile.manage``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, put
from litestar.params import JSONBody
from litestar.response import Stream

from tessera.company import service
from tessera.company.schemas import CompanyIn, CompanyOut
from tessera.errors import NotFound
from tessera.storage import service as storage
from tessera.storage import transfer
from tessera.web.context import Member, Uow, file_upload, requires

MANAGE = "company.profile.manage"


def _out(profile: service.Profile) -> CompanyOut:
    return CompanyOut(
        legal_name=profile.legal_name,
        address=profile.address,
        tax_id=profile.tax_id,
        phone=profile.phone,
        email=profile.email,
        logo_file_id=profile.logo_file_id,
    )


class CompanyController(Controller):
    path = "/company"
    tags = ["company"]

    @get("/", summary="The company profile printed on the tenant's documents")
    async def read(self, actor: Member, uow: Uow) -> CompanyOut:
        return _out(await service.read(uow.db, actor.tenant))

    @patch("/", summary="Change the company profile", opt=requires(MANAGE))
    async def change(self, data: JSONBody[CompanyIn], actor: Member, uow: Uow) -> CompanyOut:
        return _out(await service.change(uow, actor.tenant, data.changes()))

    @put(
        "/logo",
        summary="Upload the company logo (PNG or JPEG, at most 1 MiB; raw body with ?filename= "
        "or multipart/form-data with the part 'file')",
        opt=requires(MANAGE) | file_upload(),
    )
    async def upload_logo(
        self, request: Request[Any, Any, Any], actor: Member, uow: Uow
    ) -> CompanyOut:
        return _out(await service.set_logo(uow, actor, request))

    @delete("/logo", summary="Remove the company logo", opt=requires(MANAGE), status_code=200)
    async def remove_logo(self, actor: Member, uow: Uow) -> CompanyOut:
        return _out(await service.remove_logo(uow, actor.tenant))

    @get("/logo", summary="The company logo's image")
    async def logo(self, actor: Member, uow: Uow) -> Stream:
        profile = await service.read(uow.db, actor.tenant)
        if profile.logo_file_id is None:
            raise NotFound("The company has no logo.")
        stored = await storage.get(uow.db, profile.logo_file_id)
        opened = await storage.open_bytes(uow.settings, stored)
        return transfer.download(stored, opened, inline=True)


ROUTE_HANDLERS: list[Any] = [CompanyController]
