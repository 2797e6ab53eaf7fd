"""Requests over HTTP: /api/v1/oa/requests. The rules are in requests; these routes translate."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select

from tessera.plugin import (
    DEFAULT_LIMIT,
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
    is_member,
    open_download,
    requires,
    store_upload,
)
from tessera_oa.expense_line_routes import FileOut, file_out
from tessera_oa.request_models import STATUSES, WRITE, OaRequest, RequestFile
from tessera_oa.requests import (
    RequestIn,
    RequestOut,
    RequestPatch,
    change_request,
    create_request,
    form_names,
    get_readable,
    one_request_out,
    readable,
    request_out,
    submit_request,
    withdraw_request,
)

SORTING = Sorting(
    {
        "title": OaRequest.title,
        "amount": OaRequest.amount,
        "created_at": OaRequest.created_at,
        "submitted_at": OaRequest.submitted_at,
        "updated_at": OaRequest.updated_at,
    },
    OaRequest.id,
    default="-created_at",
)
FormFilter = Annotated[uuid.UUID | None, QueryParameter(description="Requests of one form")]
StatusFilter = Annotated[str | None, QueryParameter(pattern=f"^({'|'.join(STATUSES)})$")]
RequesterFilter = Annotated[
    uuid.UUID | None, QueryParameter(description="One member's requests (user id)")
]
Search = Annotated[str | None, QueryParameter(max_length=200, description="Part of the title")]
Inline = Annotated[bool, QueryParameter(description="Show in the browser if the type allows")]


class RequestsController(Controller):
    path = "/requests"
    tags = ["oa"]

    @get(
        "/",
        summary="Your requests, those you decide on, and (oa.request.read) others'",
        opt=requires(WRITE),
    )
    async def list_requests(
        self,
        actor: Member,
        uow: Uow,
        form_id: FormFilter = None,
        status: StatusFilter = None,
        requester_id: RequesterFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[RequestOut]:
        if requester_id is not None and not await is_member(uow.db, requester_id):
            raise Invalid("requester_id", "is not a member of this tenant")
        query = select(OaRequest).where(readable(actor))
        if form_id is not None:
            query = query.where(OaRequest.form_id == form_id)
        if status is not None:
            query = query.where(OaRequest.status == status)
        if requester_id is not None:
            query = query.where(OaRequest.requester_id == requester_id)
        if q:
            query = query.where(OaRequest.title.icontains(q, autoescape=True))
        page = SORTING.page(query, sort, cursor, limit)
        rows = list((await uow.db.scalars(page.query)).all())
        names = await form_names(uow.db, {r.form_id for r in rows})
        return page.of(rows, lambda r: request_out(r, names.get(r.form_id, "")))

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Start a request from a form (a draft)",
        opt=requires(WRITE),
    )
    async def create(self, data: JSONBody[RequestIn], actor: Member, uow: Uow) -> RequestOut:
        made = await create_request(uow, actor, data.form_id, data.values)
        return await one_request_out(uow.db, made)

    @get("/{request_id:uuid}", summary="One request", opt=requires(WRITE))
    async def get_one(self, request_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> RequestOut:
        return await one_request_out(uow.db, await get_readable(uow.db, actor, request_id))

    @patch(
        "/{request_id:uuid}",
        summary="Change your draft's values (all of them)",
        opt=requires(WRITE),
    )
    async def change(
        self, request_id: FromPath[uuid.UUID], data: JSONBody[RequestPatch], actor: Member, uow: Uow
    ) -> RequestOut:
        changed = await change_request(uow, actor, request_id, data.values)
        return await one_request_out(uow.db, changed)

    @post(
        "/{request_id:uuid}/submit",
        status_code=HTTP_200_OK,
        summary="Submit your draft for approval",
        opt=requires(WRITE),
    )
    async def submit(self, request_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> RequestOut:
        return await one_request_out(uow.db, await submit_request(uow, actor, request_id))

    @post(
        "/{request_id:uuid}/withdraw",
        status_code=HTTP_200_OK,
        summary="Take your request back before an approver decides",
        opt=requires(WRITE),
    )
    async def withdraw(
        self, request_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> RequestOut:
        return await one_request_out(uow.db, await withdraw_request(uow, actor, request_id))

    @get(
        "/{request_id:uuid}/files/{file_id:uuid}",
        summary="Download a file a request's field holds",
        opt=requires(WRITE),
    )
    async def download(
        self,
        request_id: FromPath[uuid.UUID],
        file_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        inline: Inline = False,
    ) -> Stream:
        request = await get_readable(uow.db, actor, request_id)
        held = await uow.db.scalar(
            select(RequestFile.id).where(
                RequestFile.request_id == request.id, RequestFile.file_id == file_id
            )
        )
        if held is None:
            raise NotFound("This request holds no such file.")
        return await open_download(uow, file_id, inline=inline)


class RequestFilesController(Controller):
    path = "/requests/files"
    tags = ["oa"]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Upload a file, to name in a request's file field",
        opt=requires(WRITE) | file_upload(),
    )
    async def upload(self, request: Request[Any, Any, Any], actor: Member, uow: Uow) -> FileOut:
        """Held by nothing until a request names it: unclaimed, the platform removes it later."""
        return file_out((await store_upload(uow, actor, request)).file)
