"""Requests for quotation and purchase orders: the rules, without HTTP.

rfq --confirm--> purchase                     (total within the tenant's approval threshold)
rfq --confirm--> to_approve --approved--> purchase      (above it: the workflow engine decides)
                 to_approve --rejected--> rejected;  --returned/withdrawn--> rfq
purchase --(everything received and billed)--> done
rfq | to_approve | purchase --cancel--> cancelled, refused once goods are received or billed.

Receipts take chosen quantities through ``inventory.stock.receive`` at the order's net unit
price in the company's currency. Vendor bills go through ``accounting.invoicing`` after the
three-way match: each bill line within what was received and not yet billed, at a unit price
within the tenant's tolerance of the order's (422 naming the line otherwise).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    Actor,
    Conflict,
    Input,
    Invalid,
    NotFound,
    cancel_approval,
    checked_currency,
    emit,
    next_document_number,
    round_money,
    submit_for_approval,
)
from tessera_sales_purchase import providers
from tessera_sales_purchase.amounts import Number, price_of, quantity_of
from tessera_sales_purchase.lines import (
    GOODS,
    MAX_LINES,
    LineIn,
    PartnerIn,
    Priced,
    checked_lines,
    partner_id_of,
    totals_of,
)
from tessera_sales_purchase.models import PurchaseLine, PurchaseOrder
from tessera_sales_purchase.orders_common import (
    Currency,
    DocumentOut,
    LineOut,
    MoveIn,
    Note,
    as_uuid,
    chosen_quantities,
    documents_of,
    documents_out,
    record_document,
    today,
)
from tessera_sales_purchase.settings import settings_of

SOURCE_TYPE = "sales_purchase.purchase_order"
RECORD_TYPE = "sales_purchase.purchase_order"
UNIT_COST_PLACES = Decimal("0.000001")


class RfqIn(Input):
    partner: PartnerIn
    lines: Annotated[list[LineIn], msgspec.Meta(max_length=MAX_LINES)]
    currency: Currency | None = None
    order_date: date | None = None
    note: Note = ""


class RfqPatch(Input):
    partner: PartnerIn | None = None
    lines: Annotated[list[LineIn], msgspec.Meta(max_length=MAX_LINES)] | None = None
    currency: Currency | None = None
    order_date: date | None = None
    note: Note | None = None


class PurchaseOut(msgspec.Struct):
    id: uuid.UUID
    rfq_number: str
    number: str | None
    name: str
    #: rfq, to_approve, purchase, done, rejected or cancelled
    state: str
    partner_id: uuid.UUID
    partner_name: str
    currency: str
    order_date: date
    note: str
    untaxed: Decimal
    tax: Decimal
    total: Decimal
    total_company: Decimal | None
    approval_id: uuid.UUID | None
    created_by: uuid.UUID | None
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    #: done = received, invoiced = billed.
    lines: list[LineOut] | None = None
    documents: list[DocumentOut] | None = None


def line_out(line: PurchaseLine, currency: str) -> LineOut:
    return LineOut(
        id=line.id,
        position=line.position,
        product_id=line.product_id,
        product_type=line.product_type,
        description=line.description,
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount=line.discount,
        tax=line.tax_code,
        untaxed=round_money(line.untaxed, currency),
        tax_amount=round_money(line.tax, currency),
        done=line.received,
        invoiced=line.billed,
    )


def purchase_out(
    order: PurchaseOrder, lines: Sequence[PurchaseLine] | None = None, documents: Any = None
) -> PurchaseOut:
    return PurchaseOut(
        id=order.id,
        rfq_number=order.rfq_number,
        number=order.number,
        name=order.number or order.rfq_number,
        state=order.state,
        partner_id=order.partner_id,
        partner_name=order.partner_name,
        currency=order.currency,
        order_date=order.order_date,
        note=order.note,
        untaxed=round_money(order.untaxed, order.currency),
        tax=round_money(order.tax, order.currency),
        total=round_money(order.total, order.currency),
        total_company=None
        if order.total_company is None
        else round_money(order.total_company, order.currency),
        approval_id=order.approval_id,
        created_by=order.created_by,
        confirmed_at=order.confirmed_at,
        cancelled_at=order.cancelled_at,
        created_at=order.created_at,
        updated_at=order.updated_at,
        lines=None if lines is None else [line_out(line, order.currency) for line in lines],
        documents=None if documents is None else documents_out(documents),
    )


async def lines_of(
    db: AsyncSession, order_id: uuid.UUID, *, lock: bool = False
) -> list[PurchaseLine]:
    query = (
        select(PurchaseLine)
        .where(PurchaseLine.order_id == order_id)
        .order_by(PurchaseLine.position)
    )
    if lock:
        query = query.with_for_update()
    return list((await db.scalars(query)).all())


async def one_purchase_out(db: AsyncSession, order: PurchaseOrder) -> PurchaseOut:
    await db.refresh(order)
    return purchase_out(
        order, await lines_of(db, order.id), await documents_of(db, purchase_order_id=order.id)
    )


async def get_purchase(
    db: AsyncSession, order_id: uuid.UUID, *, lock: bool = False
) -> PurchaseOrder:
    query = select(PurchaseOrder).where(PurchaseOrder.id == order_id)
    if lock:
        query = query.with_for_update()
    order = (await db.scalars(query)).one_or_none()
    if order is None:
        raise NotFound("No such purchase order.")
    return order


def require_state(order: PurchaseOrder, states: tuple[str, ...], doing: str) -> None:
    if order.state not in states:
        raise Conflict(
            f"The order {order.number or order.rfq_number} is {order.state}: "
            f"it cannot {doing} (only when {' or '.join(states)})."
        )


def put_lines(order: PurchaseOrder, priced: Sequence[Priced]) -> list[PurchaseLine]:
    return [
        PurchaseLine(
            tenant_id=order.tenant_id,
            order_id=order.id,
            position=index + 1,
            product_id=line.product_id,
            product_type=line.product_type,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            tax_code=line.tax_code,
            untaxed=line.untaxed,
            tax=line.tax,
            received=Decimal(0),
            billed=Decimal(0),
        )
        for index, line in enumerate(priced)
    ]


async def create_rfq(
    db: AsyncSession, tenant_id: uuid.UUID, data: RfqIn, *, by: uuid.UUID | None
) -> PurchaseOrder:
    if data.currency is None:
        currency = await providers.ledger().company_currency(db, tenant_id)
    else:
        currency = checked_currency(data.currency, "currency")
    order_date = data.order_date or today()
    priced = await checked_lines(db, tenant_id, data.lines, currency, side="purchase")
    partner_id = await partner_id_of(db, tenant_id, data.partner, "vendor")
    totals = totals_of(priced, currency)
    order = PurchaseOrder(
        tenant_id=tenant_id,
        rfq_number=await next_document_number(db, tenant_id, "RFQ", order_date.year),
        state="rfq",
        partner_id=partner_id,
        partner_name=" ".join(data.partner.name.split()),
        currency=currency,
        order_date=order_date,
        note=data.note.strip(),
        untaxed=totals.untaxed,
        tax=totals.tax,
        total=totals.total,
        created_by=by,
    )
    db.add(order)
    await db.flush()
    db.add_all(put_lines(order, priced))
    await db.flush()
    return order


async def change_rfq(
    db: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, data: RfqPatch
) -> PurchaseOrder:
    order = await get_purchase(db, order_id, lock=True)
    require_state(order, ("rfq",), "be changed")
    if data.partner is not None:
        order.partner_id = await partner_id_of(db, tenant_id, data.partner, "vendor")
        order.partner_name = " ".join(data.partner.name.split())
    if data.order_date is not None:
        order.order_date = data.order_date
    if data.note is not None:
        order.note = data.note.strip()
    currency = checked_currency(data.currency, "currency") if data.currency else order.currency
    if data.lines is not None or currency != order.currency:
        order.currency = currency
        old = await lines_of(db, order.id)
        lines = data.lines
        if lines is None:
            lines = [
                LineIn(
                    product_id=line.product_id,
                    quantity=str(line.quantity),
                    description=line.description,
                    unit_price=str(line.unit_price),
                    discount=str(line.discount),
                    tax=line.tax_code,
                )
                for line in old
            ]
        priced = await checked_lines(db, tenant_id, lines, currency, side="purchase")
        for line in old:
            await db.delete(line)
        await db.flush()
        db.add_all(put_lines(order, priced))
        totals = totals_of(priced, currency)
        order.untaxed, order.tax, order.total = totals.untaxed, totals.tax, totals.total
    await db.flush()
    return order


async def delete_rfq(db: AsyncSession, order_id: uuid.UUID) -> None:
    order = await get_purchase(db, order_id, lock=True)
    require_state(order, ("rfq", "rejected", "cancelled"), "be deleted")
    if await documents_of(db, purchase_order_id=order.id):
        raise Conflict("The order has receipts or bills: it is kept.")
    await db.delete(order)
    await db.flush()


async def in_company_currency(
    db: AsyncSession, tenant_id: uuid.UUID, amount: Decimal, currency: str, on: date
) -> Decimal:
    company = await providers.ledger().company_currency(db, tenant_id)
    if currency == company:
        return amount
    converted = await providers.currencies("currency").to_company(
        db, tenant_id, amount, currency, on
    )
    return Decimal(str(converted))


def purchase_facts(order: PurchaseOrder) -> dict[str, Any]:
    return {
        "order_id": str(order.id),
        "number": order.number,
        "rfq_number": order.rfq_number,
        "partner_id": str(order.partner_id),
        "total": str(round_money(order.total, order.currency)),
        "currency": order.currency,
    }


async def place_order(db: AsyncSession, order: PurchaseOrder) -> None:
    """The order is placed: numbered PO/…, services counted as received."""
    for line in await lines_of(db, order.id, lock=True):
        if line.product_type not in GOODS:
            line.received = line.quantity
    # Numbered before the state changes: drawing the number flushes, and a placed order has one.
    order.number = await next_document_number(db, order.tenant_id, "PO", order.order_date.year)
    order.state = "purchase"
    order.confirmed_at = datetime.now(UTC)
    await db.flush()
    await emit(db, order.tenant_id, "sales_purchase.purchase.confirmed", purchase_facts(order))


async def confirm_purchase(db: AsyncSession, actor: Actor, order_id: uuid.UUID) -> PurchaseOrder:
    """Place the order, or send it for approval when its total is above the threshold."""
    order = await get_purchase(db, order_id, lock=True)
    require_state(order, ("rfq",), "be confirmed")
    if not await lines_of(db, order.id):
        raise Conflict("The request has no lines: add some before confirming it.")
    company_total = await in_company_currency(
        db, order.tenant_id, order.total, order.currency, order.order_date
    )
    company = await providers.ledger().company_currency(db, order.tenant_id)
    company_total = round_money(company_total, company)
    order.total_company = company_total
    settings = await settings_of(db, order.tenant_id)
    threshold = settings.approval_threshold
    if threshold is None or company_total <= threshold:
        await place_order(db, order)
        return order
    order.state = "to_approve"
    await db.flush()
    approval = await submit_for_approval(db, actor, RECORD_TYPE, order.id)
    order.approval_id = approval.id
    await db.flush()
    if approval.status == "approved":
        await place_order(db, order)
    return order


async def conclude_approval(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
    approval_id: uuid.UUID,
    outcome: str,
) -> None:
    """The engine decided the approval the order was sent with (events may repeat: a no-op
    unless the order still waits on this approval)."""
    order = await db.get(PurchaseOrder, (tenant_id, order_id), with_for_update=True)
    if order is None or order.state != "to_approve" or order.approval_id != approval_id:
        return
    if outcome == "approved":
        await place_order(db, order)
        return
    order.state = "rejected" if outcome == "rejected" else "rfq"
    await db.flush()


async def cancel_purchase(db: AsyncSession, actor: Actor, order_id: uuid.UUID) -> PurchaseOrder:
    order = await get_purchase(db, order_id, lock=True)
    require_state(order, ("rfq", "to_approve", "purchase"), "be cancelled")
    lines = await lines_of(db, order.id, lock=True)
    goods_in = any(line.product_type in GOODS and line.received > 0 for line in lines)
    if goods_in or any(line.billed > 0 for line in lines):
        raise Conflict("Goods of the order are received or billed: it can no longer be cancelled.")
    if order.state == "to_approve" and order.approval_id is not None:
        await cancel_approval(db, actor, order.approval_id)
    for line in lines:
        line.received = Decimal(0)
    order.state = "cancelled"
    order.cancelled_at = datetime.now(UTC)
    await db.flush()
    return order


def _settle(order: PurchaseOrder, lines: Sequence[PurchaseLine]) -> None:
    if all(line.received == line.quantity and line.billed == line.quantity for line in lines):
        order.state = "done"


def net_unit_price(line: PurchaseLine) -> Decimal:
    return (line.unit_price * (100 - line.discount) / 100).quantize(UNIT_COST_PLACES)


async def receive_purchase(
    db: AsyncSession, actor: Actor, order_id: uuid.UUID, data: MoveIn
) -> PurchaseOrder:
    order = await get_purchase(db, order_id, lock=True)
    require_state(order, ("purchase",), "be received")
    lines = [line for line in await lines_of(db, order.id, lock=True) if line.product_type in GOODS]
    taken = chosen_quantities(
        lines, data.lines, lambda line: line.quantity - line.received, "receive"
    )
    on = data.date or today()
    moved = []
    for line, quantity, _ in taken:
        cost = await in_company_currency(
            db, order.tenant_id, net_unit_price(line), order.currency, on
        )
        moved.append(
            {
                "product_id": line.product_id,
                "quantity": quantity,
                "unit_cost": cost.quantize(UNIT_COST_PLACES),
            }
        )
    picking = await providers.stock().receive(
        db,
        order.tenant_id,
        source_type=SOURCE_TYPE,
        source_id=str(order.id),
        reference=order.number or order.rfq_number,
        date=on,
        lines=moved,
    )
    for line, quantity, _ in taken:
        line.received += quantity
    await record_document(
        db,
        order.tenant_id,
        kind="receipt",
        purchase_order_id=order.id,
        document_id=as_uuid(picking["id"], "inventory's receipt"),
        number=str(picking["number"]),
        on=on,
        total=None,
        by=actor.user_id,
        lines=[(line, quantity, line.unit_price) for line, quantity, _ in taken],
    )
    _settle(order, await lines_of(db, order.id))
    await db.flush()
    return order


class BillLineIn(Input):
    line_id: uuid.UUID
    quantity: Number
    #: The vendor's unit price on the bill; the order's when left out.
    unit_price: Number | None = None


class BillIn(Input):
    #: The vendor's own number of the bill.
    reference: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    due_date: date | None = None
    date: date | None = None
    #: Everything received and not yet billed, at the order's prices, when left out.
    lines: Annotated[list[BillLineIn], msgspec.Meta(max_length=MAX_LINES)] | None = None


def matched(
    lines: Sequence[PurchaseLine], chosen: Sequence[BillLineIn] | None, tolerance: Decimal
) -> list[tuple[PurchaseLine, Decimal, Decimal]]:
    """Three-way match: (line, quantity, unit price) of each bill line, or 422 naming it."""
    if chosen is None:
        taken = [(line, line.received - line.billed, line.unit_price) for line in lines]
        taken = [item for item in taken if item[1] > 0]
        if not taken:
            raise Conflict("Nothing received is left to bill on this order.")
        return taken
    if not chosen:
        raise Invalid("lines", "choose at least one line to bill")
    by_id = {line.id: line for line in lines}
    seen: set[uuid.UUID] = set()
    found = []
    for index, item in enumerate(chosen):
        at = f"lines[{index}]."
        line = by_id.get(item.line_id)
        if line is None:
            raise Invalid(f"{at}line_id", "is not a line of this order")
        if line.id in seen:
            raise Invalid(f"{at}line_id", "is chosen twice")
        seen.add(line.id)
        quantity = quantity_of(item.quantity, f"{at}quantity")
        open_quantity = line.received - line.billed
        if quantity > open_quantity:
            raise Invalid(
                f"{at}quantity",
                f"line {line.position} ({line.description}): {quantity.normalize():f} is more than "
                f"the {open_quantity.normalize():f} received and not yet billed",
            )
        price = (
            line.unit_price
            if item.unit_price is None
            else price_of(item.unit_price, f"{at}unit_price")
        )
        allowed = line.unit_price * tolerance / 100
        if abs(price - line.unit_price) > allowed:
            raise Invalid(
                f"{at}unit_price",
                f"line {line.position} ({line.description}): {price.normalize():f} is outside "
                f"{tolerance.normalize():f}% of the ordered {line.unit_price.normalize():f}",
            )
        found.append((line, quantity, price))
    return found


async def bill_purchase(
    db: AsyncSession, actor: Actor, order_id: uuid.UUID, data: BillIn
) -> PurchaseOrder:
    order = await get_purchase(db, order_id, lock=True)
    require_state(order, ("purchase",), "be billed")
    lines = await lines_of(db, order.id, lock=True)
    settings = await settings_of(db, order.tenant_id)
    taken = matched(lines, data.lines, settings.price_tolerance)
    on = data.date or today()
    if data.due_date is not None and data.due_date < on:
        raise Invalid("due_date", "must not be before the bill date")
    bill = await providers.invoicing().create_invoice(
        db,
        order.tenant_id,
        {
            "kind": "vendor",
            "partner_id": order.partner_id,
            "currency": order.currency,
            "date": on,
            "due_date": data.due_date,
            "reference": " ".join(data.reference.split()),
            "source_type": SOURCE_TYPE,
            "source_id": str(order.id),
            "post": True,
            "lines": [
                {
                    "description": line.description,
                    "quantity": quantity,
                    "unit_price": price,
                    "discount": line.discount,
                    "tax": line.tax_code,
                    "product_id": str(line.product_id),
                    # Goods received were booked against stock_received; the bill clears it.
                    "account": "stock_received" if line.product_type in GOODS else "purchase",
                }
                for line, quantity, price in taken
            ],
        },
    )
    for line, quantity, _ in taken:
        line.billed += quantity
    await record_document(
        db,
        order.tenant_id,
        kind="bill",
        purchase_order_id=order.id,
        document_id=as_uuid(bill["id"], "accounting's bill"),
        number=str(bill["number"]),
        on=on,
        total=Decimal(str(bill["total"])),
        by=actor.user_id,
        lines=taken,
    )
    _settle(order, lines)
    await db.flush()
    return order
