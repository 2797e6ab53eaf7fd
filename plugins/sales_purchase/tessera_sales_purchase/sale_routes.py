"""Quotations and sales orders over HTTP: /api/v1/sales_purchase/sales/orders. The rules are
in :mod:`tessera_sales_purchase.sales`; these routes translate."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import Body, FromPath, JSONBody, QueryParameter
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
    SALE_CONFIRM,
    SALE_READ,
    SALE_STATES,
    SALE_WRITE,
    SaleOrder,
)
from tessera_sales_purchase.orders_common import MoveIn, OptionalMove
from tessera_sales_purchase.sales import (
    InvoiceIn,
    OrderOut,
    QuotationIn,
    QuotationPatch,
    cancel_order,
    change_quotation,
    confirm_order,
    create_quotation,
    delete_quotation,
    deliver_order,
    get_order,
    invoice_order,
    one_order_out,
    order_out,
)

OptionalInvoice = Annotated[
    InvoiceIn | None, Body(description="Optional: dates and chosen quantities (else all left)")
]

SORTING = Sorting(
    {
        "order_date": SaleOrder.order_date,
        "created_at": SaleOrder.created_at,
        "total": SaleOrder.total,
        "partner_name": SaleOrder.partner_name,
    },
    SaleOrder.id,
    default="-created_at",
)
StateFilter = Annotated[
    str | None, QueryParameter(query="state", pattern=f"^({'|'.join(SALE_STATES)})$")
]
PartnerFilter = Annotated[uuid.UUID | None, QueryParameter(description="One customer's")]
Search = Annotated[
    str | None,
    QueryParameter(max_length=200, description="Part of a number or the customer's name"),
]


class SaleOrdersController(Controller):
    path = "/sales/orders"
    tags = ["sales_purchase"]

    @get("/", summary="Quotations and sales orders", opt=requires(SALE_READ))
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
    ) -> Page[OrderOut]:
        query = select(SaleOrder)
        if in_state is not None:
            query = query.where(SaleOrder.state == in_state)
        if partner_id is not None:
            query = query.where(SaleOrder.partner_id == partner_id)
        if q:
            query = query.where(
                SaleOrder.partner_name.icontains(q, autoescape=True)
                | SaleOrder.quotation_number.icontains(q, autoescape=True)
                | SaleOrder.number.icontains(q, autoescape=True)
            )
        page = SORTING.page(query, sort, cursor, limit)
        rows = list((await uow.db.scalars(page.query)).all())
        return page.of(rows, order_out)

    @post("/", status_code=HTTP_201_CREATED, summary="Make a quotation", opt=requires(SALE_WRITE))
    async def create(self, data: JSONBody[QuotationIn], actor: Member, uow: Uow) -> OrderOut:
        order = await create_quotation(uow.db, actor.tenant, data, by=actor.user_id)
        return await one_order_out(uow.db, order)

    @get(
        "/{order_id:uuid}",
        summary="One order with its lines, deliveries and invoices",
        opt=requires(SALE_READ),
    )
    async def get_one(self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> OrderOut:
        return await one_order_out(uow.db, await get_order(uow.db, order_id))

    @patch(
        "/{order_id:uuid}",
        summary="Change a quotation (its lines are replaced when given)",
        opt=requires(SALE_WRITE),
    )
    async def change(
        self, order_id: FromPath[uuid.UUID], data: JSONBody[QuotationPatch], actor: Member, uow: Uow
    ) -> OrderOut:
        order = await change_quotation(uow.db, actor.tenant, order_id, data)
        return await one_order_out(uow.db, order)

    @delete(
        "/{order_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a quotation or a cancelled order (to the recycle bin)",
        opt=requires(SALE_WRITE),
    )
    async def remove(self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_quotation(uow.db, order_id)

    @post(
        "/{order_id:uuid}/confirm",
        status_code=HTTP_200_OK,
        summary="Confirm the quotation: a sales order, its goods reserved",
        opt=requires(SALE_CONFIRM),
    )
    async def confirm(self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> OrderOut:
        return await one_order_out(uow.db, await confirm_order(uow.db, actor, order_id))

    @post(
        "/{order_id:uuid}/cancel",
        status_code=HTTP_200_OK,
        summary="Cancel the order (its reservations released) while nothing is delivered or invoiced",
        opt=requires(SALE_WRITE),
    )
    async def cancel(self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> OrderOut:
        return await one_order_out(uow.db, await cancel_order(uow.db, order_id))

    @post(
        "/{order_id:uuid}/deliveries",
        status_code=HTTP_201_CREATED,
        summary="Deliver chosen quantities (all that is left when no lines are given)",
        opt=requires(SALE_WRITE),
    )
    async def deliver(
        self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow, data: OptionalMove = None
    ) -> OrderOut:
        order = await deliver_order(uow.db, actor, order_id, data or MoveIn())
        return await one_order_out(uow.db, order)

    @post(
        "/{order_id:uuid}/invoices",
        status_code=HTTP_201_CREATED,
        summary="Invoice delivered quantities not yet invoiced (all when no lines are given)",
        opt=requires(SALE_WRITE),
    )
    async def invoice(
        self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow, data: OptionalInvoice = None
    ) -> OrderOut:
        order = await invoice_order(uow.db, actor, order_id, data or InvoiceIn())
        return await one_order_out(uow.db, order)
