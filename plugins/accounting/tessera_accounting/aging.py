"""The aged receivables and payables: what each partner owes (or is owed) as of a date, by how
long it has been overdue - current, 1-30, 31-60, 61-90, over 90 days - in the company's
currency at each invoice's rate (the amount the books carry).

"As of" looks back: an invoice counts if it was posted by then, minus the payments dated by
then, and a cancelled one while its cancellation was still to come.
"""

from __future__ import annotations

import io
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import msgspec
import openpyxl
from openpyxl.styles import Font
from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera_accounting.books import company_currency
from tessera_accounting.invoice_models import Invoice
from tessera_accounting.models import JournalEntry
from tessera_accounting.partners import Partner
from tessera_accounting.payment_models import Payment, PaymentAllocation

BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "over_90")
BUCKET_LABELS = ("Current", "1-30 days", "31-60 days", "61-90 days", "Over 90 days")
KIND_OF = {"receivable": "customer", "payable": "vendor"}


class AgingRow(msgspec.Struct):
    partner_id: uuid.UUID | None
    partner_name: str
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal
    total: Decimal
    #: Open invoices counted.
    invoices: int


class AgingOut(msgspec.Struct):
    kind: str
    as_of: date
    currency: str
    partners: list[AgingRow]
    totals: AgingRow


def bucket_of(days_overdue: int) -> str:
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "days_1_30"
    if days_overdue <= 60:
        return "days_31_60"
    return "days_61_90" if days_overdue <= 90 else "over_90"


@dataclass
class _Sums:
    name: str
    amounts: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    invoices: int = 0

    def row(self, partner_id: uuid.UUID | None) -> AgingRow:
        values = {bucket: self.amounts[bucket] for bucket in BUCKETS}
        return AgingRow(
            partner_id=partner_id,
            partner_name=self.name,
            **values,
            total=sum(values.values(), Decimal(0)),
            invoices=self.invoices,
        )


async def aging(db: AsyncSession, tenant_id: uuid.UUID, kind: str, as_of: date) -> AgingOut:
    """``kind`` is ``receivable`` (customers' invoices) or ``payable`` (vendors' bills)."""
    paid_since = (
        select(func.coalesce(func.sum(PaymentAllocation.relieved_company), 0))
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(PaymentAllocation.invoice_id == Invoice.id, Payment.date > as_of)
        .scalar_subquery()
    )
    cancelled_on = (
        select(JournalEntry.date)
        .where(JournalEntry.id == Invoice.reversal_entry_id)
        .scalar_subquery()
    )
    open_then = Invoice.residual_company + paid_since
    rows = await db.execute(
        select(Invoice.partner_id, Partner.name, Invoice.due_date, open_then.label("open"))
        .join(Partner, Partner.id == Invoice.partner_id)
        .where(
            Invoice.kind == KIND_OF[kind],
            Invoice.date <= as_of,
            or_(
                Invoice.status.in_(("posted", "partially_paid", "paid")),
                and_(
                    Invoice.status == "cancelled",
                    Invoice.reversal_entry_id.is_not(None),
                    cancelled_on > as_of,
                ),
            ),
        )
        .order_by(Partner.name, Invoice.partner_id)
    )
    sums: dict[uuid.UUID, _Sums] = {}
    overall = _Sums("Total")
    for row in rows:
        amount = Decimal(row.open)
        if amount == 0:
            continue
        bucket = bucket_of((as_of - row.due_date).days)
        partner = sums.setdefault(row.partner_id, _Sums(row.name))
        for target in (partner, overall):
            target.amounts[bucket] += amount
            target.invoices += 1
    return AgingOut(
        kind=kind,
        as_of=as_of,
        currency=await company_currency(db, tenant_id),
        partners=[s.row(partner_id) for partner_id, s in sums.items()],
        totals=overall.row(None),
    )


def aging_xlsx(report: AgingOut, labels: dict[str, str]) -> bytes:
    """The report as a workbook: a row per partner, then the totals; amounts as numbers.
    ``labels`` translates the column headings (English text -> shown text)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = labels.get("Aged receivables" if report.kind == "receivable" else "Aged payables",
                             "Aging")[:31]  # fmt: skip
    heading = ["Partner", *BUCKET_LABELS, "Total", "Invoices"]
    sheet.append([labels.get(text, text) for text in heading])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in [*report.partners, report.totals]:
        name = (
            labels.get(row.partner_name, row.partner_name)
            if row.partner_id is None
            else row.partner_name
        )
        sheet.append(
            [
                _safe(name),
                *(getattr(row, bucket) for bucket in BUCKETS),
                row.total,
                row.invoices,
            ]
        )
    for column in "BCDEFG":
        for cell in sheet[column][1:]:
            cell.number_format = "#,##0.00"
    sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe(text: str) -> str:
    # A partner's name starting like a formula would run in a spreadsheet (OWASP's advice).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
