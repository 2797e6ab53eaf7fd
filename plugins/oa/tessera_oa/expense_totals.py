"""What a claim adds up to, per currency, and what is left to pay once an advance is deducted.

Nothing is added across currencies. An advance reduces the total of its own currency; what is
left to pay never goes below zero, and the part of an advance the claim does not use is what
the member owes back (``advance_unused``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

import msgspec

from tessera_oa.expense_models import ExpenseAdvance, ExpenseLine

ZERO = Decimal("0.00")


class TotalOut(msgspec.Struct):
    currency: str
    #: The sum of the claim's lines in this currency.
    total: Decimal
    #: The advance deducted in this currency.
    advance: Decimal
    #: What is paid to the member: total less advance, never below zero.
    net_payable: Decimal
    #: The part of the advance the claim does not use up: the member gives it back.
    advance_unused: Decimal


def totals(lines: Iterable[ExpenseLine], advance: ExpenseAdvance | None) -> list[TotalOut]:
    """Per currency, in alphabetical order; an advance's currency appears even without lines."""
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        sums[line.currency] += Decimal(line.amount)
    if advance is not None:
        sums[advance.currency] += ZERO
    found = []
    for currency in sorted(sums):
        total = sums[currency]
        deducted = Decimal(advance.amount) if advance and advance.currency == currency else ZERO
        found.append(
            TotalOut(
                currency=currency,
                total=total,
                advance=deducted,
                net_payable=max(ZERO, total - deducted),
                advance_unused=max(ZERO, deducted - total),
            )
        )
    return found


def summary(found: list[TotalOut]) -> str:
    """One line for lists: ``120.50 CNY + 30.00 USD``."""
    return " + ".join(f"{t.total:.2f} {t.currency}" for t in found if t.total) or "0.00"
