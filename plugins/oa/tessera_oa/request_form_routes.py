"""Request forms over HTTP: /api/v1/oa/request-forms. The rules are in request_forms."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select

from tessera.plugin import (
    DEFAULT_LIMIT,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    requires,
)
from tessera_oa.request_forms import (
    FormIn,
    FormOut,
    FormPatch,
    change_form,
    create_form,
    delete_form,
    form_out,
    get_form,
    listed_to,
)
from tessera_oa.request_models import FORM_MANAGE, WRITE, RequestForm

SORTING = Sorting(
    {
        "name": RequestForm.name,
        "category": RequestForm.category,
        "created_at": RequestForm.created_at,
        "updated_at": RequestForm.updated_at,
    },
    RequestForm.id,
    default="name",
)
ActiveFilter = Annotated[
    bool | None, QueryParameter(description="Active forms (or not); members see active ones only")
]
CategoryFilter = Annotated[str | None, QueryParameter(max_length=80)]
Search = Annotated[str | None, QueryParameter(max_length=200, description="Part of the name")]


class RequestFormsController(Controller):
    path = "/request-forms"
    tags = ["oa"]

    @get("/", summary="Request forms you may fill in (managers: every form)", opt=requires(WRITE))
    async def list_forms(
        self,
        actor: Member,
        uow: Uow,
        active: ActiveFilter = None,
        category: CategoryFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[FormOut]:
        query = select(RequestForm).where(listed_to(actor))
        if active is not None:
            query = query.where(RequestForm.active.is_(active))
        if category is not None:
            query = query.where(RequestForm.category == category)
        if q:
            query = query.where(RequestForm.name.icontains(q, autoescape=True))
        page = SORTING.page(query, sort, cursor, limit)
        rows = list((await uow.db.scalars(page.query)).all())
        shown = {form.id: await form_out(uow.db, form) for form in rows[:limit]}
        return page.of(rows, lambda form: shown[form.id])

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Design a request form, perhaps with its own approval workflow",
        opt=requires(FORM_MANAGE),
    )
    async def create(self, data: JSONBody[FormIn], actor: Member, uow: Uow) -> FormOut:
        return await form_out(uow.db, await create_form(uow, actor, data))

    @get(
        "/{form_id:uuid}",
        summary="One request form with its fields and its workflow's steps",
        opt=requires(WRITE),
    )
    async def get_one(self, form_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> FormOut:
        return await form_out(uow.db, await get_form(uow.db, actor, form_id))

    @patch(
        "/{form_id:uuid}",
        summary="Change a form; steps save its workflow's next version",
        opt=requires(FORM_MANAGE),
    )
    async def change(
        self, form_id: FromPath[uuid.UUID], data: JSONBody[FormPatch], actor: Member, uow: Uow
    ) -> FormOut:
        return await form_out(uow.db, await change_form(uow, actor, form_id, data))

    @delete(
        "/{form_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete an unused form (one with requests is deactivated instead)",
        opt=requires(FORM_MANAGE),
    )
    async def remove(self, form_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_form(uow, actor, form_id)
