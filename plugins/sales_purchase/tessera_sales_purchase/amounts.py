"""Exact numbers from requests: quantities, prices and percentages as decimal text or integers.

JSON floats are refused (422 naming the field), even ``6.0``: ``0.1`` is not a tenth, and an
order's totals must not depend on how a client printed a number.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import msgspec

from tessera.plugin import Invalid

DECIMAL_TEXT = r"^-?[0-9]{1,14}(\.[0-9]{1,8})?$"
#: A quantity, price or percentage: an integer, or decimal text such as "12.50". Floats are
#: admitted by the type only to be refused by name in :func:`decimal_of`.
Number = int | float | Annotated[str, msgspec.Meta(pattern=DECIMAL_TEXT)]

QUANTITY_PLACES = 4
PRICE_PLACES = 6
PERCENT_PLACES = 4
MAX_QUANTITY = Decimal("1e12")


def decimal_of(value: Number, field: str, *, places: int) -> Decimal:
    if isinstance(value, float):
        raise Invalid(field, 'must be an exact decimal (text such as "12.50"), not a float')
    try:
        found = Decimal(value) if isinstance(value, str) else Decimal(int(value))
    except (InvalidOperation, ValueError):
        raise Invalid(field, f"{value!r} is not a number") from None
    if found != found.quantize(Decimal(1).scaleb(-places)):
        raise Invalid(field, f"has at most {places} decimal places")
    return found.quantize(Decimal(1).scaleb(-places))


def quantity_of(value: Number, field: str) -> Decimal:
    found = decimal_of(value, field, places=QUANTITY_PLACES)
    if found <= 0:
        raise Invalid(field, "must be above zero")
    if found >= MAX_QUANTITY:
        raise Invalid(field, "is too large")
    return found


def price_of(value: Number, field: str) -> Decimal:
    found = decimal_of(value, field, places=PRICE_PLACES)
    if found < 0:
        raise Invalid(field, "must not be negative")
    if found >= MAX_QUANTITY:
        raise Invalid(field, "is too large")
    return found


def percent_of(value: Number, field: str) -> Decimal:
    found = decimal_of(value, field, places=PERCENT_PLACES)
    if not 0 <= found <= 100:
        raise Invalid(field, "must be from 0 to 100")
    return found
