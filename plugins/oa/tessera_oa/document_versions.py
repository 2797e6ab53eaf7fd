"""A document's versions, mounted under /api/v1/oa/document-versions: who uploaded each and
when, each downloadable; uploading here adds the next one.

Versions are never changed or deleted one by one: they go to the recycle bin and come back
with their document, and each keeps its file for as long as it exists.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    Uow,
    file_upload,
    open_download,
    requires,
)
from tessera_oa.document_access import Viewer, viewer_of
from tessera_oa.documents import Found, document_at, upload_version
from tessera_oa.documents_models import DocumentVersion

READ = "oa.document.read"
#: Newest first.
SORTING = Sorting({"number": DocumentVersion.number}, DocumentVersion.id, default="-number")
DocumentFilter = Annotated[uuid.UUID, QueryParameter(description="The document")]
Inline = Annotated[bool, QueryParameter(description="Show in the browser if the type allows")]


class VersionOut(msgspec.Struct):
    id: uuid.UUID
    document_id: uuid.UUID
    number: int
    #: The name it was uploaded under (its last path segment, cleaned by the platform).
    filename: str
    size: int
    content_type: str
    sha256: str
    #: Who uploaded it, and when.
    created_by: uuid.UUID | None
    created_at: datetime


def version_out(version: DocumentVersion) -> VersionOut:
    return msgspec.convert(version, VersionOut, from_attributes=True)


async def _version(
    db: AsyncSession, viewer: Viewer, version_id: uuid.UUID
) -> tuple[DocumentVersion, Found]:
    """A version of a document the viewer reads; 404 otherwise."""
    version = (
        await db.scalars(select(DocumentVersion).where(DocumentVersion.id == version_id))
    ).one_or_none()
    if version is None:
        raise NotFound("No such version.")
    try:
        return version, await document_at(db, viewer, version.document_id)
    except NotFound:
        raise NotFound("No such version.") from None


class DocumentVersionsController(Controller):
    path = "/document-versions"
    tags = ["oa"]

    @get("/", summary="A document's versions, newest first", opt=requires(READ))
    async def list_versions(
        self,
        actor: Member,
        uow: Uow,
        document_id: DocumentFilter,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[VersionOut]:
        await document_at(uow.db, await viewer_of(uow.db, actor), document_id)
        page = SORTING.page(
            select(DocumentVersion).where(DocumentVersion.document_id == document_id),
            None,
            cursor,
            limit,
        )
        return page.of(list((await uow.db.scalars(page.query)).all()), version_out)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Upload the document's next version (raw with ?filename=, or multipart)",
        opt=requires(READ) | file_upload(),
    )
    async def upload(
        self,
        document_id: DocumentFilter,
        request: Request[Any, Any, Any],
        actor: Member,
        uow: Uow,
    ) -> VersionOut:
        return version_out(await upload_version(uow, actor, document_id, request))

    @get("/{version_id:uuid}", summary="One version", opt=requires(READ))
    async def get_one(self, version_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> VersionOut:
        version, _ = await _version(uow.db, await viewer_of(uow.db, actor), version_id)
        return version_out(version)

    @get("/{version_id:uuid}/content", summary="Download this version", opt=requires(READ))
    async def content(
        self, version_id: FromPath[uuid.UUID], actor: Member, uow: Uow, inline: Inline = False
    ) -> Stream:
        version, found = await _version(uow.db, await viewer_of(uow.db, actor), version_id)
        name = found.document.name
        return await open_download(uow, version.file_id, inline=inline, filename=name)
