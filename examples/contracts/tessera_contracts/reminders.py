"""Reminders before each unpaid instalment's due date, sent by a daily schedule.

The contract's owner hears of an open instalment of an active contract once, on the first run
within the tenant's ``reminder_days`` before its due date. ``reminded_on`` is set in the same
transaction as the notification: a repeated run finds nothing, a concurrent one skips the rows
another holds.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import HandlerContext, Schedule, notify, round_money
from tessera_contracts.models import Contract, Instalment
from tessera_contracts.service import settings_of, today

REMINDER = "contracts.instalment_due"
SCHEDULE = "contracts.remind"
#: At most this many reminders per run; the rest go out on the next.
BATCH = 500


async def send_reminders(db: AsyncSession, tenant_id: uuid.UUID, on: date) -> int:
    """Remind owners of the open instalments due from ``on`` to ``reminder_days`` later."""
    settings = await settings_of(db, tenant_id)
    query = (
        select(Instalment, Contract)
        .join(Contract, Contract.id == Instalment.contract_id)
        .where(
            Contract.status == "active",
            Instalment.status == "open",
            Instalment.reminded_on.is_(None),
            Instalment.due_date >= on,
            Instalment.due_date <= on + timedelta(days=settings.reminder_days),
        )
        .order_by(Instalment.due_date, Instalment.id)
        .limit(BATCH)
        .with_for_update(of=Instalment, skip_locked=True)
    )
    rows = list((await db.execute(query)).all())
    for instalment, contract in rows:
        if contract.owner_id is not None:
            left = round_money(instalment.amount - instalment.paid, contract.currency)
            await notify(
                db,
                tenant_id,
                [contract.owner_id],
                REMINDER,
                f"{contract.number}: {left} {contract.currency} due on {instalment.due_date}",
                body=f"Instalment {instalment.position} of {contract.title}",
                link=f"/contracts/contracts/{contract.id}",
            )
        instalment.reminded_on = on
    await db.flush()
    return len(rows)


async def remind(ctx: HandlerContext) -> None:
    await send_reminders(ctx.db, ctx.tenant_id, today())


REMINDERS = Schedule(SCHEDULE, timedelta(days=1), remind)
