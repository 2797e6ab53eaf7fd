"""The ``accounting.invoicing`` service (docs/modules/erp.md): what sales and purchasing call
to make partners and invoices. It runs in the caller's session and transaction and trusts the
caller's permission checks; the invoices' own rules still hold."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera_accounting.invoice_models import Invoice
from tessera_accounting.invoice_posting import post_invoice
from tessera_accounting.invoices import create_draft
from tessera_accounting.partners import ensure_partner


def summary(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "number": invoice.number,
        "kind": invoice.kind,
        "status": invoice.status,
        "partner_id": invoice.partner_id,
        "currency": invoice.currency,
        "date": invoice.date,
        "due_date": invoice.due_date,
        "untaxed": invoice.untaxed,
        "tax": invoice.tax,
        "total": invoice.total,
        "residual": invoice.residual,
        "source_type": invoice.source_type,
        "source_id": invoice.source_id,
    }


class Invoicing:
    async def ensure_partner(
        self, db: AsyncSession, tenant_id: uuid.UUID, partner: Mapping[str, Any]
    ) -> uuid.UUID:
        """By ``id``, then by ``crm_account_id``; else a new partner of ``name`` and ``kind``."""
        return await ensure_partner(db, tenant_id, partner)

    async def create_invoice(
        self, db: AsyncSession, tenant_id: uuid.UUID, invoice: Mapping[str, Any]
    ) -> Mapping[str, Any]:
        """A draft invoice or bill (posted too when ``post`` is true): its summary."""
        made = await create_draft(db, tenant_id, invoice)
        if invoice.get("post"):
            made = await post_invoice(db, tenant_id, made.id)
        return summary(made)

    async def invoice_summary(
        self, db: AsyncSession, tenant_id: uuid.UUID, invoice_id: uuid.UUID
    ) -> Mapping[str, Any] | None:
        found = await db.scalar(
            select(Invoice).where(Invoice.tenant_id == tenant_id, Invoice.id == invoice_id)
        )
        return None if found is None else summary(found)


INVOICING = Invoicing()
