"""What accounting says on a CRM account's page: what the customer linked to it (by
``crm_account_id``) still owes, and how much of it is overdue, in the company's currency at the
invoices' rates. Only for members who may see invoices."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, RecordFact, round_money
from tessera_accounting.books import company_currency
from tessera_accounting.invoice_models import INVOICE_READ, OPEN, Invoice
from tessera_accounting.invoices import today
from tessera_accounting.partners import Partner

CRM_ACCOUNT = "crm.account"
RECEIVABLE, OVERDUE = "Receivable", "Overdue"
FACT_TEXTS = (RECEIVABLE, OVERDUE)


async def receivable_facts(
    db: AsyncSession, actor: Actor, record_type: str, record_id: str
) -> Sequence[RecordFact]:
    if record_type != CRM_ACCOUNT or INVOICE_READ not in actor.grants:
        return []
    partner = await db.scalar(select(Partner).where(Partner.crm_account_id == record_id))
    if partner is None:
        return []
    open_invoices = (Invoice.partner_id == partner.id, Invoice.kind == "customer",
                     Invoice.status.in_(OPEN))  # fmt: skip
    owed = await db.scalar(select(func.sum(Invoice.residual_company)).where(*open_invoices))
    late = await db.scalar(
        select(func.sum(Invoice.residual_company)).where(*open_invoices, Invoice.due_date < today())
    )
    currency = await company_currency(db, actor.tenant)

    def shown(amount: Decimal | None) -> str:
        return f"{round_money(Decimal(amount or 0), currency):,} {currency}"

    link = {"record_type": "accounting.partner", "record_id": str(partner.id)}
    return [
        RecordFact(RECEIVABLE, shown(owed), **link),
        RecordFact(OVERDUE, shown(late), tone="danger" if late else "good", **link),
    ]
