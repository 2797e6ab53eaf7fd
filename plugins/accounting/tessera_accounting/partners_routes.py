"""Partners over HTTP: /api/v1/accounting/partners."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy import ColumnElement, select

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
from tessera_accounting.partners import (
    PARTNER_READ,
    PARTNER_WRITE,
    Partner,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    change_partner,
    create_partner,
    get_partner,
    partner_out,
)

SORTING = Sorting(
    {"name": Partner.name, "created_at": Partner.created_at}, Partner.id, default="name"
)
KindFilter = Annotated[str | None, QueryParameter(pattern="^(customer|vendor|both)$")]
ActiveFilter = Annotated[bool | None, QueryParameter(description="Active (or archived) ones")]
CrmFilter = Annotated[str | None, QueryParameter(max_length=100, description="By CRM account")]
Search = Annotated[str | None, QueryParameter(max_length=200, description="Part of the name")]


class PartnersController(Controller):
    path = "/partners"
    tags = ["accounting"]

    @get("/", summary="Customers and vendors", opt=requires(PARTNER_READ))
    async def list_partners(
        self,
        actor: Member,
        uow: Uow,
        kind: KindFilter = None,
        active: ActiveFilter = None,
        crm_account_id: CrmFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[PartnerOut]:
        where: list[ColumnElement[bool]] = []
        if kind is not None:
            # A partner who is both is among the customers and among the vendors.
            where.append(Partner.kind.in_((kind, "both")))
        if active is not None:
            where.append(Partner.active.is_(active))
        if crm_account_id is not None:
            where.append(Partner.crm_account_id == crm_account_id)
        if q:
            where.append(Partner.name.icontains(q, autoescape=True))
        page = SORTING.page(select(Partner).where(*where), sort, cursor, limit)
        rows = list((await uow.db.scalars(page.query)).all())
        return page.of(rows, partner_out)

    @post("/", status_code=HTTP_201_CREATED, summary="Add a partner", opt=requires(PARTNER_WRITE))
    async def create(self, data: JSONBody[PartnerIn], actor: Member, uow: Uow) -> PartnerOut:
        return partner_out(await create_partner(uow.db, actor.tenant, data))

    @get("/{partner_id:uuid}", summary="One partner", opt=requires(PARTNER_READ))
    async def get_one(self, partner_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> PartnerOut:
        return partner_out(await get_partner(uow.db, partner_id))

    @patch("/{partner_id:uuid}", summary="Change a partner", opt=requires(PARTNER_WRITE))
    async def change(
        self, partner_id: FromPath[uuid.UUID], data: JSONBody[PartnerPatch], actor: Member, uow: Uow
    ) -> PartnerOut:
        return partner_out(await change_partner(uow.db, partner_id, data))
