"""What sales and purchasing call in accounting and inventory, described as our own Protocols
(docs/modules/erp.md, "How the plugins call one another: services").

The three services of the contract are required: the module depends on both plugins, so a
tenant with sales on has them. Two small services are not in the contract yet — tax rates and
currency conversion — and are asked for only when a document needs them (a line with a tax
code; an order in a foreign currency): without them such a request is refused with a clear
422 instead of guessing a rate (decision 49).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Invalid, ServiceMissing, service


@runtime_checkable
class Ledger(Protocol):
    async def company_currency(self, db: AsyncSession, tenant_id: uuid.UUID) -> str: ...


@runtime_checkable
class Invoicing(Protocol):
    async def ensure_partner(
        self, db: AsyncSession, tenant_id: uuid.UUID, partner: Mapping[str, Any]
    ) -> uuid.UUID: ...

    async def create_invoice(
        self, db: AsyncSession, tenant_id: uuid.UUID, invoice: Mapping[str, Any]
    ) -> Mapping[str, Any]: ...

    async def invoice_summary(
        self, db: AsyncSession, tenant_id: uuid.UUID, invoice_id: uuid.UUID
    ) -> Mapping[str, Any] | None: ...


@runtime_checkable
class Stock(Protocol):
    async def products(
        self, db: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> Mapping[uuid.UUID, Mapping[str, Any]]: ...

    async def products_by_sku(
        self, db: AsyncSession, tenant_id: uuid.UUID, skus: Sequence[str]
    ) -> Mapping[str, Mapping[str, Any]]: ...

    async def reserve(
        self,
        db: AsyncSession,
        tenant_id: uuid.UUID,
        *,
        source_type: str,
        source_id: str,
        lines: Sequence[Mapping[str, Any]],
    ) -> None: ...

    async def release(
        self, db: AsyncSession, tenant_id: uuid.UUID, *, source_type: str, source_id: str
    ) -> None: ...

    async def deliver(
        self,
        db: AsyncSession,
        tenant_id: uuid.UUID,
        *,
        source_type: str,
        source_id: str,
        reference: str,
        date: date,
        lines: Sequence[Mapping[str, Any]],
    ) -> Mapping[str, Any]: ...

    async def receive(
        self,
        db: AsyncSession,
        tenant_id: uuid.UUID,
        *,
        source_type: str,
        source_id: str,
        reference: str,
        date: date,
        lines: Sequence[Mapping[str, Any]],
    ) -> Mapping[str, Any]: ...


@runtime_checkable
class Taxes(Protocol):
    """Proposed ``accounting.taxes``: code -> {"rate": Decimal percent, "inclusive": bool} for
    the codes the tenant has (of the given kind, "sale" or "purchase"); unknown codes absent."""

    async def rates(
        self, db: AsyncSession, tenant_id: uuid.UUID, codes: Sequence[str], kind: str
    ) -> Mapping[str, Mapping[str, Any]]: ...


@runtime_checkable
class Currencies(Protocol):
    """Proposed ``accounting.currencies``: ``amount`` of ``currency`` in the company's currency
    at the tenant's rate on ``on``; raises Invalid naming "currency" when it has no rate."""

    async def to_company(
        self, db: AsyncSession, tenant_id: uuid.UUID, amount: Decimal, currency: str, on: date
    ) -> Decimal: ...


def ledger() -> Ledger:
    return service("accounting.ledger", Ledger)


def invoicing() -> Invoicing:
    return service("accounting.invoicing", Invoicing)


def stock() -> Stock:
    return service("inventory.stock", Stock)


def taxes(field: str) -> Taxes:
    try:
        return service("accounting.taxes", Taxes)
    except ServiceMissing:
        raise Invalid(
            field, "tax codes need accounting's tax rates, which it does not offer yet"
        ) from None


def offers_taxes() -> bool:
    try:
        service("accounting.taxes", Taxes)
    except ServiceMissing:
        return False
    return True


def currencies(field: str) -> Currencies:
    try:
        return service("accounting.currencies", Currencies)
    except ServiceMissing:
        raise Invalid(
            field,
            "amounts in a foreign currency need accounting's exchange rates, which it does not offer yet",
        ) from None
