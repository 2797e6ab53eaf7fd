"""Payments over HTTP: /api/v1/accounting/payments."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy import select

from tessera.plugin import (
    DEFAULT_LIMIT,
    CursorQuery,
    LimitQuery,
    Member,
    Page,
    Uow,
    decode_cursor,
    page_of,
    requires,
)
from tessera_accounting.invoice_models import INVOICE_READ
from tessera_accounting.payment_models import PAYMENT_WRITE, Payment, PaymentAllocation
from tessera_accounting.payments import (
    PaymentIn,
    PaymentOut,
    get_payment,
    payment_out,
    register_payment,
)

PartnerFilter = Annotated[uuid.UUID | None, QueryParameter(description="One partner's")]
InvoiceFilter = Annotated[uuid.UUID | None, QueryParameter(description="Paying this invoice")]


class PaymentsController(Controller):
    path = "/payments"
    tags = ["accounting"]

    @get("/", summary="Payments, newest first", opt=requires(INVOICE_READ))
    async def list_payments(
        self,
        actor: Member,
        uow: Uow,
        partner_id: PartnerFilter = None,
        invoice_id: InvoiceFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[PaymentOut]:
        query = select(Payment).order_by(Payment.id.desc()).limit(limit + 1)
        after = decode_cursor(cursor)
        if after is not None:
            query = query.where(Payment.id < after)
        if partner_id is not None:
            query = query.where(Payment.partner_id == partner_id)
        if invoice_id is not None:
            paying = select(PaymentAllocation.payment_id).where(
                PaymentAllocation.invoice_id == invoice_id
            )
            query = query.where(Payment.id.in_(paying))
        rows = list((await uow.db.scalars(query)).all())
        shown = {row.id: await payment_out(uow.db, row) for row in rows[:limit]}
        return page_of(rows, limit, lambda row: row.id, lambda row: shown[row.id])

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Register a payment, allocated to open invoices of one partner",
        opt=requires(PAYMENT_WRITE),
    )
    async def create(self, data: JSONBody[PaymentIn], actor: Member, uow: Uow) -> PaymentOut:
        payment = await register_payment(uow.db, actor.tenant, data, by=actor.user_id)
        return await payment_out(uow.db, payment)

    @get("/{payment_id:uuid}", summary="One payment", opt=requires(INVOICE_READ))
    async def get_one(self, payment_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> PaymentOut:
        return await payment_out(uow.db, await get_payment(uow.db, payment_id))
