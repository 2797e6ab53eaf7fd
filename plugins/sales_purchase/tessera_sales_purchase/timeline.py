"""Sales on the CRM's customer timeline: for a ``crm.account``, its orders (made, confirmed),
deliveries and invoices, and what was paid of those invoices (tessera_timeline hook).

Only for members who may read sales; the CRM decides who sees the account itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, time
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, TimelineCursor, TimelineEntry, newest_first
from tessera_sales_purchase import providers
from tessera_sales_purchase.models import SALE_READ, OrderDocument, SaleOrder

ACCOUNT = "crm.account"
ORDER = "sales_purchase.sale_order"


def _money(amount: Decimal | None, currency: str) -> str | None:
    return None if amount is None else f"{amount:,.2f} {currency}"


def _order_entries(order: SaleOrder) -> list[TimelineEntry]:
    name = order.number or order.quotation_number
    found = [
        TimelineEntry(
            order.created_at,
            "sales_purchase.quotation.created",
            f"Quotation {order.quotation_number}",
            ORDER,
            str(order.id),
            _money(order.total, order.currency),
        )
    ]
    if order.confirmed_at is not None:
        found.append(
            TimelineEntry(
                order.confirmed_at,
                "sales_purchase.order.confirmed",
                f"Sales order {name} confirmed",
                ORDER,
                str(order.id),
                _money(order.total, order.currency),
            )
        )
    return found


async def _document_entries(
    db: AsyncSession, actor: Actor, orders: dict[uuid.UUID, SaleOrder]
) -> list[TimelineEntry]:
    query = select(OrderDocument).where(OrderDocument.sale_order_id.in_(list(orders)))
    found = []
    documents = list((await db.scalars(query)).all())
    invoicing = providers.invoicing() if any(d.kind == "invoice" for d in documents) else None
    for document in documents:
        assert document.sale_order_id is not None
        order = orders[document.sale_order_id]
        if document.kind == "delivery":
            found.append(
                TimelineEntry(
                    document.created_at,
                    "sales_purchase.delivery.done",
                    f"Delivery {document.number} for {order.number}",
                    ORDER,
                    str(order.id),
                )
            )
            continue
        found.append(
            TimelineEntry(
                document.created_at,
                "sales_purchase.invoice.issued",
                f"Invoice {document.number} for {order.number}",
                ORDER,
                str(order.id),
                _money(document.total, order.currency),
            )
        )
        assert invoicing is not None
        summary = await invoicing.invoice_summary(db, actor.tenant, document.document_id)
        if summary is None:
            continue
        paid = Decimal(str(summary["total"])) - Decimal(str(summary["residual"]))
        if paid > 0:
            # The invoice's summary says how much is paid, not when: the entry is dated by the
            # invoice's last change if given, else the invoice's own date.
            at = summary.get("paid_at") or summary.get("updated_at")
            when = (
                datetime.fromisoformat(str(at))
                if at
                else datetime.combine(document.document_date, time(12), UTC)
            )
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            found.append(
                TimelineEntry(
                    when,
                    "sales_purchase.payment.received",
                    f"Payment received on {document.number}",
                    ORDER,
                    str(order.id),
                    _money(paid, order.currency),
                )
            )
    return found


async def account_timeline(
    db: AsyncSession,
    actor: Actor,
    record_type: str,
    record_id: str,
    before: TimelineCursor | None,
    limit: int,
) -> Sequence[TimelineEntry]:
    if record_type != ACCOUNT or not actor.can(SALE_READ):
        return []
    query = select(SaleOrder).where(SaleOrder.crm_account_id == record_id)
    orders = {order.id: order for order in (await db.scalars(query)).all()}
    if not orders:
        return []
    entries = [entry for order in orders.values() for entry in _order_entries(order)]
    entries += await _document_entries(db, actor, dict(orders))
    if before is not None:
        entries = [entry for entry in entries if before.admits(entry)]
    return newest_first(entries)[:limit]
