"""A deal's lines: what it sells. With lines, the deal's amount is their total.

Lines are given whole — on creating a deal, or in a change that replaces them all — because a
deal's lines are edited as one table, and the total must follow them in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Input, Invalid
from tessera_crm.models import DealLine

MAX_LINES = 200
CENT = Decimal("0.01")
#: Quantities are counted to four decimals (kilograms to the gram), prices to the cent.
QUANTITY_STEP = Decimal("0.0001")
MAX_QUANTITY = Decimal("99999999999999.9999")
MAX_PRICE = Decimal("9999999999999999.99")


class DealLineIn(Input):
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    quantity: Decimal
    unit_price: Decimal
    #: A product's SKU as the ERP knows it, if the line sells one.
    sku: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] | None = None
    #: Percent off this line.
    discount: Decimal = Decimal(0)


class DealLineOut(msgspec.Struct):
    position: int
    description: str
    sku: str | None
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    amount: Decimal


def line_amount(quantity: Decimal, unit_price: Decimal, discount: Decimal) -> Decimal:
    return (quantity * unit_price * (100 - discount) / 100).quantize(CENT, ROUND_HALF_UP)


def checked_lines(lines: Sequence[DealLineIn]) -> list[DealLineIn]:
    """The lines, each within range; 422 naming ``lines[i].field`` otherwise."""
    if len(lines) > MAX_LINES:
        raise Invalid("lines", f"a deal has at most {MAX_LINES} lines")
    for i, line in enumerate(lines):
        where = f"lines[{i}]"
        if not line.quantity.is_finite() or not 0 < line.quantity <= MAX_QUANTITY:
            raise Invalid(f"{where}.quantity", "must be more than 0")
        if line.quantity != line.quantity.quantize(QUANTITY_STEP):
            raise Invalid(f"{where}.quantity", "has at most four decimal places")
        if not line.unit_price.is_finite() or not 0 <= line.unit_price <= MAX_PRICE:
            raise Invalid(f"{where}.unit_price", f"must be from 0 to {MAX_PRICE}")
        if line.unit_price != line.unit_price.quantize(CENT):
            raise Invalid(f"{where}.unit_price", "has at most two decimal places")
        if not line.discount.is_finite() or not 0 <= line.discount <= 100:
            raise Invalid(f"{where}.discount", "must be a percentage from 0 to 100")
        if line.discount != line.discount.quantize(CENT):
            raise Invalid(f"{where}.discount", "has at most two decimal places")
        if not line.description.strip():
            raise Invalid(f"{where}.description", "must not be blank")
    return list(lines)


def lines_total(lines: Sequence[DealLineIn]) -> Decimal:
    return sum(
        (line_amount(line.quantity, line.unit_price, line.discount) for line in lines), Decimal(0)
    )


async def replace_lines(
    db: AsyncSession, tenant_id: uuid.UUID, deal_id: uuid.UUID, lines: Sequence[DealLineIn]
) -> None:
    await db.execute(delete(DealLine).where(DealLine.deal_id == deal_id))
    db.add_all(
        DealLine(
            tenant_id=tenant_id,
            deal_id=deal_id,
            position=position,
            sku=line.sku.strip() if line.sku else None,
            description=line.description.strip(),
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
        )
        for position, line in enumerate(lines, start=1)
    )
    await db.flush()


async def lines_of(db: AsyncSession, deal_id: uuid.UUID) -> list[DealLineOut]:
    rows = await db.scalars(
        select(DealLine).where(DealLine.deal_id == deal_id).order_by(DealLine.position)
    )
    return [
        DealLineOut(
            position=row.position,
            description=row.description,
            sku=row.sku,
            quantity=row.quantity,
            unit_price=row.unit_price,
            discount=row.discount,
            amount=line_amount(row.quantity, row.unit_price, row.discount),
        )
        for row in rows
    ]
