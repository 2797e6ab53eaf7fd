"""Claim lines and their receipts over HTTP: /api/v1/oa/expenses/lines and /receipts.

Lines change only while their claim is a draft, and only by the claim's member; each change
locks the claim, so it cannot race the claim's submission. Receipts are stored files of the
platform (tessera.plugin's storage): uploaded alone first (``POST /receipts``, then named by a
line's ``receipt_file_id``) or straight onto a line (``POST /lines/{id}/receipt``). A file a
line lets go of is removed once nothing else holds it.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import func, select

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    FileInfo,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    file_upload,
    open_download,
    requires,
    store_upload,
)
from tessera_oa.expense_access import readable
from tessera_oa.expense_claims import drop_receipt, own_draft
from tessera_oa.expense_lines import (
    MAX_LINES,
    LineOut,
    LinePatch,
    LineValues,
    NewLineIn,
    categories_by_id,
    check_day,
    check_line,
    line_out,
    new_line,
)
from tessera_oa.expense_models import SUBMIT, ExpenseClaim, ExpenseLine

SORTING = Sorting(
    {
        "spent_on": ExpenseLine.spent_on,
        "amount": ExpenseLine.amount,
        "created_at": ExpenseLine.created_at,
    },
    ExpenseLine.id,
)
ClaimFilter = Annotated[uuid.UUID | None, QueryParameter(description="The lines of one claim")]
CategoryFilter = Annotated[uuid.UUID | None, QueryParameter(description="Lines of one category")]
DayFrom = Annotated[date | None, QueryParameter(description="Spent on or after this day")]
DayTo = Annotated[date | None, QueryParameter(description="Spent on or before this day")]
Inline = Annotated[bool, QueryParameter(description="Show in the browser if the type allows")]


class FileOut(msgspec.Struct):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str


def file_out(info: FileInfo) -> FileOut:
    return FileOut(info.id, info.filename, info.content_type, info.size, info.sha256)


def _on_claim() -> Any:
    return (ExpenseClaim.tenant_id == ExpenseLine.tenant_id) & (
        ExpenseClaim.id == ExpenseLine.claim_id
    )


async def readable_line(uow: Uow, actor: Actor, line_id: uuid.UUID) -> ExpenseLine:
    query = (
        select(ExpenseLine)
        .join(ExpenseClaim, _on_claim())
        .where(ExpenseLine.id == line_id, readable(actor, ExpenseClaim))
    )
    line = (await uow.db.scalars(query)).one_or_none()
    if line is None:
        raise NotFound("No such expense line.")
    return line


async def own_draft_line(uow: Uow, actor: Actor, line_id: uuid.UUID, doing: str) -> ExpenseLine:
    """The line, on the actor's own draft claim, which is locked meanwhile."""
    line = await readable_line(uow, actor, line_id)
    await own_draft(uow, actor, line.claim_id, doing)
    return line


async def add_line(uow: Uow, actor: Actor, data: NewLineIn) -> ExpenseLine:
    try:
        claim = await own_draft(uow, actor, data.claim_id, "change")
    except NotFound:
        raise Invalid("claim_id", "no such claim") from None
    count = await uow.db.scalar(
        select(func.count()).select_from(ExpenseLine).where(ExpenseLine.claim_id == claim.id)
    )
    if (count or 0) >= MAX_LINES:
        raise Invalid("claim_id", f"a claim has at most {MAX_LINES} lines")
    categories = await categories_by_id(uow.db, [data.category_id])
    values = await check_line(uow, actor, LineValues.of(data), categories)
    line = new_line(actor.tenant, claim.id, values)
    uow.db.add(line)
    await uow.db.flush()
    await uow.db.refresh(line)
    return line


async def change_line(uow: Uow, actor: Actor, line_id: uuid.UUID, data: LinePatch) -> ExpenseLine:
    line = await own_draft_line(uow, actor, line_id, "change")
    old_receipt = line.receipt_file_id
    values = LineValues.from_line(line)
    for field in ("category_id", "spent_on", "amount", "currency", "description"):
        if (value := getattr(data, field)) is not None:
            setattr(values, field, value)
    receipt = data.receipt_file_id
    receipt_changed = not isinstance(receipt, msgspec.UnsetType)
    if not isinstance(receipt, msgspec.UnsetType):
        values.receipt_file_id = receipt
    categories = await categories_by_id(uow.db, [values.category_id])
    checked = await check_line(
        uow,
        actor,
        values,
        categories,
        receipt_changed=receipt_changed and values.receipt_file_id != old_receipt,
        # An archived category stays on a line that had it, as long as the line keeps it.
        keep_category=line.category_id,
    )
    for field in (
        "category_id",
        "spent_on",
        "amount",
        "currency",
        "description",
        "receipt_file_id",
    ):
        setattr(line, field, getattr(checked, field))
    await uow.db.flush()
    if old_receipt != line.receipt_file_id:
        await drop_receipt(uow, old_receipt)
    await uow.db.refresh(line)
    return line


async def remove_line(uow: Uow, actor: Actor, line_id: uuid.UUID) -> None:
    line = await own_draft_line(uow, actor, line_id, "change")
    receipt = line.receipt_file_id
    await uow.db.delete(line)
    await uow.db.flush()
    await drop_receipt(uow, receipt)


class LinesController(Controller):
    path = "/expenses/lines"
    tags = ["oa"]

    @get("/", summary="Expense lines of the claims you may see", opt=requires(SUBMIT))
    async def list_lines(
        self,
        actor: Member,
        uow: Uow,
        claim_id: ClaimFilter = None,
        category_id: CategoryFilter = None,
        spent_on_from: DayFrom = None,
        spent_on_to: DayTo = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[LineOut]:
        where = [readable(actor, ExpenseClaim)]
        if spent_on_from is not None:
            where.append(ExpenseLine.spent_on >= check_day(spent_on_from, "spent_on_from"))
        if spent_on_to is not None:
            where.append(ExpenseLine.spent_on <= spent_on_to)
        if spent_on_from and spent_on_to and spent_on_to < spent_on_from:
            raise Invalid("spent_on_to", "must not be before spent_on_from")
        if claim_id is not None:
            where.append(ExpenseLine.claim_id == claim_id)
        if category_id is not None:
            where.append(ExpenseLine.category_id == category_id)
        query = select(ExpenseLine).join(ExpenseClaim, _on_claim()).where(*where)
        page = SORTING.page(query, sort, cursor, limit)
        return page.of(list((await uow.db.scalars(page.query)).all()), line_out)

    @post(
        "/", status_code=HTTP_201_CREATED, summary="Add a line to your draft", opt=requires(SUBMIT)
    )
    async def create(self, data: JSONBody[NewLineIn], actor: Member, uow: Uow) -> LineOut:
        return line_out(await add_line(uow, actor, data))

    @get("/{line_id:uuid}", summary="One expense line", opt=requires(SUBMIT))
    async def get_one(self, line_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> LineOut:
        return line_out(await readable_line(uow, actor, line_id))

    @patch("/{line_id:uuid}", summary="Change a line of your draft", opt=requires(SUBMIT))
    async def change(
        self, line_id: FromPath[uuid.UUID], data: JSONBody[LinePatch], actor: Member, uow: Uow
    ) -> LineOut:
        return line_out(await change_line(uow, actor, line_id, data))

    @delete(
        "/{line_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Remove a line from your draft",
        opt=requires(SUBMIT),
    )
    async def remove(self, line_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await remove_line(uow, actor, line_id)

    @post(
        "/{line_id:uuid}/receipt",
        status_code=HTTP_200_OK,
        summary="Upload the line's receipt (raw body with ?filename=, or multipart part 'file')",
        opt=requires(SUBMIT) | file_upload(),
    )
    async def upload_receipt(
        self,
        line_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
        actor: Member,
        uow: Uow,
    ) -> LineOut:
        # Every check before a byte is stored.
        line = await own_draft_line(uow, actor, line_id, "change")
        upload = await store_upload(uow, actor, request)
        old, line.receipt_file_id = line.receipt_file_id, upload.file.id
        await uow.db.flush()
        await drop_receipt(uow, old)
        await uow.db.refresh(line)
        return line_out(line)

    @get("/{line_id:uuid}/receipt", summary="Download the line's receipt", opt=requires(SUBMIT))
    async def receipt(
        self, line_id: FromPath[uuid.UUID], actor: Member, uow: Uow, inline: Inline = False
    ) -> Stream:
        line = await readable_line(uow, actor, line_id)
        if line.receipt_file_id is None:
            raise NotFound("This line has no receipt.")
        return await open_download(uow, line.receipt_file_id, inline=inline)


class ReceiptsController(Controller):
    path = "/expenses/receipts"
    tags = ["oa"]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Upload a receipt, to name in a line's receipt_file_id",
        opt=requires(SUBMIT) | file_upload(),
    )
    async def upload(self, request: Request[Any, Any, Any], actor: Member, uow: Uow) -> FileOut:
        """Held by nothing until a line names it: unclaimed, the platform removes it later."""
        return file_out((await store_upload(uow, actor, request)).file)
