"""Valuation: moving-average cost, and the journal entries of valued moves.

A receipt brings goods in at their unit cost and moves the product's average:
``(on hand * average + received value) / (on hand + received)`` — or the receipt's cost when
nothing (or less than nothing) was on hand. Deliveries and adjustments leave and arrive at
the average, so they never move it. Entries go through the accounting module's
``accounting.ledger`` service (docs/modules/erp.md) into the STJ journal, in the caller's
transaction: a picking and its entry commit together or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import round_money, service

JOURNAL = "STJ"
COST_PLACES = Decimal("0.000001")

#: (debit role, credit role) of each kind of valued picking, in and out of the company's stock.
ACCOUNTS: Mapping[tuple[str, str], tuple[str, str]] = {
    ("receipt", "in"): ("stock", "stock_received"),
    ("delivery", "out"): ("cogs", "stock"),
    ("adjustment", "in"): ("stock", "stock_adjustment"),
    ("adjustment", "out"): ("stock_adjustment", "stock"),
}


@runtime_checkable
class Ledger(Protocol):
    """What inventory calls of the accounting module."""

    async def post_entry(
        self, db: AsyncSession, tenant_id: uuid.UUID, entry: Mapping[str, Any]
    ) -> Mapping[str, Any]: ...

    async def company_currency(self, db: AsyncSession, tenant_id: uuid.UUID) -> str: ...


def ledger() -> Ledger:
    return service("accounting.ledger", Ledger)


def average_cost(
    on_hand: Decimal, cost: Decimal, received: Decimal, received_value: Decimal
) -> Decimal:
    """The moving average after receiving ``received`` units worth ``received_value``."""
    if on_hand <= 0:
        return (received_value / received).quantize(COST_PLACES, rounding=ROUND_HALF_UP)
    total = on_hand * cost + received_value
    return (total / (on_hand + received)).quantize(COST_PLACES, rounding=ROUND_HALF_UP)


def value_of(quantity: Decimal, unit_cost: Decimal, currency: str) -> Decimal:
    return round_money(quantity * unit_cost, currency)


async def post_valuation(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    kind: str,
    picking_id: uuid.UUID,
    number: str,
    on: date,
    currency: str,
    values: Sequence[tuple[str, str, Decimal]],
) -> Mapping[str, Any] | None:
    """Post the picking's entry: ``values`` are (direction "in"/"out", label, value) per
    valued move. Nothing is posted when every value is zero (a product at cost 0)."""
    lines: list[dict[str, Any]] = []
    for direction, label, value in values:
        if value == 0:
            continue
        debit, credit = ACCOUNTS[(kind, direction)]
        lines.append(_line(debit, label, debit=value))
        lines.append(_line(credit, label, credit=value))
    if not lines:
        return None
    entry = {
        "journal": JOURNAL,
        "date": on,
        "memo": number,
        "currency": currency,
        "source_type": "inventory.picking",
        "source_id": str(picking_id),
        "lines": lines,
    }
    return await ledger().post_entry(db, tenant_id, entry)


def _line(
    account: str, label: str, *, debit: Decimal = Decimal(0), credit: Decimal = Decimal(0)
) -> dict[str, Any]:
    return {
        "account": account,
        "debit": debit,
        "credit": credit,
        "label": label,
        "partner_id": None,
    }
