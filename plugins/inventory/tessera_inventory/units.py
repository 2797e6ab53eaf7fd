"""Quantities and units: exact decimals in, conversions within a unit category, rounded to the
receiving unit's step.

A quantity arrives as decimal text or a whole number, never a float (``0.1`` is not a tenth).
Converting rounds half up to the target unit's ``rounding`` (a Unit counts whole pieces; a kg
to the gram); a conversion that rounds to nothing is refused rather than moving zero.
"""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Invalid
from tessera_inventory.models import Uom

#: Up to a trillion, to the millionth: what NUMERIC(20, 6) holds with room to add.
MAX_QUANTITY = Decimal("999999999999")
PLACES = 6
QuantityIn = Annotated[
    str | int, msgspec.Meta(description='An exact decimal as text ("2.5") or a whole number')
]


def checked_quantity(
    value: str | int | Decimal, field: str, *, allow_zero: bool = False
) -> Decimal:
    """A positive (or zero) exact quantity with at most six decimals; 422 naming ``field``."""
    if isinstance(value, bool | float):
        raise Invalid(field, 'must be an exact decimal (text such as "2.5"), not a float')
    try:
        quantity = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid(field, f"{value!r} is not a number") from None
    if not quantity.is_finite():
        raise Invalid(field, "must be a finite number")
    if quantity < 0 or (quantity == 0 and not allow_zero):
        raise Invalid(field, "must be more than 0" if not allow_zero else "must not be negative")
    if quantity > MAX_QUANTITY:
        raise Invalid(field, f"must be at most {MAX_QUANTITY}")
    if quantity != quantity.quantize(Decimal(1).scaleb(-PLACES)):
        raise Invalid(field, f"has at most {PLACES} decimal places")
    return quantity.quantize(Decimal(1).scaleb(-PLACES))


def round_to(quantity: Decimal, unit: Uom) -> Decimal:
    """``quantity`` rounded half up to a multiple of the unit's step."""
    steps = (quantity / unit.rounding).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (steps * unit.rounding).quantize(Decimal(1).scaleb(-PLACES))


def convert(quantity: Decimal, source: Uom, target: Uom, field: str) -> Decimal:
    """``quantity`` of ``source`` in ``target``; 422 across categories or if it rounds to 0."""
    if source.category_id != target.category_id:
        raise Invalid(field, f"{source.name} does not convert to {target.name}")
    if source.id == target.id:
        return quantity
    converted = round_to(quantity * source.factor / target.factor, target)
    if converted <= 0:
        raise Invalid(field, f"{quantity} {source.name} is less than one step of {target.name}")
    return converted


async def get_uom(db: AsyncSession, tenant_id: uuid.UUID, uom_id: uuid.UUID, field: str) -> Uom:
    """The unit, or 422 naming ``field`` (another tenant's unit is unknown here)."""
    unit = await db.get(Uom, (tenant_id, uom_id))
    if unit is None:
        raise Invalid(field, "is not a known unit of measure")
    return unit
