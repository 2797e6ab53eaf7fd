"""Files for plugins: store an upload, refer to it, serve it, let it go.

One storage for every plugin, configured once by the operator (local disk or an S3-compatible
store); plugins never see keys, paths or buckets, only a file's id and :class:`FileInfo`::

    class Receipt(TenantModel):
        __tablename__ = "expenses_receipt"
        __table_args__ = (file_fk("file_id"), ...)
        file_id: Mapped[uuid.UUID]

    @post("/{claim_id:uuid}/receipts", opt=requires("expenses.claim.write") | file_upload())
    async def upload(self, claim_id: uuid.UUID, request: Request, actor: Member, uow: Uow):
        claim = await _get(uow, actor, claim_id)      # the plugin's own checks first
        upload = await store_upload(uow, actor, request)
        uow.db.add(Receipt(tenant_id=actor.tenant_id, claim_id=claim.id, file_id=upload.file.id))

    @get("/receipts/{receipt_id:uuid}/content", opt=requires("expenses.claim.write"))
    async def content(self, receipt_id: uuid.UUID, actor: Member, uow: Uow) -> Response:
        receipt = await _receipt(uow, actor, receipt_id)
        return await open_download(uow, receipt.file_id)

A file stays while a row refers to it through :func:`file_fk` or a record in the recycle bin
does; see the plugin guide, "Files".
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar import Request
from litestar.response import Stream
from sqlalchemy import ForeignKeyConstraint

from tessera.db.base import tenant_fk
from tessera.errors import TooLarge
from tessera.identity.service import Actor
from tessera.storage import names, service, transfer
from tessera.storage.models import StoredFile
from tessera.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class FileInfo:
    """A stored file as a plugin sees it."""

    id: uuid.UUID
    #: The uploader's name for it, cleaned (no path, no control characters): for display and
    #: for ``Content-Disposition``, never for a path.
    filename: str
    content_type: str
    size: int
    #: Lowercase hex SHA-256 of the content.
    sha256: str
    created_by: uuid.UUID | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Upload:
    """What :func:`store_upload` received: the file, and a multipart body's text fields."""

    file: FileInfo
    fields: Mapping[str, str]


def file_fk(column: str) -> ForeignKeyConstraint:
    """The foreign key from ``column`` to a stored file of the same tenant. It is what holds the
    file: the platform never removes a file a row refers to (``ON DELETE RESTRICT``)."""
    return tenant_fk(column, "stored_file", ondelete="RESTRICT")


def _info(stored: StoredFile) -> FileInfo:
    return FileInfo(
        id=stored.id,
        filename=stored.filename,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        created_by=stored.created_by,
        created_at=stored.created_at,
    )


async def store_upload(
    uow: UnitOfWork, actor: Actor, request: Request[Any, Any, Any], *, part: str = "file"
) -> Upload:
    """Stream the request's file into storage, within the tenant's size limit.

    The route must be marked ``file_upload()``. The body is the raw file (its type in
    ``Content-Type``, its name in the ``filename`` query parameter) or ``multipart/form-data``
    with the file in the part named ``part``. Answers 413 as soon as the file passes the
    tenant's limit, 422 for a missing or unusable name; either way nothing is stored. The new
    file's row is part of the request's transaction: if the request fails later, the file goes.
    """
    limit = await service.file_limit(uow.db, uow.settings)
    incoming = await transfer.receive(request, part=part, limit=limit)
    try:
        stored = await service.store(
            uow,
            tenant_id=actor.tenant,
            user_id=actor.user_id,
            chunks=incoming.chunks,
            filename=incoming.filename,
            content_type=incoming.content_type,
            limit=limit,
        )
    except TooLarge:
        await incoming.body.drain()
        raise
    return Upload(file=_info(stored), fields=dict(incoming.fields))


async def store_file(
    uow: UnitOfWork,
    actor: Actor,
    chunks: AsyncIterable[bytes],
    *,
    filename: str,
    content_type: str | None = None,
) -> FileInfo:
    """Store a file the plugin makes itself (an export, a generated PDF), streamed from
    ``chunks``, under the same rules and limit as an upload."""
    limit = await service.file_limit(uow.db, uow.settings)
    stored = await service.store(
        uow,
        tenant_id=actor.tenant,
        user_id=actor.user_id,
        chunks=chunks,
        filename=filename,
        content_type=content_type,
        limit=limit,
    )
    return _info(stored)


async def get_file(uow: UnitOfWork, file_id: uuid.UUID) -> FileInfo:
    """A file of the current tenant; 404 if there is none with this id (another tenant's
    included). Check an id a client sends before storing a reference to it."""
    return _info(await service.get(uow.db, file_id))


async def open_download(
    uow: UnitOfWork, file_id: uuid.UUID, *, inline: bool = False, filename: str | None = None
) -> Stream:
    """A streamed response with the file's bytes, for a route to return as it is.

    The plugin decides who may read (its own record rules) before calling this. ``inline``
    lets a browser show images, PDFs and plain text in place; other types always download.
    ``filename`` offers the download under another name than the uploader's (a document
    renamed since), cleaned as an upload's name is.
    """
    stored = await service.get(uow.db, file_id)
    shown = None if filename is None else names.clean_filename(filename)
    opened = await service.open_bytes(uow.settings, stored)
    return transfer.download(stored, opened, inline=inline, filename=shown)


def clean_filename(raw: str, *, field: str = "filename") -> str:
    """A file's name as the platform keeps it: the last segment of any path (``../../etc/passwd``
    is ``passwd``), NFC-normalised, without trailing dots and spaces; 422 naming ``field`` for
    control characters, an empty name or one over 255 characters. For a plugin that lets people
    rename what they uploaded under the same rules."""
    return names.clean_filename(raw, field=field)


async def delete_file(uow: UnitOfWork, file_id: uuid.UUID) -> bool:
    """Say the plugin is done with a file (after dropping its own references to it).

    The file is removed with this transaction if nothing holds it any more, and True is
    returned; if something does (another row, a record in the recycle bin), it stays, False is
    returned, and the platform removes it once nothing holds it. 404 for an unknown id.
    """
    return await service.delete(uow, file_id)
