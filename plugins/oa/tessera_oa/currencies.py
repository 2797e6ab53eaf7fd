"""Money as expenses take it: ISO 4217 currency codes and amounts in cents.

Expenses are never converted or added across currencies. The currency list and each
currency's decimals are the platform's (``tessera.plugin.MINOR_UNITS``).
"""

from __future__ import annotations

from decimal import Decimal

from tessera.plugin import MINOR_UNITS, Invalid

#: Amounts carry at most two decimals (cents), and no more than their currency counts.
MAX_DECIMALS = 2
#: Ten billion less a cent: far above any expense, well within NUMERIC(14, 2).
MAX_AMOUNT = Decimal("9999999999.99")
CENT = Decimal("0.01")


def checked_amount(
    amount: Decimal, currency: str, field: str, *, allow_zero: bool = False
) -> Decimal:
    """A positive amount (or zero, if allowed) of ``currency``, with at most two decimals and
    no more than the currency counts in; 422 naming ``field`` otherwise."""
    lowest = "0" if allow_zero else "more than 0"
    if (
        not amount.is_finite()
        or amount > MAX_AMOUNT
        or amount < 0
        or (amount == 0 and not allow_zero)
    ):
        raise Invalid(field, f"must be {lowest} and at most {MAX_AMOUNT}")
    decimals = min(MAX_DECIMALS, MINOR_UNITS.get(currency, MAX_DECIMALS))
    if amount != amount.quantize(Decimal(1).scaleb(-decimals)):
        raise Invalid(field, f"has at most {decimals} decimal places in {currency}")
    return amount.quantize(CENT)


def money(amount: Decimal) -> str:
    """An amount as exact text with two decimals, as events and reports carry it."""
    return str(Decimal(amount).quantize(CENT))
