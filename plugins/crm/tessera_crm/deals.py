"""Deals on pipelines: moved through stages, then won or lost. Mounted under /api/v1/crm/deals."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, get, patch, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
    Conflict,
    Input,
    Invalid,
    LimitQuery,
    Member,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    emit,
    requires,
    submit_for_approval,
)
from tessera_crm.accounts import OwnerFilter, Search
from tessera_crm.approval import (
    RECORD_TYPE,
    needs_approval,
    priced,
    refuse_unapproved,
    void_approval,
)
from tessera_crm.contacts import checked_account
from tessera_crm.deal_lines import (
    MAX_LINES,
    DealLineIn,
    DealLineOut,
    checked_lines,
    lines_of,
    lines_total,
    replace_lines,
)
from tessera_crm.exports import DEALS_EXPORT, EXPORT, ExportFormat, export_response
from tessera_crm.models import Account, Deal, Pipeline, Stage
from tessera_crm.records import Listed, Listing, checked_owner, get_visible, listing
from tessera_crm.settings import crm_settings

READ, WRITE = "crm.deal.read", "crm.deal.write"
SORTING = Sorting(
    {
        "name": Deal.name,
        "amount": Deal.amount,
        "expected_close": Deal.expected_close,
        "created_at": Deal.created_at,
        "updated_at": Deal.updated_at,
    },
    Deal.id,
)
#: Up to a trillion, in cents: what a NUMERIC(18, 2) column holds with room to spare.
MAX_AMOUNT = Decimal("9999999999999999.99")
Currency = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$", description="ISO 4217 code")]
StageFilter = Annotated[uuid.UUID | None, QueryParameter(description="Deals in this stage")]
StatusFilter = Annotated[str | None, QueryParameter(pattern=r"^(open|won|lost)$")]
PipelineFilter = Annotated[uuid.UUID | None, QueryParameter(description="Deals on this pipeline")]
ApprovalFilter = Annotated[
    str | None, QueryParameter(pattern=r"^(none|pending|approved|rejected)$")
]
CloseFrom = Annotated[
    date | None, QueryParameter(description="Expected to close on or after this day (calendar)")
]
CloseTo = Annotated[
    date | None, QueryParameter(description="Expected to close on or before this day (calendar)")
]


class DealIn(Input):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    currency: Currency
    #: Required without lines; with lines it is their total (given, it must equal it).
    amount: Decimal | None = None
    account_id: uuid.UUID | None = None
    #: Default: the tenant's default pipeline.
    pipeline_id: uuid.UUID | None = None
    #: Default: the pipeline's first stage.
    stage_id: uuid.UUID | None = None
    expected_close: date | None = None
    owner_id: uuid.UUID | None = None
    #: Percent off, with up to two decimals; above the tenant's threshold it needs approval.
    discount: Decimal = Decimal(0)
    lines: Annotated[list[DealLineIn], msgspec.Meta(max_length=MAX_LINES)] | None = None


class DealPatch(Input):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    amount: Decimal | None = None
    currency: Currency | None = None
    stage_id: uuid.UUID | None = None
    expected_close: date | None = None
    owner_id: uuid.UUID | None = None
    discount: Decimal | None = None
    #: Replaces every line; ``[]`` removes them (the amount then stays as it was).
    lines: Annotated[list[DealLineIn], msgspec.Meta(max_length=MAX_LINES)] | None = None


class LostIn(Input):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class DealOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    account_id: uuid.UUID | None
    pipeline_id: uuid.UUID
    stage_id: uuid.UUID
    amount: Decimal
    currency: str
    expected_close: date | None
    status: str
    lost_reason: str | None
    closed_at: datetime | None
    owner_id: uuid.UUID | None
    discount: Decimal
    #: none, pending, approved or rejected: the approval of the discount
    approval: str
    created_at: datetime
    updated_at: datetime
    #: The sales order the ERP made of the won deal, if it did.
    sales_order_id: uuid.UUID | None = None
    sales_order_number: str | None = None
    #: The deal's lines: given for one deal, left out (null) of lists.
    lines: list[DealLineOut] | None = None


def deal_listing(
    actor: Member,
    q: Search = None,
    owner: OwnerFilter = None,
    status: StatusFilter = None,
    stage_id: StageFilter = None,
    pipeline_id: PipelineFilter = None,
    approval: ApprovalFilter = None,
    expected_close_from: CloseFrom = None,
    expected_close_to: CloseTo = None,
    sort: SortQuery = None,
) -> Listing:
    """The list's filters, search and sort, read in one place: the list and the export."""
    where = []
    if expected_close_from and expected_close_to and expected_close_to < expected_close_from:
        raise Invalid("expected_close_to", "must not be before expected_close_from")
    if expected_close_from is not None:
        where.append(Deal.expected_close >= expected_close_from)
    if expected_close_to is not None:
        where.append(Deal.expected_close <= expected_close_to)
    if status:
        where.append(Deal.status == status)
    if stage_id is not None:
        where.append(Deal.stage_id == stage_id)
    if pipeline_id is not None:
        where.append(Deal.pipeline_id == pipeline_id)
    if approval:
        where.append(Deal.approval == approval)
    return listing(Deal, actor, READ, SORTING, q=q, owner=owner, sort=sort, where=where)


def deal_out(deal: Deal) -> DealOut:
    return msgspec.convert(deal, DealOut, from_attributes=True)


async def deal_with_lines(uow: Uow, deal: Deal) -> DealOut:
    return msgspec.structs.replace(deal_out(deal), lines=await lines_of(uow.db, deal.id))


def amount_of(amount: Decimal | None, lines: list[DealLineIn] | None) -> Decimal | None:
    """The deal's amount: the lines' total where there are lines, else the amount given."""
    if not lines:
        return None if amount is None else checked_amount(amount)
    total = lines_total(checked_lines(lines))
    if amount is not None and amount != total:
        raise Invalid("amount", f"must equal the lines' total of {total}, or be left out")
    return checked_amount(total)


def checked_amount(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise Invalid("amount", f"must be from 0 to {MAX_AMOUNT}")
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid("amount", "has at most two decimal places")
    return amount


def checked_discount(discount: Decimal) -> Decimal:
    if not discount.is_finite() or not 0 <= discount <= 100:
        raise Invalid("discount", "must be a percentage from 0 to 100")
    if discount != discount.quantize(Decimal("0.01")):
        raise Invalid("discount", "has at most two decimal places")
    return discount


async def get_deal(uow: Uow, actor: Actor, deal_id: uuid.UUID, permission: str) -> Deal:
    return await get_visible(uow, actor, Deal, deal_id, permission)


async def _pipeline(uow: Uow, pipeline_id: uuid.UUID | None) -> Pipeline:
    query = select(Pipeline)
    query = (
        query.where(Pipeline.id == pipeline_id) if pipeline_id else query.where(Pipeline.is_default)
    )
    pipeline = (await uow.db.scalars(query.limit(1))).first()
    if pipeline is None:
        raise Invalid(
            "pipeline_id",
            "no such pipeline" if pipeline_id else "the tenant has no default pipeline",
        )
    return pipeline


async def _stage(uow: Uow, pipeline: Pipeline, stage_id: uuid.UUID | None) -> Stage:
    query = select(Stage).where(Stage.pipeline_id == pipeline.id)
    query = query.where(Stage.id == stage_id) if stage_id else query.order_by(Stage.position)
    stage = (await uow.db.scalars(query.limit(1))).first()
    if stage is None:
        raise Invalid("stage_id", f"no such stage in the pipeline {pipeline.name!r}")
    return stage


def _still_open(deal: Deal) -> None:
    if deal.status != "open":
        raise Conflict(f"The deal is {deal.status} already.")


async def create_deal(uow: Uow, actor: Actor, data: DealIn) -> Deal:
    """A new open deal, in the pipeline and stage named (default: the default pipeline's first)."""
    pipeline = await _pipeline(uow, data.pipeline_id)
    amount = amount_of(data.amount, data.lines)
    if amount is None:
        raise Invalid("amount", "is required for a deal without lines")
    deal = Deal(
        tenant_id=actor.tenant,
        name=data.name.strip(),
        account_id=await checked_account(uow, actor, data.account_id),
        pipeline_id=pipeline.id,
        stage_id=(await _stage(uow, pipeline, data.stage_id)).id,
        amount=amount,
        currency=data.currency,
        expected_close=data.expected_close,
        discount=checked_discount(data.discount),
        status="open",
        owner_id=await checked_owner(uow, actor, data.owner_id),
    )
    uow.db.add(deal)
    await uow.db.flush()
    if data.lines:
        await replace_lines(uow.db, actor.tenant, deal.id, data.lines)
    await uow.db.refresh(deal)
    return deal


class DealsController(Controller):
    path = "/deals"
    tags = ["crm"]
    dependencies = {"listing": Provide(deal_listing, sync_to_thread=False)}

    @get("/", summary="Deals you may see", opt=requires(READ))
    async def list_deals(
        self,
        actor: Member,
        uow: Uow,
        listing: Listed,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: SortedCursorQuery = None,
    ) -> Page[DealOut]:
        page = listing.page(limit, cursor)
        rows = list((await uow.db.execute(page.query)).scalars())
        return page.of(rows, deal_out)

    @get(
        "/export",
        summary="Export the deals you may see, filtered and sorted as the list",
        opt=requires(EXPORT),
    )
    async def export(
        self, actor: Member, uow: Uow, listing: Listed, format: ExportFormat = "csv"
    ) -> Stream:
        actor.require(READ)
        return await export_response(uow, actor, listing, DEALS_EXPORT, format)

    @post("/", status_code=HTTP_201_CREATED, summary="Create a deal", opt=requires(WRITE))
    async def create(self, data: JSONBody[DealIn], actor: Member, uow: Uow) -> DealOut:
        return await deal_with_lines(uow, await create_deal(uow, actor, data))

    @get("/{deal_id:uuid}", summary="One deal", opt=requires(READ))
    async def get_one(self, deal_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> DealOut:
        return await deal_with_lines(uow, await get_deal(uow, actor, deal_id, READ))

    @patch(
        "/{deal_id:uuid}", summary="Change a deal or move it to another stage", opt=requires(WRITE)
    )
    async def change(
        self, deal_id: FromPath[uuid.UUID], data: JSONBody[DealPatch], actor: Member, uow: Uow
    ) -> DealOut:
        deal = await get_deal(uow, actor, deal_id, WRITE)
        _still_open(deal)
        before = priced(deal)
        if data.name is not None:
            deal.name = data.name.strip()
        if (amount := amount_of(data.amount, data.lines)) is not None:
            deal.amount = amount
        if data.lines is not None:
            await replace_lines(uow.db, actor.tenant, deal.id, checked_lines(data.lines))
        if data.currency is not None:
            deal.currency = data.currency
        if data.discount is not None:
            deal.discount = checked_discount(data.discount)
        # While an approval is pending the platform refuses these changes (409) at the flush.
        void_approval(deal, before)
        if data.expected_close is not None:
            deal.expected_close = data.expected_close
        if data.stage_id is not None:
            pipeline = await _pipeline(uow, deal.pipeline_id)
            deal.stage_id = (await _stage(uow, pipeline, data.stage_id)).id
        if data.owner_id is not None:
            deal.owner_id = await checked_owner(uow, actor, data.owner_id)
        await uow.db.flush()
        await uow.db.refresh(deal)
        return await deal_with_lines(uow, deal)

    @post(
        "/{deal_id:uuid}/won",
        status_code=HTTP_200_OK,
        summary="Mark the deal won",
        opt=requires(WRITE),
    )
    async def won(self, deal_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> DealOut:
        deal = await get_deal(uow, actor, deal_id, WRITE)
        _still_open(deal)
        refuse_unapproved(deal, await crm_settings(uow.db))
        deal.status, deal.closed_at = "won", datetime.now(UTC)
        await uow.db.flush()
        await uow.db.refresh(deal)
        won = await deal_with_lines(uow, deal)
        await emit(uow.db, actor.tenant, "crm.deal.won", await _won_facts(uow, deal, won))
        return won

    @post(
        "/{deal_id:uuid}/lost",
        status_code=HTTP_200_OK,
        summary="Mark the deal lost, with why",
        opt=requires(WRITE),
    )
    async def lost(
        self, deal_id: FromPath[uuid.UUID], data: JSONBody[LostIn], actor: Member, uow: Uow
    ) -> DealOut:
        deal = await get_deal(uow, actor, deal_id, WRITE)
        _still_open(deal)
        deal.status, deal.closed_at, deal.lost_reason = "lost", datetime.now(UTC), data.reason
        await uow.db.flush()
        await uow.db.refresh(deal)
        await emit(uow.db, actor.tenant, "crm.deal.lost", {**_facts(deal), "reason": data.reason})
        return deal_out(deal)

    @post(
        "/{deal_id:uuid}/submit-for-approval",
        status_code=HTTP_200_OK,
        summary="Ask for approval of the deal's discount (the tenant's active deal workflow)",
        opt=requires(WRITE),
    )
    async def ask_for_approval(
        self, deal_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> DealOut:
        deal = await get_deal(uow, actor, deal_id, WRITE)
        _still_open(deal)
        settings = await crm_settings(uow.db)
        if not needs_approval(deal, settings):
            raise Conflict(
                f"The deal's discount of {deal.discount}% is within the approval threshold of "
                f"{Decimal(settings.discount_threshold):.2f}%: it needs no approval."
            )
        if deal.approval == "approved":
            raise Conflict("The deal's discount is approved already.")
        approval = await submit_for_approval(uow.db, actor, RECORD_TYPE, deal.id)
        # Approved at once when no step applies; else pending until the engine's outcome event.
        deal.approval, deal.approval_id = approval.status, approval.id
        await uow.db.flush()
        await uow.db.refresh(deal)
        return deal_out(deal)


async def _won_facts(uow: Uow, deal: Deal, won: DealOut) -> dict[str, object]:
    """A won deal as the ERP makes a sales order of it: the account by name, and the lines."""
    account = (
        None
        if deal.account_id is None
        else await uow.db.get(Account, (deal.tenant_id, deal.account_id))
    )
    return {
        **_facts(deal),
        "account_name": account.name if account is not None else None,
        "lines": [
            {
                "sku": line.sku,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "discount": line.discount,
            }
            for line in won.lines or ()
        ],
    }


def _facts(deal: Deal) -> dict[str, object]:
    """What other modules need to act on a closed deal (ERP makes a sales order of a won one)."""
    return {
        "deal_id": deal.id,
        "name": deal.name,
        "account_id": deal.account_id,
        "amount": deal.amount,
        "currency": deal.currency,
        "discount": deal.discount,
        "owner_id": deal.owner_id,
    }
