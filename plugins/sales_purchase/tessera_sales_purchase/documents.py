"""Quotations, sales orders and purchase orders as PDF, in English or Chinese, under the
tenant's letterhead (``PdfDocument`` and ``company_profile`` of the public API):
``GET …/sales/orders/{id}/pdf?lang=zh`` and ``GET …/purchases/orders/{id}/pdf``.

Invoices and bills made from an order print through accounting's own invoice PDF; the order's
documents link to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Protocol

from litestar import Controller, Response, get
from litestar.params import FromPath, QueryParameter

from tessera.plugin import (
    MINOR_UNITS,
    Block,
    Column,
    Invalid,
    Member,
    PdfDocument,
    Uow,
    company_profile,
    requires,
)
from tessera_sales_purchase import purchases, sales
from tessera_sales_purchase.models import PURCHASE_READ, SALE_READ
from tessera_sales_purchase.translations import ZH

Lang = Annotated[str, QueryParameter(max_length=20, description="en or zh")]

#: What the documents print besides the order's own data (the catalogue translates them).
TEXTS = (
    "Quotation",
    "Request for quotation",
    "Date",
    "Valid until",
    "Reference",
    "Description",
    "Quantity",
    "Unit price",
    "Discount %",
    "Tax",
    "Amount",
    "Untaxed",
    "Total",
    "Note",
    "Customer",
    "Vendor",
    "Sales order",
    "Purchase order",
)


class PrintedLine(Protocol):
    """What a sale or purchase line prints."""

    @property
    def description(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def discount(self) -> Decimal: ...
    @property
    def tax_code(self) -> str | None: ...
    @property
    def untaxed(self) -> Decimal: ...


def checked_lang(lang: str) -> str:
    """``en`` or ``zh`` (``zh-CN`` and the like print in Chinese); 422 for anything else."""
    base = lang.lower().replace("_", "-").split("-")[0]
    if base not in ("en", "zh"):
        raise Invalid("lang", "must be en or zh")
    return base


def say(text: str, lang: str) -> str:
    return ZH.get(text, text) if lang.startswith("zh") else text


def money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.{MINOR_UNITS.get(currency, 2)}f}"


def quantity(amount: Decimal) -> str:
    normal = amount.normalize()
    return f"{normal:f}" if normal != normal.to_integral() else f"{normal.to_integral():f}"


def _lines_table(doc: PdfDocument, lines: Sequence[PrintedLine], currency: str, lang: str) -> None:
    columns = [
        Column(say("Description", lang), 4),
        Column(say("Quantity", lang), 1, "right"),
        Column(say("Unit price", lang), 1.4, "right"),
        Column(say("Discount %", lang), 1, "right"),
        Column(say("Tax", lang), 1, "left"),
        Column(say("Amount", lang), 1.6, "right"),
    ]
    rows = [
        [
            line.description,
            quantity(line.quantity),
            f"{line.unit_price.normalize():f}",
            quantity(line.discount),
            line.tax_code or "",
            money(line.untaxed, currency),
        ]
        for line in lines
    ]
    doc.table(columns, rows)


async def _render(
    uow: Uow,
    tenant_id: uuid.UUID,
    *,
    title: str,
    number: str,
    party_heading: str,
    party: str,
    facts: list[tuple[str, str]],
    lines: Sequence[PrintedLine],
    currency: str,
    totals: tuple[Decimal, Decimal, Decimal],
    note: str,
    lang: str,
) -> Response[bytes]:
    doc = PdfDocument(title, language=lang, company=await company_profile(uow, tenant_id))
    doc.blocks(Block(say(party_heading, lang), [("", party)]), Block("", facts))
    _lines_table(doc, lines, currency, lang)
    untaxed, tax, total = totals
    doc.totals(
        [
            (say("Untaxed", lang), money(untaxed, currency)),
            (say("Tax", lang), money(tax, currency)),
            (say("Total", lang), f"{currency} {money(total, currency)}"),
        ]
    )
    if note:
        doc.notes(note, heading=say("Note", lang))
    # Headers are Latin-1: the file is named by the document's number, never its title.
    filename = number.replace("/", "-")
    return Response(
        await doc.render(),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}.pdf"'},
    )


class SaleDocumentsController(Controller):
    path = "/sales/orders"
    tags = ["sales_purchase"]

    @get(
        "/{order_id:uuid}/pdf",
        summary="The quotation or order as PDF (lang: en or zh)",
        opt=requires(SALE_READ),
    )
    async def pdf(
        self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow, lang: Lang = "en"
    ) -> Response[bytes]:
        lang = checked_lang(lang)
        order = await sales.get_order(uow.db, order_id)
        lines = await sales.lines_of(uow.db, order.id)
        kind = "Quotation" if order.state == "quotation" else "Sales order"
        name = order.number or order.quotation_number
        facts = [(say("Date", lang), order.order_date.isoformat())]
        if order.validity_date is not None and order.state == "quotation":
            facts.append((say("Valid until", lang), order.validity_date.isoformat()))
        if order.number is not None:
            facts.append((say("Quotation", lang), order.quotation_number))
        return await _render(
            uow,
            actor.tenant,
            title=f"{say(kind, lang)} {name}",
            number=name,
            party_heading="Customer",
            party=order.partner_name,
            facts=facts,
            lines=lines,
            currency=order.currency,
            totals=(order.untaxed, order.tax, order.total),
            note=order.note,
            lang=lang,
        )


class PurchaseDocumentsController(Controller):
    path = "/purchases/orders"
    tags = ["sales_purchase"]

    @get(
        "/{order_id:uuid}/pdf",
        summary="The request for quotation or purchase order as PDF (lang: en or zh)",
        opt=requires(PURCHASE_READ),
    )
    async def pdf(
        self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow, lang: Lang = "en"
    ) -> Response[bytes]:
        lang = checked_lang(lang)
        order = await purchases.get_purchase(uow.db, order_id)
        lines = await purchases.lines_of(uow.db, order.id)
        kind = "Purchase order" if order.number else "Request for quotation"
        facts = [(say("Date", lang), order.order_date.isoformat())]
        if order.number is not None:
            facts.append((say("Reference", lang), order.rfq_number))
        return await _render(
            uow,
            actor.tenant,
            title=f"{say(kind, lang)} {order.number or order.rfq_number}",
            number=order.number or order.rfq_number,
            party_heading="Vendor",
            party=order.partner_name,
            facts=facts,
            lines=lines,
            currency=order.currency,
            totals=(order.untaxed, order.tax, order.total),
            note=order.note,
            lang=lang,
        )
