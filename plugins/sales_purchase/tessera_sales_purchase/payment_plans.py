"""Payment plans (回款计划): when a sales order's customer is to pay what, and what they paid.

A plan is a list of instalments, each a due date and an amount or a percentage of the order's
total; together they make exactly the total (a percentage plan's rounding remainder goes to
its last instalment). What is paid comes from accounting: the order's invoices' totals less
their residuals (``accounting.invoicing.invoice_summary``), applied to the instalments in due
order, so each instalment is paid, partly paid, due or overdue.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, get, put
from litestar.params import FromPath, JSONBody
from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Input, Invalid, Member, Uow, requires, round_money
from tessera_sales_purchase import providers
from tessera_sales_purchase.amounts import Number, decimal_of, percent_of
from tessera_sales_purchase.models import (
    SALE_READ,
    SALE_WRITE,
    Instalment,
    OrderDocument,
    SaleOrder,
)
from tessera_sales_purchase.orders_common import today
from tessera_sales_purchase.sales import get_order, require_state

MAX_INSTALMENTS = 60


class InstalmentIn(Input):
    due_date: date
    #: Give an amount or a percent of the order's total, not both.
    amount: Number | None = None
    percent: Number | None = None
    note: Annotated[str, msgspec.Meta(max_length=200)] = ""


class PlanIn(Input):
    instalments: Annotated[list[InstalmentIn], msgspec.Meta(max_length=MAX_INSTALMENTS)]


class InstalmentOut(msgspec.Struct):
    id: uuid.UUID
    due_date: date
    amount: Decimal
    percent: Decimal | None
    note: str
    paid: Decimal
    #: paid, partial, due or overdue
    status: str


class PlanOut(msgspec.Struct):
    order_id: uuid.UUID
    currency: str
    total: Decimal
    invoiced: Decimal
    #: Payments registered against the order's invoices.
    received: Decimal
    outstanding: Decimal
    instalments: list[InstalmentOut]


def _amounts(
    order: SaleOrder, items: Sequence[InstalmentIn]
) -> list[tuple[Decimal, Decimal | None]]:
    """(amount, percent) per instalment, summing to the order's total; 422 otherwise."""
    if not items:
        raise Invalid("instalments", "a plan needs at least one instalment")
    found: list[tuple[Decimal, Decimal | None]] = []
    for index, item in enumerate(items):
        at = f"instalments[{index}]."
        if (item.amount is None) == (item.percent is None):
            raise Invalid(f"{at}amount", "give an amount or a percent, one of them")
        if item.amount is not None:
            places = 3
            amount = decimal_of(item.amount, f"{at}amount", places=places)
            if amount != round_money(amount, order.currency) or amount <= 0:
                raise Invalid(
                    f"{at}amount", f"must be above zero, in whole {order.currency} minor units"
                )
            found.append((amount, None))
        else:
            assert item.percent is not None
            percent = percent_of(item.percent, f"{at}percent")
            if percent == 0:
                raise Invalid(f"{at}percent", "must be above zero")
            found.append((round_money(order.total * percent / 100, order.currency), percent))
    total = sum((amount for amount, _ in found), Decimal(0))
    shares = sum((percent for _, percent in found if percent is not None), Decimal(0))
    if all(percent is not None for _, percent in found) and shares == 100 and total != order.total:
        last, share = found[-1]
        found[-1] = (last + order.total - total, share)
        total = order.total
    if total != order.total:
        raise Invalid(
            "instalments",
            f"the instalments make {total} {order.currency}, the order's total is {order.total}",
        )
    return found


async def set_plan(db: AsyncSession, order_id: uuid.UUID, data: PlanIn) -> SaleOrder:
    order = await get_order(db, order_id, lock=True)
    require_state(order, ("quotation", "sale"), "have its payment plan changed")
    amounts = _amounts(order, data.instalments)
    await db.execute(sql_delete(Instalment).where(Instalment.order_id == order.id))
    db.add_all(
        Instalment(
            tenant_id=order.tenant_id,
            order_id=order.id,
            position=index + 1,
            due_date=item.due_date,
            amount=amount,
            percent=percent,
            note=item.note.strip(),
        )
        for index, (item, (amount, percent)) in enumerate(
            zip(data.instalments, amounts, strict=True)
        )
    )
    await db.flush()
    return order


async def invoiced_and_paid(db: AsyncSession, order: SaleOrder) -> tuple[Decimal, Decimal]:
    """The order's invoices' totals and what has been paid of them."""
    query = select(OrderDocument).where(
        OrderDocument.sale_order_id == order.id, OrderDocument.kind == "invoice"
    )
    invoiced = paid = Decimal(0)
    invoicing = None
    for document in (await db.scalars(query)).all():
        invoicing = invoicing or providers.invoicing()
        summary = await invoicing.invoice_summary(db, order.tenant_id, document.document_id)
        if summary is None or summary.get("status") in ("cancelled", "draft"):
            continue
        total = Decimal(str(summary["total"]))
        invoiced += total
        paid += total - Decimal(str(summary["residual"]))
    return invoiced, paid


def _status(amount: Decimal, paid: Decimal, due: date, on: date) -> str:
    if paid >= amount:
        return "paid"
    if paid > 0:
        return "partial"
    return "overdue" if due < on else "due"


async def plan_out(db: AsyncSession, order: SaleOrder) -> PlanOut:
    query = (
        select(Instalment)
        .where(Instalment.order_id == order.id)
        .order_by(Instalment.due_date, Instalment.position)
    )
    instalments = list((await db.scalars(query)).all())
    invoiced, received = await invoiced_and_paid(db, order)
    left, on, shown = received, today(), []
    for item in instalments:
        paid = min(left, item.amount)
        left -= paid
        shown.append(
            InstalmentOut(
                item.id,
                item.due_date,
                round_money(item.amount, order.currency),
                item.percent,
                item.note,
                round_money(paid, order.currency),
                _status(item.amount, paid, item.due_date, on),
            )
        )
    return PlanOut(
        order_id=order.id,
        currency=order.currency,
        total=round_money(order.total, order.currency),
        invoiced=round_money(invoiced, order.currency),
        received=round_money(received, order.currency),
        outstanding=round_money(max(order.total - received, Decimal(0)), order.currency),
        instalments=shown,
    )


class PaymentPlanController(Controller):
    path = "/sales/orders/{order_id:uuid}/payment-plan"
    tags = ["sales_purchase"]

    @get("/", summary="The order's payment plan and the payments received", opt=requires(SALE_READ))
    async def read(self, order_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> PlanOut:
        return await plan_out(uow.db, await get_order(uow.db, order_id))

    @put(
        "/",
        summary="Set the order's instalments (they must make its total)",
        opt=requires(SALE_WRITE),
    )
    async def replace(
        self, order_id: FromPath[uuid.UUID], data: JSONBody[PlanIn], actor: Member, uow: Uow
    ) -> PlanOut:
        return await plan_out(uow.db, await set_plan(uow.db, order_id, data))
