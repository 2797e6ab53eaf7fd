"""An invoice or bill as a printable PDF under the company's letterhead, in English or Chinese."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from tessera.plugin import Block, Column, CompanyProfile, PdfDocument, round_money
from tessera_accounting.invoice_models import Invoice, InvoiceLine
from tessera_accounting.partners import Partner

TITLES = {
    ("customer", False): "Invoice",
    ("vendor", False): "Vendor bill",
    ("customer", True): "Draft invoice",
    ("vendor", True): "Draft vendor bill",
}
STATUS_TEXT = {
    "draft": "Draft",
    "posted": "Posted",
    "partially_paid": "Partially paid",
    "paid": "Paid",
    "cancelled": "Cancelled",
}


def amount(value: Decimal, currency: str) -> str:
    """``1,234.50``: the currency's decimals, thousands separated (the same in both languages)."""
    return f"{round_money(value, currency):,}"


def quantity(value: Decimal) -> str:
    """A quantity without trailing zeros: ``2``, ``1.5``."""
    return f"{value.normalize():f}"


def invoice_pdf(
    invoice: Invoice,
    lines: list[InvoiceLine],
    partner: Partner,
    company: CompanyProfile,
    tax_names: Mapping[str, str],
    language: str,
    translate: Mapping[str, str],
) -> PdfDocument:
    """The document, ready to render. ``translate`` maps the English texts to the language's
    (empty for English); ``tax_names`` maps a line's tax id to its printed name."""

    def t(text: str) -> str:
        return translate.get(text, text)

    cur = invoice.currency
    title = t(TITLES[(invoice.kind, invoice.status == "draft")])
    doc = PdfDocument(
        f"{title} {invoice.number}" if invoice.number else title,
        language=language,
        company=company,
    )
    party = [("", partner.name), *(("", line) for line in partner.address.splitlines() if line)]
    if partner.tax_id:
        party.append((t("Tax ID"), partner.tax_id))
    facts = [
        (t("Number"), invoice.number or "—"),
        (t("Date"), invoice.date.isoformat()),
        (t("Due date"), invoice.due_date.isoformat()),
        (t("Currency"), cur),
        (t("Status"), t(STATUS_TEXT[invoice.status])),
    ]
    if invoice.reference:
        facts.append((t("Reference"), invoice.reference))
    doc.blocks(Block(t("Bill to" if invoice.kind == "customer" else "Vendor"), party),
               Block("", facts))  # fmt: skip
    doc.table(
        [
            Column(t("Description"), 5),
            Column(t("Quantity"), 1.2, "right"),
            Column(t("Unit price"), 1.6, "right"),
            Column(t("Discount %"), 1.2, "right"),
            Column(t("Tax"), 1.4),
            Column(t("Amount"), 1.8, "right"),
        ],
        [
            [
                line.description,
                quantity(line.quantity),
                f"{line.unit_price.normalize():,f}",
                quantity(line.discount) if line.discount else "",
                tax_names.get(str(line.tax_id), "") if line.tax_id else "",
                amount(line.subtotal, cur),
            ]
            for line in lines
        ],
    )
    totals = [
        (t("Untaxed amount"), amount(invoice.untaxed, cur)),
        (t("Tax"), amount(invoice.tax, cur)),
        (t("Total"), f"{cur} {amount(invoice.total, cur)}"),
    ]
    if invoice.status in ("partially_paid", "paid"):
        # What is left to pay is then the figure that matters: it goes last, emphasised.
        totals.append((t("Amount due"), f"{cur} {amount(invoice.residual, cur)}"))
    doc.totals(totals)
    if invoice.notes:
        doc.notes(invoice.notes, heading=t("Notes"))
    return doc
