"""The contracts API, mounted by the platform under /api/v1/contracts. The rules are in
:mod:`tessera_contracts.service`, :mod:`~tessera_contracts.payments` and
:mod:`~tessera_contracts.reports`; these routes translate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import Body, FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Invalid,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    checked_currency,
    checked_money,
    requires,
    round_money,
)
from tessera_contracts import payments, reminders, reports, service
from tessera_contracts.models import (
    PAY,
    READ,
    SETTINGS,
    STATES,
    WRITE,
    Contract,
    ContractSettings,
    Instalment,
    Payment,
)
from tessera_contracts.schemas import (
    ContractIn,
    ContractOut,
    ContractPatch,
    DueByMonthOut,
    InstalmentOut,
    PaymentIn,
    PaymentOut,
    SettingsOut,
    SettingsPatch,
    SignIn,
)

SORTING = Sorting(
    {
        "number": Contract.number,
        "signed_on": Contract.signed_on,
        "amount": Contract.amount,
        "created_at": Contract.created_at,
    },
    Contract.id,
    default="-created_at",
)
StatusFilter = Annotated[
    str | None, QueryParameter(name="status", pattern=f"^({'|'.join(STATES)})$")
]
AccountFilter = Annotated[uuid.UUID | None, QueryParameter(description="One account's")]
Search = Annotated[
    str | None, QueryParameter(max_length=200, description="Part of the number or the title")
]
OptionalSign = Annotated[SignIn | None, Body(description="Optional: the day it was signed")]
FromQuery = Annotated[date | None, QueryParameter(name="from", description="First day")]
ToQuery = Annotated[date | None, QueryParameter(name="to", description="Last day")]


def instalment_out(item: Instalment, currency: str) -> InstalmentOut:
    return InstalmentOut(
        item.id,
        item.position,
        item.due_date,
        round_money(item.amount, currency),
        round_money(item.paid, currency),
        item.status,
    )


async def contract_outs(db: AsyncSession, contracts: Sequence[Contract]) -> list[ContractOut]:
    """The contracts with their account's name and their plan: two queries for a whole page."""
    names = await service.account_names(db, list({c.account_id for c in contracts}))
    plans: dict[uuid.UUID, list[Instalment]] = {c.id: [] for c in contracts}
    for item in await service.instalments_of(db, [c.id for c in contracts]):
        plans[item.contract_id].append(item)
    found = []
    for c in contracts:
        paid = sum((i.paid for i in plans[c.id]), Decimal(0))
        found.append(
            ContractOut(
                id=c.id,
                number=c.number,
                title=c.title,
                account_id=c.account_id,
                account_name=names.get(c.account_id, ""),
                currency=c.currency,
                amount=round_money(c.amount, c.currency),
                status=c.status,
                signed_on=c.signed_on,
                owner_id=c.owner_id,
                approval_id=c.approval_id,
                paid=round_money(paid, c.currency),
                outstanding=round_money(c.amount - paid, c.currency),
                instalments=[instalment_out(i, c.currency) for i in plans[c.id]],
                created_at=c.created_at,
                updated_at=c.updated_at,
            )
        )
    return found


async def contract_out(db: AsyncSession, contract: Contract) -> ContractOut:
    await db.refresh(contract)  # server-side timestamps after the flush
    return (await contract_outs(db, [contract]))[0]


def payment_out(payment: Payment, currency: str) -> PaymentOut:
    return PaymentOut(
        payment.id,
        payment.contract_id,
        payment.instalment_id,
        round_money(payment.amount, currency),
        payment.paid_on,
        payment.note,
        payment.recorded_by,
    )


class ContractsController(Controller):
    path = "/contracts"
    tags = ["contracts"]

    @get("/", summary="Contracts", opt=requires(READ))
    async def list_contracts(
        self,
        actor: Member,
        uow: Uow,
        in_status: StatusFilter = None,
        account_id: AccountFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[ContractOut]:
        query = select(Contract)
        if in_status is not None:
            query = query.where(Contract.status == in_status)
        if account_id is not None:
            query = query.where(Contract.account_id == account_id)
        if q:
            query = query.where(
                Contract.number.icontains(q, autoescape=True)
                | Contract.title.icontains(q, autoescape=True)
            )
        page = SORTING.page(query, sort, cursor, limit)
        rows = list((await uow.db.scalars(page.query)).all())
        shown = {c.id: out for c, out in zip(rows, await contract_outs(uow.db, rows), strict=True)}
        return page.of(rows, lambda c: shown[c.id])

    @post("/", status_code=HTTP_201_CREATED, summary="Make a draft contract", opt=requires(WRITE))
    async def create(self, data: JSONBody[ContractIn], actor: Member, uow: Uow) -> ContractOut:
        return await contract_out(uow.db, await service.create_contract(uow.db, actor, data))

    @get("/{contract_id:uuid}", summary="One contract with its plan", opt=requires(READ))
    async def get_one(
        self, contract_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> ContractOut:
        return await contract_out(uow.db, await service.get_contract(uow.db, contract_id))

    @patch(
        "/{contract_id:uuid}",
        summary="Change a contract (its terms and plan only while a draft or rejected)",
        opt=requires(WRITE),
    )
    async def change(
        self,
        contract_id: FromPath[uuid.UUID],
        data: JSONBody[ContractPatch],
        actor: Member,
        uow: Uow,
    ) -> ContractOut:
        contract = await service.change_contract(uow.db, contract_id, data)
        return await contract_out(uow.db, contract)

    @delete(
        "/{contract_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete a draft or rejected contract (to the recycle bin)",
        opt=requires(WRITE),
    )
    async def remove(self, contract_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await service.delete_contract(uow.db, contract_id)

    @post(
        "/{contract_id:uuid}/sign",
        status_code=HTTP_200_OK,
        summary="Sign: active at once, or pending approval above the threshold",
        opt=requires(WRITE),
    )
    async def sign(
        self,
        contract_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        data: OptionalSign = None,
    ) -> ContractOut:
        signed_on = data.signed_on if data is not None else None
        contract = await service.sign_contract(uow.db, actor, contract_id, signed_on)
        return await contract_out(uow.db, contract)

    @post(
        "/{contract_id:uuid}/close",
        status_code=HTTP_200_OK,
        summary="Close an active contract",
        opt=requires(WRITE),
    )
    async def close(self, contract_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> ContractOut:
        return await contract_out(uow.db, await service.close_contract(uow.db, contract_id))

    @get(
        "/{contract_id:uuid}/payments",
        summary="The payments received against the contract",
        opt=requires(READ),
    )
    async def list_payments(
        self, contract_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> list[PaymentOut]:
        contract = await service.get_contract(uow.db, contract_id)
        found = await payments.payments_of(uow.db, contract.id)
        return [payment_out(p, contract.currency) for p in found]

    @post(
        "/{contract_id:uuid}/payments",
        status_code=HTTP_201_CREATED,
        summary="Record a payment against one instalment",
        opt=requires(PAY),
    )
    async def pay(
        self,
        contract_id: FromPath[uuid.UUID],
        data: JSONBody[PaymentIn],
        actor: Member,
        uow: Uow,
    ) -> ContractOut:
        await payments.record_payment(uow.db, actor, contract_id, data)
        return await contract_out(uow.db, await service.get_contract(uow.db, contract_id))


def settings_out(found: ContractSettings) -> SettingsOut:
    return SettingsOut(
        round_money(found.approval_threshold, found.approval_currency),
        found.approval_currency,
        found.reminder_days,
    )


class SettingsController(Controller):
    path = "/settings"
    tags = ["contracts"]

    @get("/", summary="When signing needs approval; how early reminders go out", opt=requires(READ))
    async def read(self, actor: Member, uow: Uow) -> SettingsOut:
        return settings_out(await service.settings_of(uow.db, actor.tenant))

    @patch("/", summary="Change the approval threshold or the reminders", opt=requires(SETTINGS))
    async def change(self, data: JSONBody[SettingsPatch], actor: Member, uow: Uow) -> SettingsOut:
        found = await service.settings_of(uow.db, actor.tenant, lock=True)
        currency = found.approval_currency
        if data.approval_currency is not None:
            currency = checked_currency(data.approval_currency, "approval_currency")
        threshold = found.approval_threshold
        if data.approval_threshold is not None:
            threshold = checked_money(data.approval_threshold, currency, "approval_threshold")
        elif threshold != round_money(threshold, currency):
            raise Invalid("approval_threshold", f"has more decimal places than {currency} counts")
        found.approval_currency, found.approval_threshold = currency, threshold
        if data.reminder_days is not None:
            found.reminder_days = data.reminder_days
        await uow.db.flush()
        return settings_out(found)


class RemindersOut(msgspec.Struct):
    #: Instalments whose owners were reminded now (each is reminded once, ever).
    reminded: int


class RemindersController(Controller):
    path = "/reminders"
    tags = ["contracts"]

    @post(
        "/run",
        status_code=HTTP_200_OK,
        summary="Send the due reminders now, as the daily schedule does (after a settings change)",
        opt=requires(SETTINGS),
    )
    async def run(self, actor: Member, uow: Uow) -> RemindersOut:
        return RemindersOut(await reminders.send_reminders(uow.db, actor.tenant, service.today()))


class ReportsController(Controller):
    path = "/reports"
    tags = ["contracts"]

    @get(
        "/due-by-month",
        summary="Open amounts of active contracts by the month they are due, per currency",
        opt=requires(READ),
    )
    async def due_by_month(
        self, actor: Member, uow: Uow, start: FromQuery = None, end: ToQuery = None
    ) -> DueByMonthOut:
        return await reports.due_by_month(uow.db, start, end)
