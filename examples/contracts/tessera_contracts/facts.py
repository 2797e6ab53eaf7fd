"""What contracts say on a CRM account's page: how many of its contracts are active, and what
is still to be received of them, per currency. Only for members who may see contracts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Actor, RecordFact, round_money
from tessera_contracts.models import READ, Contract, Instalment

CRM_ACCOUNT = "crm.account"
ACTIVE, TO_RECEIVE = "Active contracts", "To receive"
#: Texts the platform translates through the plugin's catalogue (UI.messages).
FACT_TEXTS = (ACTIVE, TO_RECEIVE)


def _account_id(record_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(record_id)
    except ValueError:
        return None


async def account_facts(
    db: AsyncSession, actor: Actor, record_type: str, record_id: str
) -> Sequence[RecordFact]:
    account_id = _account_id(record_id)
    if record_type != CRM_ACCOUNT or account_id is None or READ not in actor.grants:
        return []
    active = (Contract.account_id == account_id, Contract.status == "active")
    count = await db.scalar(select(func.count()).select_from(Contract).where(*active))
    if not count:
        return []
    rows = await db.execute(
        select(Contract.currency, func.sum(Instalment.amount - Instalment.paid))
        .join(Contract, Contract.id == Instalment.contract_id)
        .where(*active)
        .group_by(Contract.currency)
        .order_by(Contract.currency)
    )
    owed = "; ".join(
        f"{round_money(Decimal(amount), currency):,} {currency}" for currency, amount in rows
    )
    return [RecordFact(ACTIVE, str(count)), RecordFact(TO_RECEIVE, owed or "0")]
