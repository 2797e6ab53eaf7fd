"""Requests for quotation and purchase orders over HTTP:
/api/v1/sales_purchase/purchases/orders. The rules are in :mod:`tessera_sales_purchase.purchases`."""

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
from tessera_sales_purchase.models import (
    PURCHASE_READ,
    PURCHASE_STATES,
    PURCHASE_WRITE,
    PurchaseOrder,
)
from tessera_sales_purchase.orders_common import MoveIn, OptionalMove
from tessera_sales_purchase.purchases import (
    BillIn,
    PurchaseOut,
    RfqIn,
    RfqPatch,
    bill_purchase,
    cancel_purchase,
    change_rfq,
    confirm_purchase,
    create_rfq,
    delete_rfq,
    get_purchase,
    one_purchase_out,
    purchase_out,
    receive_purchase,
)

SORTING = Sorting(
    {
        "order_date": PurchaseOrder.order_date,
        "created_at": PurchaseOrder.created_at,
        "total": PurchaseOrder.total,
        "partner_name": PurchaseOrder.partner_name,
    },
    PurchaseOrder.id,
    default="-created_at",
)
StateFilter = Annotated[
    str | None, QueryParameter(query="state", pattern=f"^({'|'.join(PURCHASE_STATES)})$")
]
PartnerFilter = Annotated[uuid.UUID | None, QueryParameter(description="One vendor's")]
Search = Annotated[
    str | None,
    QueryParameter(max_length=200, description="Part of a number or the vendor's name"),
]


class PurchaseOrdersController(Controller):
    path = "/purchases/orders"
    tags = ["sales_purchase"]

    @get("/", summary="Requests for quotation and purchase orders", opt=requires(PURCHASE_READ))
    async def list_orders(
        self,
        actor: Member,
        uow: Uow,
        in_state: StateFilter = None,
        partner_id: PartnerFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[PurchaseOut]:
        query = select(PurchaseOrder)
        if in_state is not None:
            query = query.where(PurchaseOrder.state == in_state)
        if partner_id is not None:
            query = query.where(PurchaseOrder.partner_id == partner_id)
        if q:
            query = query.where(
                PurchaseOrder.partner_name.icontains(q, autoescape=True)
                | PurchaseOrder.rfq_number.icontains(q, autoescape=True)
                | PurchaseOrder.number.icontains(q, autoescape=True)
            )
        page = SORTING.page(query, sort, cursor, limit)
        rows = list((await uow.db.scalars(page.query)).all())
        return page.of(rows, purchase_out)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Make a request for quotation",
        opt=requires(PURCHASE_WRITE),
    )
    async def create(self, data: JSONBody[RfqIn], actor: Member, uow: Uow) -> PurchaseOut:
        order = await create_rfq(uow.db, actor.tenant, data, by=actor.user_id)
        return await one_purchase_out(uow.db, order)

    @get(
        "/{order_id:uuid}",
        summary="One order with its lines, receipts and bills",
        opt=requires(PURCHASE_READ),
    )
    async def get_one(self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> PurchaseOut:
        return await one_purchase_out(uow.db, await get_purchase(uow.db, order_id))

    @patch(
        "/{order_id:uuid}",
        summary="Change a request for quotation (its lines are replaced when given)",
        opt=requires(PURCHASE_WRITE),
    )
    async def change(
        self, order_id: FromPath[uuid.UUID], data: JSONBody[RfqPatch], actor: Member, uow: Uow
    ) -> PurchaseOut:
        order = await change_rfq(uow.db, actor.tenant, order_id, data)
        return await one_purchase_out(uow.db, order)

    @delete(
        "/{order_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a request for quotation, a rejected or a cancelled order",
        opt=requires(PURCHASE_WRITE),
    )
    async def remove(self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_rfq(uow.db, order_id)

    @post(
        "/{order_id:uuid}/confirm",
        status_code=HTTP_200_OK,
        summary="Place the order, or send it for approval above the tenant's threshold",
        opt=requires(PURCHASE_WRITE),
    )
    async def confirm(self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> PurchaseOut:
        return await one_purchase_out(uow.db, await confirm_purchase(uow.db, actor, order_id))

    @post(
        "/{order_id:uuid}/cancel",
        status_code=HTTP_200_OK,
        summary="Cancel the order while nothing is received or billed",
        opt=requires(PURCHASE_WRITE),
    )
    async def cancel(self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> PurchaseOut:
        return await one_purchase_out(uow.db, await cancel_purchase(uow.db, actor, order_id))

    @post(
        "/{order_id:uuid}/receipts",
        status_code=HTTP_201_CREATED,
        summary="Receive chosen quantities (all that is left when no lines are given)",
        opt=requires(PURCHASE_WRITE),
    )
    async def receive(
        self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow, data: OptionalMove = None
    ) -> PurchaseOut:
        order = await receive_purchase(uow.db, actor, order_id, data or MoveIn())
        return await one_purchase_out(uow.db, order)

    @post(
        "/{order_id:uuid}/bills",
        status_code=HTTP_201_CREATED,
        summary="Record the vendor's bill, matched against the order and what was received",
        opt=requires(PURCHASE_WRITE),
    )
    async def bill(
        self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow, data: JSONBody[BillIn]
    ) -> PurchaseOut:
        return await one_purchase_out(uow.db, await bill_purchase(uow.db, actor, order_id, data))
