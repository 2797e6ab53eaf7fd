"""Payments against a contract's instalments (回款): an instalment is paid once its payments
cover it. A payment never exceeds what is left of its instalment (422 naming ``amount``), and
the CHECK on the instalment holds that whoever writes."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, Invalid, emit
from tessera_contracts.event_types import PAYMENT_RECORDED, PaymentFacts
from tessera_contracts.models import Instalment, Payment
from tessera_contracts.schemas import PaymentIn
from tessera_contracts.service import get_contract, money, require_status


async def record_payment(
    db: AsyncSession, actor: Actor, contract_id: uuid.UUID, data: PaymentIn
) -> Payment:
    contract = await get_contract(db, contract_id, lock=True)
    require_status(contract, ("active",), "take payments")
    instalment = await _instalment(db, contract.id, data)
    amount = money(data.amount, contract.currency, "amount")
    left = instalment.amount - instalment.paid
    if amount > left:
        raise Invalid("amount", f"only {left} {contract.currency} is left of this instalment")
    payment = Payment(
        tenant_id=contract.tenant_id,
        contract_id=contract.id,
        instalment_id=instalment.id,
        amount=amount,
        paid_on=data.paid_on,
        note=data.note.strip(),
        recorded_by=actor.user_id,
    )
    db.add(payment)
    instalment.paid += amount
    instalment.status = "paid" if instalment.paid == instalment.amount else "open"
    await db.flush()
    await emit(
        db,
        contract.tenant_id,
        PAYMENT_RECORDED,
        PaymentFacts(
            contract_id=str(contract.id),
            number=contract.number,
            instalment_id=str(instalment.id),
            payment_id=str(payment.id),
            amount=str(amount),
            currency=contract.currency,
            paid_on=data.paid_on.isoformat(),
            instalment_paid=instalment.status == "paid",
        ),
    )
    return payment


async def _instalment(db: AsyncSession, contract_id: uuid.UUID, data: PaymentIn) -> Instalment:
    """The instalment the payment names, locked; 422 naming the field otherwise."""
    if (data.instalment_id is None) == (data.instalment is None):
        raise Invalid("instalment_id", "name the instalment by instalment_id or instalment, one")
    query = select(Instalment).where(Instalment.contract_id == contract_id)
    if data.instalment_id is not None:
        field, query = "instalment_id", query.where(Instalment.id == data.instalment_id)
    else:
        field, query = "instalment", query.where(Instalment.position == data.instalment)
    found = (await db.scalars(query.with_for_update())).one_or_none()
    if found is None:
        raise Invalid(field, "is not an instalment of this contract")
    return found


async def payments_of(db: AsyncSession, contract_id: uuid.UUID) -> list[Payment]:
    query = (
        select(Payment)
        .where(Payment.contract_id == contract_id)
        .order_by(Payment.paid_on, Payment.id)
    )
    return list((await db.scalars(query)).all())


def paid_of(instalments: list[Instalment]) -> Decimal:
    return sum((i.paid for i in instalments), Decimal(0))
