"""A won deal and the sales order the ERP made of it, linked when the ERP says so.

The CRM never asks the ERP: the sales module announces the order it drafted for a deal
(``sales_purchase.order.created`` with the deal's id), and the deal keeps the order's id and
number. Without the ERP nothing arrives and the deal simply has no order.
"""

from __future__ import annotations

import uuid

from tessera.plugin import Event, EventHandler, HandlerContext
from tessera_crm.models import Deal

ORDER_CREATED = "sales_purchase.order.created"


async def link_order(event: Event, ctx: HandlerContext) -> None:
    deal_id = event.payload.get("deal_id")
    if deal_id is None:
        return  # an order not made from a deal
    deal = await ctx.db.get(Deal, (ctx.tenant_id, uuid.UUID(str(deal_id))))
    if deal is None:
        return  # deleted since
    deal.sales_order_id = uuid.UUID(str(event.payload["order_id"]))
    deal.sales_order_number = str(event.payload["number"])[:40]


HANDLERS = [EventHandler(ORDER_CREATED, link_order, name="link_sales_order")]
