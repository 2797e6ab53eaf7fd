"""A deal won in the CRM becomes a draft quotation here (docs/modules/erp.md, "Events").

Neither module imports the other: the CRM emits ``crm.deal.won`` with the deal's account and
lines; the platform delivers it only to tenants with sales on. Lines name products by SKU
(``inventory.stock.products_by_sku``); a line without a known SKU cannot be a product line and
is listed in the quotation's note instead, so nothing of the deal is lost. The customer is
accounting's partner for the CRM account (``ensure_partner(crm_account_id=…)``).

One quotation per deal: ``deal_id`` is unique per tenant, so a redelivered event (or two at
once) makes one. ``sales_purchase.order.created`` tells the CRM which order it became.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from tessera.plugin import MINOR_UNITS, Event, EventHandler, HandlerContext, emit, round_money
from tessera_sales_purchase import providers
from tessera_sales_purchase.lines import LineIn, PartnerIn
from tessera_sales_purchase.models import SaleOrder
from tessera_sales_purchase.sales import QuotationIn, create_quotation

MAX_NOTE = 2000


def _decimal(value: Any) -> Decimal | None:
    try:
        found = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() else None


def _line(item: Mapping[str, Any], products: Mapping[str, Mapping[str, Any]]) -> LineIn | None:
    sku = item.get("sku")
    product = products.get(str(sku)) if sku else None
    quantity, price = _decimal(item.get("quantity")), _decimal(item.get("unit_price"))
    discount = _decimal(item.get("discount") or 0) or Decimal(0)
    if product is None or product.get("active") is False or quantity is None or quantity <= 0:
        return None
    return LineIn(
        product_id=uuid.UUID(str(product["id"])),
        quantity=format(quantity.quantize(Decimal("0.0001")), "f"),
        description=str(item.get("description") or "")[:500] or None,
        unit_price=None
        if price is None or price < 0
        else format(price.quantize(Decimal("0.000001")), "f"),
        discount=format(
            min(max(discount, Decimal(0)), Decimal(100)).quantize(Decimal("0.0001")), "f"
        ),
    )


def _left_out(items: list[Mapping[str, Any]]) -> str:
    if not items:
        return ""
    told = "; ".join(
        f"{item.get('description') or item.get('sku') or '?'} x {item.get('quantity')}"
        for item in items
    )
    return f"Deal lines without a product: {told}"[:MAX_NOTE]


async def quotation_for_deal(event: Event, ctx: HandlerContext) -> None:
    payload = event.payload
    deal_id = str(payload["deal_id"])
    made = await ctx.db.scalar(select(SaleOrder.id).where(SaleOrder.deal_id == deal_id))
    if made is not None:
        return
    items = [item for item in payload.get("lines") or [] if isinstance(item, Mapping)]
    skus = sorted({str(item["sku"]) for item in items if item.get("sku")})
    products = await providers.stock().products_by_sku(ctx.db, ctx.tenant_id, skus) if skus else {}
    lines, left_out = [], []
    for item in items:
        line = _line(item, products)
        if line is None:
            left_out.append(item)
        else:
            lines.append(line)
    currency = str(payload.get("currency") or "").upper()
    data = QuotationIn(
        partner=PartnerIn(
            name=str(payload.get("account_name") or payload.get("name") or "Customer")[:200],
            crm_account_id=str(payload["account_id"]) if payload.get("account_id") else None,
        ),
        lines=lines,
        currency=currency if currency in MINOR_UNITS else None,
        note=_left_out(left_out),
    )
    order = await create_quotation(
        ctx.db, ctx.tenant_id, data, by=event.actor_user_id, deal_id=deal_id
    )
    await emit(
        ctx.db,
        ctx.tenant_id,
        "sales_purchase.order.created",
        {
            "deal_id": deal_id,
            "order_id": str(order.id),
            "number": order.quotation_number,
            "crm_account_id": order.crm_account_id,
            "total": str(round_money(order.total, order.currency)),
            "currency": order.currency,
        },
    )


HANDLERS = [EventHandler("crm.deal.won", quotation_for_deal, name="quotation_for_deal")]
