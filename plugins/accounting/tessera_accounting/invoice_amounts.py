"""What an invoice line comes to: exact decimals in, amounts rounded to the currency out.

A line's base is quantity times unit price less its discount. With a tax added to prices
(exclusive), the untaxed amount is the base rounded and the tax is computed on it; with a tax
included in prices, the base rounded is the gross, the untaxed amount is taken out of it and
the tax is the rest, so a line priced 113.00 with 13 % included stays 113.00. Each line is
rounded on its own (as a printed invoice shows it), and the invoice's totals add the lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tessera.plugin import Invalid, round_money

HUNDRED = Decimal(100)
#: Quantities and unit prices are kept to four decimals (NUMERIC(18, 4)).
PRICE_PLACES = 4
#: Far above any invoice line, well within NUMERIC(18, 3).
MAX_AMOUNT = Decimal("999999999999")


@dataclass(frozen=True, slots=True)
class TaxRule:
    rate: Decimal
    inclusive: bool


@dataclass(frozen=True, slots=True)
class LineAmounts:
    subtotal: Decimal
    tax: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    untaxed: Decimal
    tax: Decimal
    total: Decimal


def exact(
    value: object,
    field: str,
    *,
    places: int,
    minimum: Decimal = Decimal(0),
    above_minimum: bool = False,
    maximum: Decimal = MAX_AMOUNT,
) -> Decimal:
    """An exact decimal (a Decimal, an int, or decimal text) with at most ``places`` decimals,
    within bounds; floats are refused (422 naming ``field``)."""
    if isinstance(value, (bool, float)):
        raise Invalid(field, 'must be an exact decimal (text such as "12.50"), not a float')
    if not isinstance(value, (Decimal, int, str)):
        raise Invalid(field, "must be a number given as text")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except ArithmeticError:
        raise Invalid(field, f"{value!r} is not a number") from None
    if not number.is_finite():
        raise Invalid(field, "must be a finite number")
    if number < minimum or (above_minimum and number == minimum):
        raise Invalid(field, f"must be {'above' if above_minimum else 'at least'} {minimum}")
    if number > maximum:
        raise Invalid(field, f"must be at most {maximum}")
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise Invalid(field, f"has at most {places} decimal places")
    return number


def line_amounts(
    quantity: Decimal,
    unit_price: Decimal,
    discount: Decimal,
    tax: TaxRule | None,
    currency: str,
) -> LineAmounts:
    base = round_money(quantity * unit_price * (HUNDRED - discount) / HUNDRED, currency)
    if tax is None:
        return LineAmounts(base, Decimal(0))
    if tax.inclusive:
        untaxed = round_money(base * HUNDRED / (HUNDRED + tax.rate), currency)
        return LineAmounts(untaxed, base - untaxed)
    return LineAmounts(base, round_money(base * tax.rate / HUNDRED, currency))


def totals(lines: Sequence[LineAmounts]) -> Totals:
    untaxed = sum((line.subtotal for line in lines), Decimal(0))
    tax = sum((line.tax for line in lines), Decimal(0))
    return Totals(untaxed, tax, untaxed + tax)
