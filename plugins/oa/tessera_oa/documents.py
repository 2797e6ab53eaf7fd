"""Documents, mounted under /api/v1/oa/documents: uploads streamed into the platform's storage,
a version per upload, rename, move and delete (to the recycle bin, versions and files kept).

A document is reached as its folder is (:mod:`tessera_oa.document_access`). Uploading a name
the folder already has adds a version to that document; names are compared regardless of
case. The uploader's filename is only ever a name: the platform keeps its last path segment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    FileInfo,
    Input,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    emit,
    file_upload,
    open_download,
    requires,
    store_upload,
)
from tessera_oa.document_access import (
    LEVEL_NAMES,
    Level,
    Viewer,
    folder_at,
    reach,
    readable,
    require,
    viewer_of,
)
from tessera_oa.documents_models import Document, DocumentVersion
from tessera_oa.folders import clean_name, target_folder

READ = "oa.document.read"
SORTING = Sorting(
    {
        "name": Document.name,
        "size": Document.size,
        "created_at": Document.created_at,
        "updated_at": Document.updated_at,
    },
    Document.id,
    default="name",
)
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
FolderFilter = Annotated[
    uuid.UUID | None,
    QueryParameter(description="Only the documents of this folder (else every one you can read)"),
]
UploadFolder = Annotated[uuid.UUID, QueryParameter(description="The folder to upload into")]
Search = Annotated[str | None, QueryParameter(max_length=255, description="Part of the name")]
Inline = Annotated[bool, QueryParameter(description="Show in the browser if the type allows")]


class DocumentPatch(Input):
    name: Name | None = None
    #: Moves the document into this folder.
    folder_id: uuid.UUID | None = None


class DocumentOut(msgspec.Struct):
    id: uuid.UUID
    folder_id: uuid.UUID
    name: str
    #: The newest version's number, size and type.
    version: int
    size: int
    content_type: str
    created_by: uuid.UUID | None
    #: Who uploaded the newest version.
    updated_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    #: What the caller may do with it (its folder's level): read, write or manage.
    access: str


def document_out(document: Document, level: Level) -> DocumentOut:
    return DocumentOut(
        id=document.id,
        folder_id=document.folder_id,
        name=document.name,
        version=document.version,
        size=document.size,
        content_type=document.content_type,
        created_by=document.created_by,
        updated_by=document.updated_by,
        created_at=document.created_at,
        updated_at=document.updated_at,
        access=LEVEL_NAMES[level],
    )


@dataclass(frozen=True, slots=True)
class Found:
    document: Document
    level: Level


async def document_at(
    db: AsyncSession, viewer: Viewer, document_id: uuid.UUID, *, lock: bool = False
) -> Found:
    """A document of a folder the viewer reads; 404 otherwise, as for one that never was."""
    query = select(Document).where(Document.id == document_id)
    if lock:
        query = query.with_for_update()
    document = (await db.scalars(query)).one_or_none()
    reached = None if document is None else await reach(db, viewer, document.folder_id)
    if document is None or reached is None:
        raise NotFound("No such document.")
    return Found(document, reached.level)


def require_write(found: Found, doing: str) -> None:
    require(found.level, Level.WRITE, doing)


async def _lock_name(db: AsyncSession, folder_id: uuid.UUID, name: str) -> None:
    """Two uploads of one new name into one folder take turns, so the second becomes its
    second version instead of failing on the unique name."""
    await db.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended('oa.document:' || :key, 0))"),
        {"key": f"{folder_id}:{name.lower()}"},
    )


async def _named(db: AsyncSession, folder_id: uuid.UUID, name: str) -> Document | None:
    query = select(Document).where(
        Document.folder_id == folder_id, func.lower(Document.name) == name.lower()
    )
    return (await db.scalars(query.with_for_update())).one_or_none()


async def _add_version(
    db: AsyncSession, actor: Actor, document: Document, info: FileInfo, number: int
) -> DocumentVersion:
    """The file as the document's version ``number``, which becomes its newest."""
    version = DocumentVersion(
        tenant_id=actor.tenant,
        document_id=document.id,
        number=number,
        file_id=info.id,
        filename=info.filename,
        size=info.size,
        content_type=info.content_type,
        sha256=info.sha256,
        created_by=actor.user_id,
    )
    document.version, document.size = number, info.size
    document.content_type, document.updated_by = info.content_type, actor.user_id
    db.add(version)
    await db.flush()
    return version


def _uploaded(document: Document, version: DocumentVersion) -> dict[str, Any]:
    return {
        "document_id": document.id,
        "folder_id": document.folder_id,
        "name": document.name,
        "version": version.number,
        "file_id": version.file_id,
        "size": version.size,
    }


async def upload_document(
    uow: Uow, actor: Actor, folder_id: uuid.UUID, request: Request[Any, Any, Any]
) -> tuple[Document, Level]:
    """A new document, or a new version of the folder's document of that name."""
    db = uow.db
    reached = await folder_at(db, await viewer_of(db, actor), folder_id)
    reached.require(Level.WRITE, "upload")  # before a byte is stored
    upload = await store_upload(uow, actor, request)
    name = clean_name(upload.file.filename, "filename")
    await _lock_name(db, folder_id, name)
    document = await _named(db, folder_id, name)
    if document is not None:
        kind, number = "oa.document.version_added", document.version + 1
    else:
        kind, number = "oa.document.uploaded", 1
        document = Document(
            tenant_id=actor.tenant,
            folder_id=folder_id,
            name=name,
            version=number,
            size=upload.file.size,
            content_type=upload.file.content_type,
            created_by=actor.user_id,
            updated_by=actor.user_id,
        )
        db.add(document)
        await db.flush()
    version = await _add_version(db, actor, document, upload.file, number)
    await db.refresh(document)
    await emit(db, actor.tenant, kind, _uploaded(document, version))
    return document, reached.level


async def upload_version(
    uow: Uow, actor: Actor, document_id: uuid.UUID, request: Request[Any, Any, Any]
) -> DocumentVersion:
    db = uow.db
    viewer = await viewer_of(db, actor)
    require_write(await document_at(db, viewer, document_id), "upload")
    upload = await store_upload(uow, actor, request)
    # Locked only now, so that a slow upload holds nothing up; read again under the lock.
    found = await document_at(db, viewer, document_id, lock=True)
    document = found.document
    version = await _add_version(db, actor, document, upload.file, document.version + 1)
    await emit(db, actor.tenant, "oa.document.version_added", _uploaded(document, version))
    return version


async def change_document(
    uow: Uow, actor: Actor, document_id: uuid.UUID, data: DocumentPatch
) -> tuple[Document, Level]:
    db, viewer = uow.db, await viewer_of(uow.db, actor)
    found = await document_at(db, viewer, document_id, lock=True)
    document, level = found.document, found.level
    require_write(found, "rename or move documents")
    name = document.name if data.name is None else clean_name(data.name)
    folder_id = document.folder_id
    if data.folder_id is not None and data.folder_id != document.folder_id:
        target = await target_folder(db, viewer, data.folder_id, "folder_id", "move documents")
        folder_id, level = data.folder_id, target.level
    if (name, folder_id) == (document.name, document.folder_id):
        return document, level
    taken = await db.scalar(
        select(Document.id).where(
            Document.folder_id == folder_id,
            func.lower(Document.name) == name.lower(),
            Document.id != document.id,
        )
    )
    if taken is not None:
        raise Conflict(f"A document named {name!r} is already in that folder.")
    payload: dict[str, Any] = {"document_id": document.id}
    if name != document.name:
        await emit(db, actor.tenant, "oa.document.renamed", {**payload, "name": name})
    if folder_id != document.folder_id:
        moved = {**payload, "from_folder_id": document.folder_id, "to_folder_id": folder_id}
        await emit(db, actor.tenant, "oa.document.moved", moved)
    document.name, document.folder_id = name, folder_id
    await db.flush()
    await db.refresh(document)
    return document, level


async def delete_document(uow: Uow, actor: Actor, document_id: uuid.UUID) -> None:
    """To the recycle bin with its versions, which keep their files until it is purged."""
    db = uow.db
    found = await document_at(db, await viewer_of(db, actor), document_id, lock=True)
    require_write(found, "delete documents")
    document = found.document
    payload = {"document_id": document.id, "folder_id": document.folder_id, "name": document.name}
    await db.delete(document)
    await db.flush()
    await emit(db, actor.tenant, "oa.document.deleted", payload)


async def list_documents(
    uow: Uow, actor: Actor, folder_id: uuid.UUID | None, q: str | None, page_query: Any
) -> tuple[list[Document], dict[uuid.UUID, Level]]:
    db, viewer = uow.db, await viewer_of(uow.db, actor)
    query = page_query
    folder_levels: dict[uuid.UUID, Level] = {}
    if folder_id is not None:
        reached = await folder_at(db, viewer, folder_id)
        folder_levels[folder_id] = reached.level
        query = query.where(Document.folder_id == folder_id)
    elif not viewer.manages_all:
        reachable = readable(viewer)
        query = query.where(Document.folder_id.in_(select(reachable.c.id)))
    if q:
        query = query.where(Document.name.icontains(q, autoescape=True))
    documents = list((await db.scalars(query)).all())
    if viewer.manages_all:
        return documents, {d.id: Level.MANAGE for d in documents}
    missing = {d.folder_id for d in documents} - set(folder_levels)
    if missing:
        reachable = readable(viewer)
        found = select(reachable.c.id, reachable.c.level).where(reachable.c.id.in_(missing))
        folder_levels |= {fid: Level(level) for fid, level in await db.execute(found)}
    return documents, {d.id: folder_levels.get(d.folder_id, Level.READ) for d in documents}


async def current_content(uow: Uow, actor: Actor, document_id: uuid.UUID, inline: bool) -> Stream:
    db = uow.db
    document = (await document_at(db, await viewer_of(db, actor), document_id)).document
    file_id = await db.scalar(
        select(DocumentVersion.file_id).where(
            DocumentVersion.document_id == document.id,
            DocumentVersion.number == document.version,
        )
    )
    if file_id is None:
        raise NotFound("The document has no content.")
    return await open_download(uow, file_id, inline=inline, filename=document.name)


class DocumentsController(Controller):
    path = "/documents"
    tags = ["oa"]

    @get(
        "/",
        summary="Documents: of one folder, or every one you can read; by name (q)",
        opt=requires(READ),
    )
    async def list_all(
        self,
        actor: Member,
        uow: Uow,
        folder_id: FolderFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[DocumentOut]:
        page = SORTING.page(select(Document), sort, cursor, limit)
        documents, levels = await list_documents(uow, actor, folder_id, q, page.query)
        return page.of(documents, lambda d: document_out(d, levels[d.id]))

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Upload a document (the raw file with ?filename=, or multipart with a file "
        "part); a name the folder has becomes that document's next version",
        opt=requires(READ) | file_upload(),
    )
    async def upload(
        self, folder_id: UploadFolder, request: Request[Any, Any, Any], actor: Member, uow: Uow
    ) -> DocumentOut:
        document, level = await upload_document(uow, actor, folder_id, request)
        return document_out(document, level)

    @get("/{document_id:uuid}", summary="One document", opt=requires(READ))
    async def get_one(
        self, document_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> DocumentOut:
        found = await document_at(uow.db, await viewer_of(uow.db, actor), document_id)
        return document_out(found.document, found.level)

    @patch("/{document_id:uuid}", summary="Rename or move a document", opt=requires(READ))
    async def change(
        self,
        document_id: FromPath[uuid.UUID],
        data: JSONBody[DocumentPatch],
        actor: Member,
        uow: Uow,
    ) -> DocumentOut:
        document, level = await change_document(uow, actor, document_id, data)
        return document_out(document, level)

    @delete(
        "/{document_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a document with its versions (to the recycle bin)",
        opt=requires(READ),
    )
    async def remove(self, document_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_document(uow, actor, document_id)

    @get(
        "/{document_id:uuid}/content",
        summary="Download the newest version",
        opt=requires(READ),
    )
    async def content(
        self, document_id: FromPath[uuid.UUID], actor: Member, uow: Uow, inline: Inline = False
    ) -> Stream:
        return await current_content(uow, actor, document_id, inline)
