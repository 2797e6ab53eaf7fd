"""Receipts: files attached to claims, through the platform's one storage (tessera.plugin)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select

from tessera.plugin import (
    Actor,
    FileInfo,
    Input,
    Invalid,
    Member,
    NotFound,
    Uow,
    delete_file,
    file_upload,
    get_file,
    open_download,
    requires,
    store_upload,
    visible_to,
)
from tessera_test_expenses.models import Claim, Receipt

WRITE = "expenses.claim.write"
MAX_NOTE = 200
Note = Annotated[str, msgspec.Meta(max_length=MAX_NOTE)]
Inline = Annotated[bool, QueryParameter(description="Show in the browser if the type allows")]


class FileOut(msgspec.Struct):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str


class ReceiptOut(msgspec.Struct):
    id: uuid.UUID
    claim_id: uuid.UUID
    note: str
    file: FileOut


class AttachIn(Input):
    file_id: uuid.UUID
    note: Note = ""


class Replaced(msgspec.Struct):
    receipt: ReceiptOut
    #: Whether the old file went at once (False: something else still holds it).
    old_file_removed: bool


def _file(info: FileInfo) -> FileOut:
    return FileOut(info.id, info.filename, info.content_type, info.size, info.sha256)


async def _claim(uow: Uow, actor: Actor, claim_id: uuid.UUID) -> Claim:
    query = select(Claim).where(Claim.id == claim_id, visible_to(actor, WRITE, Claim.owner_id))
    claim = (await uow.db.execute(query)).scalar_one_or_none()
    if claim is None:
        raise NotFound("No such claim.")
    return claim


async def _receipt(uow: Uow, actor: Actor, receipt_id: uuid.UUID) -> Receipt:
    query = (
        select(Receipt)
        .join(Claim, (Claim.tenant_id == Receipt.tenant_id) & (Claim.id == Receipt.claim_id))
        .where(Receipt.id == receipt_id, visible_to(actor, WRITE, Claim.owner_id))
    )
    receipt = (await uow.db.execute(query)).scalar_one_or_none()
    if receipt is None:
        raise NotFound("No such receipt.")
    return receipt


async def _out(uow: Uow, receipt: Receipt) -> ReceiptOut:
    info = await get_file(uow, receipt.file_id)
    return ReceiptOut(receipt.id, receipt.claim_id, receipt.note, _file(info))


async def _attach(uow: Uow, actor: Actor, claim: Claim, file_id: uuid.UUID, note: str) -> Receipt:
    receipt = Receipt(tenant_id=actor.tenant, claim_id=claim.id, file_id=file_id, note=note)
    uow.db.add(receipt)
    await uow.db.flush()
    return receipt


class ReceiptsController(Controller):
    path = "/"

    @post(
        "/claims/{claim_id:uuid}/receipts",
        status_code=HTTP_201_CREATED,
        opt=requires(WRITE) | file_upload(),
    )
    async def upload(
        self,
        claim_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
        actor: Member,
        uow: Uow,
    ) -> ReceiptOut:
        claim = await _claim(uow, actor, claim_id)
        upload = await store_upload(uow, actor, request)
        # Fields after the file are known only now: refusing them rolls the upload back too.
        note = upload.fields.get("note", "")
        if len(note) > MAX_NOTE:
            raise Invalid("note", f"must be at most {MAX_NOTE} characters")
        receipt = await _attach(uow, actor, claim, upload.file.id, note)
        return ReceiptOut(receipt.id, claim.id, receipt.note, _file(upload.file))

    @post("/files", status_code=HTTP_201_CREATED, opt=requires(WRITE) | file_upload())
    async def upload_alone(
        self, request: Request[Any, Any, Any], actor: Member, uow: Uow
    ) -> FileOut:
        """Upload first, attach later (``/attach``): held by nothing until then."""
        upload = await store_upload(uow, actor, request)
        return _file(upload.file)

    @post(
        "/claims/{claim_id:uuid}/receipts/attach",
        status_code=HTTP_201_CREATED,
        opt=requires(WRITE),
    )
    async def attach(
        self, claim_id: FromPath[uuid.UUID], data: JSONBody[AttachIn], actor: Member, uow: Uow
    ) -> ReceiptOut:
        claim = await _claim(uow, actor, claim_id)
        info = await get_file(uow, data.file_id)  # 404 for an id of another tenant
        receipt = await _attach(uow, actor, claim, info.id, data.note)
        return ReceiptOut(receipt.id, claim.id, receipt.note, _file(info))

    @get("/claims/{claim_id:uuid}/receipts", opt=requires(WRITE))
    async def list_receipts(
        self, claim_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> list[ReceiptOut]:
        claim = await _claim(uow, actor, claim_id)
        rows = await uow.db.execute(
            select(Receipt).where(Receipt.claim_id == claim.id).order_by(Receipt.id)
        )
        return [await _out(uow, receipt) for receipt in rows.scalars()]

    @get("/receipts/{receipt_id:uuid}/content", opt=requires(WRITE))
    async def content(
        self, receipt_id: FromPath[uuid.UUID], actor: Member, uow: Uow, inline: Inline = False
    ) -> Stream:
        receipt = await _receipt(uow, actor, receipt_id)
        return await open_download(uow, receipt.file_id, inline=inline)

    @post(
        "/receipts/{receipt_id:uuid}/replace",
        status_code=HTTP_200_OK,
        opt=requires(WRITE) | file_upload(),
    )
    async def replace(
        self,
        receipt_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
        actor: Member,
        uow: Uow,
    ) -> Replaced:
        receipt = await _receipt(uow, actor, receipt_id)
        upload = await store_upload(uow, actor, request)
        old = receipt.file_id
        receipt.file_id = upload.file.id
        await uow.db.flush()
        removed = await delete_file(uow, old)
        out = ReceiptOut(receipt.id, receipt.claim_id, receipt.note, _file(upload.file))
        return Replaced(receipt=out, old_file_removed=removed)

    @delete("/receipts/{receipt_id:uuid}", status_code=HTTP_200_OK, opt=requires(WRITE))
    async def remove(self, receipt_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        # To the recycle bin, which keeps the file until the receipt is purged.
        await uow.db.delete(await _receipt(uow, actor, receipt_id))
        await uow.db.flush()

    @get("/files/{file_id:uuid}", opt=requires(WRITE))
    async def file_info(self, file_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> FileOut:
        return _file(await get_file(uow, file_id))
