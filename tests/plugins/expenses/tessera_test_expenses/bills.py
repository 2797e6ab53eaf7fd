"""Supplier bills with line items, mounted under /api/v1/expenses/bills: the browser app's line
editor is proven on them end to end (the server, not the app, computes amounts and totals)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy import delete, select

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Block,
    Column,
    CursorQuery,
    Input,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    PdfDocument,
    Uow,
    check_limit,
    checked_currency,
    checked_money,
    company_profile,
    decode_cursor,
    page_of,
    requires,
    round_money,
    visible_to,
)
from tessera_test_expenses.models import Bill, BillLine

BILLS = "expenses.bill.write"
CATEGORIES = ("travel", "meals", "supplies")
MAX_LINES = 100
Supplier = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Description = Annotated[str, msgspec.Meta(max_length=200)]
Lang = Annotated[str, QueryParameter(pattern=r"^(en|zh)$", description="Print in en or zh")]
#: The words the printed bill uses, by language (the UI catalogue's Chinese for the same texts).
PRINTED = {
    "en": {
        "title": "Supplier bill",
        "supplier": "Supplier",
        "billed_on": "Billed on",
        "columns": ("Description", "Quantity", "Unit price", "Discount %", "Amount"),
        "total": "Total",
    },
    "zh": {
        "title": "供应商账单",
        "supplier": "供应商",
        "billed_on": "账单日期",
        "columns": ("说明", "数量", "单价", "折扣 %", "金额"),
        "total": "合计",
    },
}


class LineIn(Input):
    quantity: Decimal
    #: Money is decimal text ("12.50"): a JSON number is refused.
    unit_price: str
    description: Description = ""
    category: str | None = None
    discount: Decimal = Decimal(0)


class BillIn(Input):
    supplier: Supplier
    currency: str
    lines: list[LineIn]
    billed_on: date | None = None


class BillPatch(Input):
    supplier: Supplier | None = None
    currency: str | None = None
    billed_on: date | None = None
    lines: list[LineIn] | None = None


class LineOut(msgspec.Struct):
    description: str
    category: str | None
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    amount: Decimal


class BillOut(msgspec.Struct):
    id: uuid.UUID
    supplier: str
    currency: str
    billed_on: date | None
    total: Decimal
    owner_id: uuid.UUID | None
    lines: list[LineOut]


def _checked_line(line: LineIn, index: int, currency: str) -> dict[str, object]:
    """One line's columns, its amount computed; 422 naming the line's field (``lines[2].quantity``)."""
    where = f"lines[{index}]"
    if not (line.quantity.is_finite() and 0 < line.quantity < Decimal("1e11")):
        raise Invalid(f"{where}.quantity", "must be more than 0")
    if line.quantity != round(line.quantity, 3):
        raise Invalid(f"{where}.quantity", "has at most 3 decimal places")
    if not (line.discount.is_finite() and 0 <= line.discount <= 100):
        raise Invalid(f"{where}.discount", "must be a percentage from 0 to 100")
    if line.discount != round(line.discount, 2):
        raise Invalid(f"{where}.discount", "has at most 2 decimal places")
    if line.category is not None and line.category not in CATEGORIES:
        raise Invalid(f"{where}.category", f"must be one of {', '.join(CATEGORIES)}")
    price = checked_money(line.unit_price, currency, f"{where}.unit_price")
    amount = round_money(line.quantity * price * (100 - line.discount) / 100, currency)
    return {
        "position": index,
        "description": line.description.strip(),
        "category": line.category,
        "quantity": line.quantity,
        "unit_price": price,
        "discount": line.discount,
        "amount": amount,
    }


def _checked_lines(lines: Sequence[LineIn], currency: str) -> list[dict[str, object]]:
    if not lines:
        raise Invalid("lines", "a bill needs at least one line")
    if len(lines) > MAX_LINES:
        raise Invalid("lines", f"a bill has at most {MAX_LINES} lines")
    return [_checked_line(line, index, currency) for index, line in enumerate(lines)]


async def _lines_of(uow: Uow, bill_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[LineOut]]:
    rows = await uow.db.execute(
        select(BillLine).where(BillLine.bill_id.in_(bill_ids)).order_by(BillLine.position)
    )
    found: dict[uuid.UUID, list[LineOut]] = {bill_id: [] for bill_id in bill_ids}
    for line in rows.scalars():
        found[line.bill_id].append(
            LineOut(
                line.description,
                line.category,
                line.quantity,
                line.unit_price,
                line.discount,
                line.amount,
            )
        )
    return found


async def _render(uow: Uow, bills: list[Bill]) -> list[BillOut]:
    lines = await _lines_of(uow, [bill.id for bill in bills])
    return [
        BillOut(b.id, b.supplier, b.currency, b.billed_on, b.total, b.owner_id, lines[b.id])
        for b in bills
    ]


async def _get(uow: Uow, actor: Actor, bill_id: uuid.UUID) -> Bill:
    query = select(Bill).where(Bill.id == bill_id, visible_to(actor, BILLS, Bill.owner_id))
    bill = (await uow.db.execute(query)).scalar_one_or_none()
    if bill is None:
        raise NotFound("No such bill.")
    return bill


async def _replace_lines(uow: Uow, bill: Bill, lines: list[dict[str, object]]) -> None:
    await uow.db.execute(delete(BillLine).where(BillLine.bill_id == bill.id))
    for line in lines:
        uow.db.add(BillLine(tenant_id=bill.tenant_id, bill_id=bill.id, **line))
    bill.total = sum((Decimal(str(line["amount"])) for line in lines), Decimal(0))
    await uow.db.flush()


async def _stored_lines(uow: Uow, bill: Bill) -> list[LineIn]:
    """A bill's lines as input again: a new currency must suit the prices it already has."""
    rows = await uow.db.execute(
        select(BillLine).where(BillLine.bill_id == bill.id).order_by(BillLine.position)
    )
    return [
        LineIn(
            quantity=line.quantity,
            unit_price=str(line.unit_price),
            description=line.description,
            category=line.category,
            discount=line.discount,
        )
        for line in rows.scalars()
    ]


class BillsController(Controller):
    path = "/bills"

    @get("/", opt=requires(BILLS))
    async def list_bills(
        self, actor: Member, uow: Uow, limit: LimitQuery = DEFAULT_LIMIT, cursor: CursorQuery = None
    ) -> Page[BillOut]:
        query = (
            select(Bill)
            .where(visible_to(actor, BILLS, Bill.owner_id))
            .order_by(Bill.id.desc())
            .limit(check_limit(limit) + 1)
        )
        if (before := decode_cursor(cursor)) is not None:
            query = query.where(Bill.id < before)
        rows = list((await uow.db.execute(query)).scalars())
        page = page_of(rows, limit, key=lambda b: b.id, render=lambda b: b)
        return Page(items=await _render(uow, page.items), next_cursor=page.next_cursor)

    @post("/", status_code=HTTP_201_CREATED, opt=requires(BILLS))
    async def create(self, data: JSONBody[BillIn], actor: Member, uow: Uow) -> BillOut:
        currency = checked_currency(data.currency, "currency")
        lines = _checked_lines(data.lines, currency)
        bill = Bill(
            tenant_id=actor.tenant_id,
            supplier=data.supplier.strip(),
            currency=currency,
            billed_on=data.billed_on,
            owner_id=actor.user_id,
        )
        uow.db.add(bill)
        await uow.db.flush()
        await _replace_lines(uow, bill, lines)
        return (await _render(uow, [bill]))[0]

    @get("/{bill_id:uuid}", opt=requires(BILLS))
    async def get_bill(self, bill_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> BillOut:
        return (await _render(uow, [await _get(uow, actor, bill_id)]))[0]

    @patch("/{bill_id:uuid}", opt=requires(BILLS))
    async def update(
        self, bill_id: FromPath[uuid.UUID], data: JSONBody[BillPatch], actor: Member, uow: Uow
    ) -> BillOut:
        """The lines, when sent, replace the bill's lines as a whole."""
        bill = await _get(uow, actor, bill_id)
        if data.supplier is not None:
            bill.supplier = data.supplier.strip()
        if data.billed_on is not None:
            bill.billed_on = data.billed_on
        currency = bill.currency
        if data.currency is not None:
            currency = checked_currency(data.currency, "currency")
        if data.lines is not None:
            await _replace_lines(uow, bill, _checked_lines(data.lines, currency))
        elif currency != bill.currency:
            try:
                lines = _checked_lines(await _stored_lines(uow, bill), currency)
            except Invalid:
                raise Invalid("currency", f"the bill's prices do not suit {currency}") from None
            await _replace_lines(uow, bill, lines)
        bill.currency = currency
        await uow.db.flush()
        return (await _render(uow, [bill]))[0]

    @get("/{bill_id:uuid}/pdf", opt=requires(BILLS))
    async def pdf(
        self, bill_id: FromPath[uuid.UUID], actor: Member, uow: Uow, lang: Lang = "en"
    ) -> Response[bytes]:
        """The bill printed under the company's letterhead, in English or Chinese."""
        [bill] = await _render(uow, [await _get(uow, actor, bill_id)])
        words = PRINTED[lang]
        doc = PdfDocument(
            str(words["title"]), language=lang, company=await company_profile(uow, actor.tenant)
        )
        billed = str(bill.billed_on) if bill.billed_on else "—"
        doc.blocks(
            Block(str(words["supplier"]), [("", bill.supplier)]),
            Block("", [(str(words["billed_on"]), billed)]),
        )
        headings = words["columns"]
        doc.table(
            [Column(headings[0], 4), *(Column(heading, 1.4, "right") for heading in headings[1:])],
            [
                [x.description, f"{x.quantity:f}", f"{x.unit_price:,.2f}", f"{x.discount:f}",
                 f"{x.amount:,.2f}"]
                for x in bill.lines
            ],
        )  # fmt: skip
        doc.totals([(str(words["total"]), f"{bill.currency} {bill.total:,.2f}")])
        disposition = f'inline; filename="bill-{bill.id}.pdf"'
        return Response(
            await doc.render(),
            media_type="application/pdf",
            headers={"Content-Disposition": disposition},
        )
