"""Tax rates and exchange rates, offered to the modules that price documents in the tenant's
taxes and currencies (``accounting.taxes``, ``accounting.currencies``): sales and purchasing
compute an order's taxes and value a foreign-currency receipt with the same figures accounting
will post."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Invalid, round_money
from tessera_accounting import books
from tessera_accounting.models import Tax


class TaxRates:
    async def rates(
        self, db: AsyncSession, tenant_id: uuid.UUID, codes: Sequence[str], kind: str
    ) -> Mapping[str, Mapping[str, Any]]:
        """Code -> ``{"rate": percent, "inclusive": bool}`` for the tenant's active taxes of
        ``kind`` ("sale" or "purchase") among ``codes``; codes it does not have are absent."""
        if not codes:
            return {}
        rows = await db.scalars(
            select(Tax).where(
                Tax.tenant_id == tenant_id,
                Tax.code.in_(list(codes)),
                Tax.kind == kind,
                Tax.active.is_(True),
            )
        )
        return {tax.code: {"rate": Decimal(tax.rate), "inclusive": tax.inclusive} for tax in rows}


class CompanyCurrency:
    async def to_company(
        self, db: AsyncSession, tenant_id: uuid.UUID, amount: Decimal, currency: str, on: date
    ) -> Decimal:
        """``amount`` of ``currency`` in the company's currency at the latest rate on or before
        ``on``, rounded to the company currency; 422 naming "currency" without a rate."""
        company = await books.company_currency(db, tenant_id)
        if currency == company:
            return round_money(amount, company)
        rate = await books.rate_on(db, tenant_id, currency, on)
        if rate is None:
            raise Invalid("currency", f"no exchange rate for {currency} on or before {on}")
        return round_money(amount * rate, company)


TAX_RATES = TaxRates()
COMPANY_CURRENCY = CompanyCurrency()
