"""What sales and purchase orders share: the order's header input, output of lines and of the
documents made from an order, and the checks of a document's quantities."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar.params import Body
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Conflict, Input, Invalid
from tessera_sales_purchase.amounts import Number, quantity_of
from tessera_sales_purchase.models import DocumentLine, OrderDocument

Note = Annotated[str, msgspec.Meta(max_length=2000)]
Currency = Annotated[str, msgspec.Meta(min_length=3, max_length=3)]


class LineOut(msgspec.Struct):
    id: uuid.UUID
    position: int
    product_id: uuid.UUID
    product_type: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax: str | None
    untaxed: Decimal
    tax_amount: Decimal
    #: Sales: delivered and invoiced; purchases: received and billed.
    done: Decimal
    invoiced: Decimal


class DocumentOut(msgspec.Struct):
    id: uuid.UUID
    #: delivery, invoice, receipt or bill
    kind: str
    #: The record in inventory (picking) or accounting (invoice, bill).
    document_id: uuid.UUID
    number: str
    date: date
    total: Decimal | None
    created_at: datetime
    #: Invoices and bills print through accounting's invoice PDF (add ?lang=zh for Chinese).
    pdf: str | None = None


#: Where accounting prints an invoice or a bill.
INVOICE_PDF = "/api/v1/accounting/invoices/{id}/pdf"


class MoveLineIn(Input):
    """How much of one order line a delivery, receipt, invoice or bill takes."""

    line_id: uuid.UUID
    quantity: Number


class MoveIn(Input):
    #: Today when left out.
    date: date | None = None
    #: Every line's whole remaining quantity when left out.
    lines: Annotated[list[MoveLineIn], msgspec.Meta(max_length=200)] | None = None


OptionalMove = Annotated[
    MoveIn | None, Body(description="Optional: the date and chosen quantities (else all left)")
]


def today() -> date:
    return datetime.now(UTC).date()


def documents_out(documents: Sequence[OrderDocument]) -> list[DocumentOut]:
    return [
        DocumentOut(
            d.id,
            d.kind,
            d.document_id,
            d.number,
            d.document_date,
            d.total,
            d.created_at,
            INVOICE_PDF.format(id=d.document_id) if d.kind in ("invoice", "bill") else None,
        )
        for d in documents
    ]


def chosen_quantities(
    lines: Sequence[Any],
    chosen: Sequence[MoveLineIn] | None,
    remaining: Any,
    doing: str,
) -> list[tuple[Any, Decimal, int]]:
    """(line, quantity, index in the request) for each line the document takes.

    ``remaining(line)`` is what is left of the line for this kind of document. Chosen lines
    must be the order's (422) and within what is left (409 naming the line); none chosen means
    all that is left of every line.
    """
    by_id = {line.id: line for line in lines}
    if chosen is None:
        taken = [(line, remaining(line), -1) for line in lines if remaining(line) > 0]
        if not taken:
            raise Conflict(f"Nothing is left to {doing} on this order.")
        return taken
    if not chosen:
        raise Invalid("lines", f"choose at least one line to {doing}")
    seen: set[uuid.UUID] = set()
    taken = []
    for index, item in enumerate(chosen):
        line = by_id.get(item.line_id)
        if line is None:
            raise Invalid(f"lines[{index}].line_id", "is not a line of this order")
        if line.id in seen:
            raise Invalid(f"lines[{index}].line_id", "is chosen twice")
        seen.add(line.id)
        quantity = quantity_of(item.quantity, f"lines[{index}].quantity")
        left = remaining(line)
        if quantity > left:
            raise Conflict(
                f"Line {line.position} ({line.description}): {quantity.normalize():f} is more than "
                f"the {left.normalize():f} left to {doing}."
            )
        taken.append((line, quantity, index))
    return taken


async def record_document(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    kind: str,
    sale_order_id: uuid.UUID | None = None,
    purchase_order_id: uuid.UUID | None = None,
    document_id: uuid.UUID,
    number: str,
    on: date,
    total: Decimal | None,
    by: uuid.UUID | None,
    lines: Sequence[tuple[Any, Decimal, Decimal]],
) -> OrderDocument:
    """Keep what another module made from an order: (line, quantity, unit price) per line."""
    document = OrderDocument(
        tenant_id=tenant_id,
        kind=kind,
        sale_order_id=sale_order_id,
        purchase_order_id=purchase_order_id,
        document_id=document_id,
        number=number,
        document_date=on,
        total=total,
        created_by=by,
        created_at=datetime.now(UTC),
    )
    db.add(document)
    await db.flush()
    db.add_all(
        DocumentLine(
            tenant_id=tenant_id,
            document_id=document.id,
            line_id=line.id,
            quantity=quantity,
            unit_price=price,
        )
        for line, quantity, price in lines
    )
    await db.flush()
    return document


async def documents_of(
    db: AsyncSession,
    *,
    sale_order_id: uuid.UUID | None = None,
    purchase_order_id: uuid.UUID | None = None,
) -> list[OrderDocument]:
    query = select(OrderDocument)
    if sale_order_id is not None:
        query = query.where(OrderDocument.sale_order_id == sale_order_id)
    else:
        query = query.where(OrderDocument.purchase_order_id == purchase_order_id)
    return list(
        (await db.scalars(query.order_by(OrderDocument.created_at, OrderDocument.id))).all()
    )


def as_uuid(value: Any, what: str) -> uuid.UUID:
    """An id another module handed back (a UUID or its text)."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise RuntimeError(f"{what} is not an id: {value!r}") from None
