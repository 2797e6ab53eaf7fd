"""Computing taxes on an amount: what invoices, bills and the tax API share.

Each tax is a percentage of the untaxed amount (taxes do not compound). Given an amount that
already includes the taxes (``inclusive``), the untaxed amount is what remains once they are
taken out. Each tax amount is rounded to the currency's minor unit, half away from zero; when
taxes are included, the last one takes what rounding leaves, so untaxed + taxes is always the
amount given.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tessera.plugin import round_money

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class TaxRate:
    code: str
    #: Percent: ``Decimal("13")`` is 13 %.
    rate: Decimal
    account_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class TaxLine:
    code: str
    account_id: uuid.UUID | None
    base: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Taxed:
    untaxed: Decimal
    taxes: tuple[TaxLine, ...]
    total: Decimal

    @property
    def tax(self) -> Decimal:
        return sum((line.amount for line in self.taxes), Decimal(0))


def tax_lines(amount: Decimal, taxes: Sequence[TaxRate], inclusive: bool, currency: str) -> Taxed:
    """The untaxed amount, each tax, and the total of ``amount`` in ``currency``.

    >>> tax_lines(Decimal("113.00"), [TaxRate("VAT13", Decimal("13"))], True, "CNY").untaxed
    Decimal('100.00')
    """
    amount = round_money(amount, currency)
    if not taxes:
        return Taxed(amount, (), amount)
    if not inclusive:
        lines = tuple(
            TaxLine(t.code, t.account_id, amount, round_money(amount * t.rate / HUNDRED, currency))
            for t in taxes
        )
        return Taxed(amount, lines, amount + sum((x.amount for x in lines), Decimal(0)))
    rates = sum((t.rate for t in taxes), Decimal(0))
    untaxed = round_money(amount * HUNDRED / (HUNDRED + rates), currency)
    amounts = [round_money(untaxed * t.rate / HUNDRED, currency) for t in taxes[:-1]]
    amounts.append(amount - untaxed - sum(amounts, Decimal(0)))
    lines = tuple(
        TaxLine(t.code, t.account_id, untaxed, value)
        for t, value in zip(taxes, amounts, strict=True)
    )
    return Taxed(untaxed, lines, amount)
