"""Quotations and sales orders: the rules, without HTTP.

quotation --confirm--> sale --(everything delivered and invoiced)--> done
quotation | sale --cancel--> cancelled, refused once anything is delivered or invoiced.

Confirming numbers the order (SO/2026/00001; the quotation keeps its Q/… number beside it),
reserves its goods in inventory and counts services as delivered (nothing to ship). Deliveries
take chosen quantities through ``inventory.stock.deliver``; invoices take delivered, not yet
invoiced quantities through ``accounting.invoicing.create_invoice``. Everything one request
does — our rows, inventory's moves, accounting's entries, the events — commits together.
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
    checked_currency,
    emit,
    next_document_number,
    round_money,
)
from tessera_sales_purchase import providers
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
from tessera_sales_purchase.models import SaleLine, SaleOrder
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

SOURCE_TYPE = "sales_purchase.sale_order"


class QuotationIn(Input):
    partner: PartnerIn
    lines: Annotated[list[LineIn], msgspec.Meta(max_length=MAX_LINES)]
    #: The company's currency when left out.
    currency: Currency | None = None
    #: Today when left out.
    order_date: date | None = None
    validity_date: date | None = None
    note: Note = ""


class QuotationPatch(Input):
    partner: PartnerIn | None = None
    #: All the lines, replacing the old ones.
    lines: Annotated[list[LineIn], msgspec.Meta(max_length=MAX_LINES)] | None = None
    currency: Currency | None = None
    order_date: date | None = None
    validity_date: date | msgspec.UnsetType | None = msgspec.UNSET
    note: Note | None = None


class OrderOut(msgspec.Struct):
    id: uuid.UUID
    quotation_number: str
    #: SO/… once confirmed.
    number: str | None
    #: The number people use: the order's once confirmed, else the quotation's.
    name: str
    #: quotation, sale, done or cancelled
    state: str
    partner_id: uuid.UUID
    partner_name: str
    crm_account_id: str | None
    deal_id: str | None
    currency: str
    order_date: date
    validity_date: date | None
    note: str
    untaxed: Decimal
    tax: Decimal
    total: Decimal
    created_by: uuid.UUID | None
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    #: The lines with delivered (done) and invoiced quantities; on one order's page.
    lines: list[LineOut] | None = None
    #: Deliveries and invoices made from it; on one order's page.
    documents: list[DocumentOut] | None = None


def line_out(line: SaleLine, currency: str) -> LineOut:
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
        done=line.delivered,
        invoiced=line.invoiced,
    )


def order_out(
    order: SaleOrder, lines: Sequence[SaleLine] | None = None, documents: Any = None
) -> OrderOut:
    return OrderOut(
        id=order.id,
        quotation_number=order.quotation_number,
        number=order.number,
        name=order.number or order.quotation_number,
        state=order.state,
        partner_id=order.partner_id,
        partner_name=order.partner_name,
        crm_account_id=order.crm_account_id,
        deal_id=order.deal_id,
        currency=order.currency,
        order_date=order.order_date,
        validity_date=order.validity_date,
        note=order.note,
        untaxed=round_money(order.untaxed, order.currency),
        tax=round_money(order.tax, order.currency),
        total=round_money(order.total, order.currency),
        created_by=order.created_by,
        confirmed_at=order.confirmed_at,
        cancelled_at=order.cancelled_at,
        created_at=order.created_at,
        updated_at=order.updated_at,
        lines=None if lines is None else [line_out(line, order.currency) for line in lines],
        documents=None if documents is None else documents_out(documents),
    )


async def lines_of(db: AsyncSession, order_id: uuid.UUID, *, lock: bool = False) -> list[SaleLine]:
    query = select(SaleLine).where(SaleLine.order_id == order_id).order_by(SaleLine.position)
    if lock:
        query = query.with_for_update()
    return list((await db.scalars(query)).all())


async def one_order_out(db: AsyncSession, order: SaleOrder) -> OrderOut:
    await db.refresh(order)
    return order_out(
        order, await lines_of(db, order.id), await documents_of(db, sale_order_id=order.id)
    )


async def get_order(db: AsyncSession, order_id: uuid.UUID, *, lock: bool = False) -> SaleOrder:
    """The tenant's order (RLS keeps others' out: another tenant's id is 404)."""
    query = select(SaleOrder).where(SaleOrder.id == order_id)
    if lock:
        query = query.with_for_update()
    order = (await db.scalars(query)).one_or_none()
    if order is None:
        raise NotFound("No such sales order.")
    return order


def require_state(order: SaleOrder, states: tuple[str, ...], doing: str) -> None:
    if order.state not in states:
        raise Conflict(
            f"The order {order.number or order.quotation_number} is {order.state}: "
            f"it cannot {doing} (only when {' or '.join(states)})."
        )


async def currency_of(db: AsyncSession, tenant_id: uuid.UUID, given: str | None) -> str:
    if given is None:
        return await providers.ledger().company_currency(db, tenant_id)
    return checked_currency(given, "currency")


def put_lines(order: SaleOrder, priced: Sequence[Priced]) -> list[SaleLine]:
    return [
        SaleLine(
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
            delivered=Decimal(0),
            invoiced=Decimal(0),
        )
        for index, line in enumerate(priced)
    ]


def check_validity(order_date: date, validity_date: date | None) -> None:
    if validity_date is not None and validity_date < order_date:
        raise Invalid("validity_date", "must not be before the order date")


async def create_quotation(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    data: QuotationIn,
    *,
    by: uuid.UUID | None,
    deal_id: str | None = None,
) -> SaleOrder:
    currency = await currency_of(db, tenant_id, data.currency)
    order_date = data.order_date or today()
    check_validity(order_date, data.validity_date)
    priced = await checked_lines(db, tenant_id, data.lines, currency, side="sale")
    partner_id = await partner_id_of(db, tenant_id, data.partner, "customer")
    totals = totals_of(priced, currency)
    order = SaleOrder(
        tenant_id=tenant_id,
        quotation_number=await next_document_number(db, tenant_id, "Q", order_date.year),
        state="quotation",
        partner_id=partner_id,
        partner_name=" ".join(data.partner.name.split()),
        crm_account_id=data.partner.crm_account_id,
        deal_id=deal_id,
        currency=currency,
        order_date=order_date,
        validity_date=data.validity_date,
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


async def change_quotation(
    db: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, data: QuotationPatch
) -> SaleOrder:
    order = await get_order(db, order_id, lock=True)
    require_state(order, ("quotation",), "be changed")
    if data.partner is not None:
        order.partner_id = await partner_id_of(db, tenant_id, data.partner, "customer")
        order.partner_name = " ".join(data.partner.name.split())
        order.crm_account_id = data.partner.crm_account_id
    if data.order_date is not None:
        order.order_date = data.order_date
    if not isinstance(data.validity_date, msgspec.UnsetType):
        order.validity_date = data.validity_date
    check_validity(order.order_date, order.validity_date)
    if data.note is not None:
        order.note = data.note.strip()
    currency = checked_currency(data.currency, "currency") if data.currency else order.currency
    if data.lines is not None or currency != order.currency:
        order.currency = currency
        await reprice(db, tenant_id, order, data.lines)
    await db.flush()
    return order


async def reprice(
    db: AsyncSession, tenant_id: uuid.UUID, order: SaleOrder, lines: list[LineIn] | None
) -> None:
    """Replace the lines (or price the old ones again, in a new currency)."""
    old = await lines_of(db, order.id)
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
    priced = await checked_lines(db, tenant_id, lines, order.currency, side="sale")
    for line in old:
        await db.delete(line)
    await db.flush()
    db.add_all(put_lines(order, priced))
    totals = totals_of(priced, order.currency)
    order.untaxed, order.tax, order.total = totals.untaxed, totals.tax, totals.total


async def delete_quotation(db: AsyncSession, order_id: uuid.UUID) -> None:
    order = await get_order(db, order_id, lock=True)
    require_state(order, ("quotation", "cancelled"), "be deleted")
    if await documents_of(db, sale_order_id=order.id):
        raise Conflict("The order has deliveries or invoices: it is kept.")
    await db.delete(order)
    await db.flush()


def order_facts(order: SaleOrder) -> dict[str, Any]:
    return {
        "order_id": str(order.id),
        "number": order.number,
        "quotation_number": order.quotation_number,
        "deal_id": order.deal_id,
        "crm_account_id": order.crm_account_id,
        "partner_id": str(order.partner_id),
        "total": str(round_money(order.total, order.currency)),
        "currency": order.currency,
    }


async def confirm_order(db: AsyncSession, actor: Actor, order_id: uuid.UUID) -> SaleOrder:
    order = await get_order(db, order_id, lock=True)
    require_state(order, ("quotation",), "be confirmed")
    lines = await lines_of(db, order.id, lock=True)
    if not lines:
        raise Conflict("The quotation has no lines: add some before confirming it.")
    goods = [line for line in lines if line.product_type in GOODS]
    if goods:
        await providers.stock().reserve(
            db,
            order.tenant_id,
            source_type=SOURCE_TYPE,
            source_id=str(order.id),
            lines=[{"product_id": line.product_id, "quantity": line.quantity} for line in goods],
        )
    for line in lines:
        if line.product_type not in GOODS:
            line.delivered = line.quantity
    # Numbered before the state changes: drawing the number flushes, and a sale has a number.
    order.number = await next_document_number(db, order.tenant_id, "SO", order.order_date.year)
    order.state = "sale"
    order.confirmed_at = datetime.now(UTC)
    await db.flush()
    await emit(db, order.tenant_id, "sales_purchase.order.confirmed", order_facts(order))
    return order


def _goods_delivered(lines: Sequence[SaleLine]) -> bool:
    return any(line.product_type in GOODS and line.delivered > 0 for line in lines)


async def cancel_order(db: AsyncSession, order_id: uuid.UUID) -> SaleOrder:
    order = await get_order(db, order_id, lock=True)
    require_state(order, ("quotation", "sale"), "be cancelled")
    lines = await lines_of(db, order.id, lock=True)
    if _goods_delivered(lines) or any(line.invoiced > 0 for line in lines):
        raise Conflict(
            "Goods of the order are delivered or invoiced: it can no longer be cancelled."
        )
    if order.state == "sale":
        await providers.stock().release(
            db, order.tenant_id, source_type=SOURCE_TYPE, source_id=str(order.id)
        )
        for line in lines:
            line.delivered = Decimal(0)
    order.state = "cancelled"
    order.cancelled_at = datetime.now(UTC)
    await db.flush()
    await emit(db, order.tenant_id, "sales_purchase.order.cancelled", order_facts(order))
    return order


def _settle(order: SaleOrder, lines: Sequence[SaleLine]) -> None:
    if all(line.delivered == line.quantity and line.invoiced == line.quantity for line in lines):
        order.state = "done"


async def deliver_order(
    db: AsyncSession, actor: Actor, order_id: uuid.UUID, data: MoveIn
) -> SaleOrder:
    order = await get_order(db, order_id, lock=True)
    require_state(order, ("sale",), "be delivered")
    lines = [line for line in await lines_of(db, order.id, lock=True) if line.product_type in GOODS]
    taken = chosen_quantities(
        lines, data.lines, lambda line: line.quantity - line.delivered, "deliver"
    )
    on = data.date or today()
    picking = await providers.stock().deliver(
        db,
        order.tenant_id,
        source_type=SOURCE_TYPE,
        source_id=str(order.id),
        reference=order.number or order.quotation_number,
        date=on,
        lines=[
            {"product_id": line.product_id, "quantity": quantity} for line, quantity, _ in taken
        ],
    )
    for line, quantity, _ in taken:
        line.delivered += quantity
    await record_document(
        db,
        order.tenant_id,
        kind="delivery",
        sale_order_id=order.id,
        document_id=as_uuid(picking["id"], "inventory's delivery"),
        number=str(picking["number"]),
        on=on,
        total=None,
        by=actor.user_id,
        lines=[(line, quantity, line.unit_price) for line, quantity, _ in taken],
    )
    _settle(order, await lines_of(db, order.id))
    await db.flush()
    return order


class InvoiceIn(MoveIn):
    due_date: date | None = None


async def invoice_order(
    db: AsyncSession, actor: Actor, order_id: uuid.UUID, data: InvoiceIn
) -> SaleOrder:
    order = await get_order(db, order_id, lock=True)
    require_state(order, ("sale",), "be invoiced")
    lines = await lines_of(db, order.id, lock=True)
    taken = chosen_quantities(
        lines, data.lines, lambda line: line.delivered - line.invoiced, "invoice"
    )
    on = data.date or today()
    if data.due_date is not None and data.due_date < on:
        raise Invalid("due_date", "must not be before the invoice date")
    invoice = await providers.invoicing().create_invoice(
        db,
        order.tenant_id,
        {
            "kind": "customer",
            "partner_id": order.partner_id,
            "currency": order.currency,
            "date": on,
            "due_date": data.due_date,
            "reference": order.number,
            "source_type": SOURCE_TYPE,
            "source_id": str(order.id),
            "post": True,
            "lines": [
                {
                    "description": line.description,
                    "quantity": quantity,
                    "unit_price": line.unit_price,
                    "discount": line.discount,
                    "tax": line.tax_code,
                    "product_id": str(line.product_id),
                    "account": None,
                }
                for line, quantity, _ in taken
            ],
        },
    )
    for line, quantity, _ in taken:
        line.invoiced += quantity
    await record_document(
        db,
        order.tenant_id,
        kind="invoice",
        sale_order_id=order.id,
        document_id=as_uuid(invoice["id"], "accounting's invoice"),
        number=str(invoice["number"]),
        on=on,
        total=Decimal(str(invoice["total"])),
        by=actor.user_id,
        lines=[(line, quantity, line.unit_price) for line, quantity, _ in taken],
    )
    _settle(order, lines)
    await db.flush()
    return order
