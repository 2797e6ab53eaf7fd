"""The rules of contracts: making and changing them with their payment plan, signing (with the
workflow engine's approval above the tenant's threshold), closing. No HTTP here.

A contract's terms — account, currency, amount and its plan of instalments — change only
while it is a draft (or was rejected). Its plan is replaced whole and must make exactly the
contract's amount; signing needs one. Signing above the threshold submits the contract to the
engine as ``contracts.contract``; the engine's decision arrives as an event (approval.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import String, Uuid, column, select, table
from sqlalchemy import delete as sql_delete
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    Actor,
    Conflict,
    Invalid,
    NotFound,
    checked_currency,
    checked_money,
    emit,
    is_member,
    submit_for_approval,
)
from tessera_contracts.event_types import ACTIVATED, REJECTED, SIGNED, ContractFacts
from tessera_contracts.models import (
    DEFAULT_CURRENCY,
    DEFAULT_REMINDER_DAYS,
    DEFAULT_THRESHOLD,
    EDITABLE,
    Contract,
    ContractSettings,
    Instalment,
)
from tessera_contracts.schemas import ContractIn, ContractPatch, InstalmentIn

RECORD_TYPE = "contracts.contract"
MAX_INSTALMENTS = 60

#: The CRM plugin's accounts, by table name: only what a contract shows of them. Row-level
#: security keeps the reads inside the tenant, as for every table.
ACCOUNTS = table(
    "crm_account", column("tenant_id", Uuid), column("id", Uuid), column("name", String)
)


def today() -> date:
    return datetime.now(UTC).date()


# --- settings ---------------------------------------------------------------------------


async def settings_of(
    db: AsyncSession, tenant_id: uuid.UUID, *, lock: bool = False
) -> ContractSettings:
    """The tenant's settings row, made with the defaults the first time it is asked for."""
    query = select(ContractSettings)
    if lock:
        query = query.with_for_update()
    found = (await db.scalars(query)).one_or_none()
    if found is None:
        found = ContractSettings(
            tenant_id=tenant_id,
            singleton=True,
            approval_threshold=DEFAULT_THRESHOLD,
            approval_currency=DEFAULT_CURRENCY,
            reminder_days=DEFAULT_REMINDER_DAYS,
        )
        db.add(found)
        await db.flush()
    return found


def needs_approval(settings: ContractSettings, contract: Contract) -> bool:
    """Above the threshold, or in a currency the threshold is not in (no guessed rate)."""
    if contract.currency != settings.approval_currency:
        return True
    return contract.amount > settings.approval_threshold


# --- reading ----------------------------------------------------------------------------


async def account_names(db: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = await db.execute(select(ACCOUNTS.c.id, ACCOUNTS.c.name).where(ACCOUNTS.c.id.in_(ids)))
    return {account_id: name for account_id, name in rows}


async def require_account(db: AsyncSession, account_id: uuid.UUID) -> None:
    if not await account_names(db, [account_id]):
        raise Invalid("account_id", "no such CRM account")


async def get_contract(db: AsyncSession, contract_id: uuid.UUID, *, lock: bool = False) -> Contract:
    query = select(Contract).where(Contract.id == contract_id)
    if lock:
        query = query.with_for_update()
    found = (await db.scalars(query)).one_or_none()
    if found is None:
        raise NotFound("No such contract.")
    return found


async def instalments_of(
    db: AsyncSession, contract_ids: Sequence[uuid.UUID], *, lock: bool = False
) -> list[Instalment]:
    query = (
        select(Instalment)
        .where(Instalment.contract_id.in_(contract_ids))
        .order_by(Instalment.contract_id, Instalment.position)
    )
    if lock:
        query = query.with_for_update()
    return list((await db.scalars(query)).all())


def facts(contract: Contract) -> ContractFacts:
    return ContractFacts(
        contract_id=str(contract.id),
        number=contract.number,
        account_id=str(contract.account_id),
        amount=str(contract.amount),
        currency=contract.currency,
        status=contract.status,
    )


# --- terms ------------------------------------------------------------------------------


def money(amount: object, currency: str, field: str) -> Decimal:
    value = checked_money(amount, currency, field)
    if value <= 0:
        raise Invalid(field, "must be above zero")
    return value


def checked_plan(
    items: Sequence[InstalmentIn], amount: Decimal, currency: str
) -> list[tuple[date, Decimal]]:
    """(due date, amount) per instalment in due order, making exactly ``amount``; else 422."""
    if len(items) > MAX_INSTALMENTS:
        raise Invalid("instalments", f"at most {MAX_INSTALMENTS} instalments")
    plan = [
        (item.due_date, money(item.amount, currency, f"instalments[{index}].amount"))
        for index, item in enumerate(items)
    ]
    total = sum((part for _, part in plan), Decimal(0))
    if plan and total != amount:
        raise Invalid(
            "instalments",
            f"the instalments make {total} {currency}, the contract's amount is {amount}",
        )
    return sorted(plan, key=lambda part: part[0])


async def put_plan(
    db: AsyncSession, contract: Contract, plan: Sequence[tuple[date, Decimal]]
) -> None:
    await db.execute(sql_delete(Instalment).where(Instalment.contract_id == contract.id))
    db.add_all(
        Instalment(
            tenant_id=contract.tenant_id,
            contract_id=contract.id,
            position=position,
            due_date=due,
            amount=part,
            paid=Decimal(0),
            status="open",
        )
        for position, (due, part) in enumerate(plan, start=1)
    )
    await db.flush()


async def number_free(db: AsyncSession, number: str, but: uuid.UUID | None = None) -> None:
    query = select(Contract.id).where(Contract.number == number)
    if but is not None:
        query = query.where(Contract.id != but)
    if (await db.execute(query)).first() is not None:
        raise Conflict(f"A contract is already numbered {number!r}.")


async def require_member(db: AsyncSession, user_id: uuid.UUID | None) -> None:
    if user_id is not None and not await is_member(db, user_id):
        raise Invalid("owner_id", "is not a member of this company")


async def create_contract(db: AsyncSession, actor: Actor, data: ContractIn) -> Contract:
    currency = checked_currency(data.currency, "currency")
    amount = money(data.amount, currency, "amount")
    plan = checked_plan(data.instalments, amount, currency)
    await require_account(db, data.account_id)
    owner_id = data.owner_id or actor.user_id
    await require_member(db, owner_id)
    number = data.number.strip()
    await number_free(db, number)
    contract = Contract(
        tenant_id=actor.tenant,
        number=number,
        title=data.title.strip(),
        account_id=data.account_id,
        currency=currency,
        amount=amount,
        status="draft",
        owner_id=owner_id,
    )
    db.add(contract)
    await db.flush()
    await put_plan(db, contract, plan)
    return contract


def require_status(contract: Contract, states: tuple[str, ...], doing: str) -> None:
    if contract.status not in states:
        raise Conflict(f"A contract that is {contract.status} cannot {doing}.")


async def change_contract(
    db: AsyncSession, contract_id: uuid.UUID, data: ContractPatch
) -> Contract:
    contract = await get_contract(db, contract_id, lock=True)
    if data.owner_id is not None:
        await require_member(db, data.owner_id)
        contract.owner_id = data.owner_id
    if data.title is not None:
        contract.title = data.title.strip()
    terms = (data.number, data.account_id, data.currency, data.amount, data.instalments)
    if any(value is not None for value in terms):
        require_status(contract, EDITABLE, "have its terms changed")
        await _change_terms(db, contract, data)
    await db.flush()
    return contract


async def _change_terms(db: AsyncSession, contract: Contract, data: ContractPatch) -> None:
    if data.number is not None and data.number.strip() != contract.number:
        await number_free(db, data.number.strip(), but=contract.id)
        contract.number = data.number.strip()
    if data.account_id is not None:
        await require_account(db, data.account_id)
        contract.account_id = data.account_id
    currency = checked_currency(data.currency, "currency") if data.currency else contract.currency
    # Checked again in a changed currency too: yen have no cents.
    amount = money(contract.amount if data.amount is None else data.amount, currency, "amount")
    items = data.instalments
    if items is None:  # the plan kept must still make the (new) amount
        kept = await instalments_of(db, [contract.id], lock=True)
        items = [InstalmentIn(due_date=i.due_date, amount=str(i.amount)) for i in kept]
    plan = checked_plan(items, amount, currency)
    contract.currency, contract.amount = currency, amount
    await put_plan(db, contract, plan)


async def delete_contract(db: AsyncSession, contract_id: uuid.UUID) -> None:
    contract = await get_contract(db, contract_id, lock=True)
    require_status(contract, EDITABLE, "be deleted")
    await db.delete(contract)
    await db.flush()


# --- signing and approval ---------------------------------------------------------------


async def activate(db: AsyncSession, contract: Contract) -> None:
    contract.status = "active"
    await db.flush()
    await emit(db, contract.tenant_id, ACTIVATED, facts(contract))


async def sign_contract(
    db: AsyncSession, actor: Actor, contract_id: uuid.UUID, signed_on: date | None
) -> Contract:
    """Active at once within the threshold; above it, pending the workflow's approval."""
    contract = await get_contract(db, contract_id, lock=True)
    require_status(contract, EDITABLE, "be signed")
    if not await instalments_of(db, [contract.id]):
        raise Conflict("The contract has no payment plan: give its instalments before signing.")
    contract.signed_on = signed_on or today()
    settings = await settings_of(db, contract.tenant_id)
    if not needs_approval(settings, contract):
        await emit(db, contract.tenant_id, SIGNED, facts(contract))
        await activate(db, contract)
        return contract
    contract.status = "pending_approval"
    await db.flush()
    approval = await submit_for_approval(db, actor, RECORD_TYPE, contract.id)
    contract.approval_id = approval.id
    await db.flush()
    await emit(db, contract.tenant_id, SIGNED, facts(contract))
    if approval.status == "approved":  # no step of the tenant's workflow applied
        await activate(db, contract)
    return contract


async def conclude_approval(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    contract_id: uuid.UUID,
    approval_id: uuid.UUID,
    outcome: str,
) -> None:
    """The engine decided the approval the contract was sent with. Events may come twice:
    nothing happens unless the contract still waits on this very approval."""
    contract = await db.get(Contract, (tenant_id, contract_id), with_for_update=True)
    if contract is None or contract.status != "pending_approval":
        return
    if contract.approval_id != approval_id:
        return
    if outcome == "approved":
        await activate(db, contract)
        return
    # Rejected, returned or withdrawn: the terms may be changed and the contract signed again.
    contract.status = "rejected" if outcome == "rejected" else "draft"
    contract.signed_on = None
    await db.flush()
    if outcome == "rejected":
        await emit(db, tenant_id, REJECTED, facts(contract))


async def close_contract(db: AsyncSession, contract_id: uuid.UUID) -> Contract:
    contract = await get_contract(db, contract_id, lock=True)
    require_status(contract, ("active",), "be closed")
    contract.status = "closed"
    await db.flush()
    return contract
