"""Taxes under /api/v1/accounting/taxes, and the computation invoices use
(``POST /taxes/compute``)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Conflict,
    CursorQuery,
    Input,
    Invalid,
    Language,
    LimitQuery,
    Member,
    NotFound,
    Page,
    Uow,
    checked_currency,
    checked_money,
    decode_cursor,
    page_of,
    requires,
)
from tessera_accounting.chart_routes import in_language
from tessera_accounting.models import MANAGE, READ, TAX_KINDS, Account, Tax
from tessera_accounting.taxes import TaxRate, tax_lines

TaxCode = Annotated[
    str, msgspec.Meta(min_length=1, max_length=30, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
]
TaxName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
#: Percent as exact decimal text ("13" is 13 %).
Percent = str | int | float
MAX_RATE = Decimal("999.9999")
KindFilter = Annotated[str | None, QueryParameter(description="sale or purchase")]


class TaxIn(Input):
    code: TaxCode
    name_en: TaxName
    kind: str
    rate: Percent
    account_id: uuid.UUID
    name_zh: TaxName | None = None
    inclusive: bool = False
    active: bool = True


class TaxPatch(Input):
    name_en: TaxName | None = None
    name_zh: TaxName | msgspec.UnsetType | None = msgspec.UNSET
    rate: Percent | None = None
    inclusive: bool | None = None
    account_id: uuid.UUID | None = None
    active: bool | None = None


class TaxOut(msgspec.Struct):
    id: uuid.UUID
    code: str
    name: str
    name_en: str
    name_zh: str | None
    kind: str
    rate: Decimal
    inclusive: bool
    account_id: uuid.UUID
    active: bool


class ComputeIn(Input):
    amount: str | int | float
    currency: str
    #: Tax codes; their rates apply to the same untaxed amount.
    taxes: list[str]
    #: Whether ``amount`` already includes the taxes (else each tax's own setting, which must
    #: then agree).
    inclusive: bool | None = None


class TaxLineOut(msgspec.Struct):
    code: str
    account_id: uuid.UUID | None
    base: Decimal
    amount: Decimal


class ComputeOut(msgspec.Struct):
    untaxed: Decimal
    tax: Decimal
    total: Decimal
    taxes: list[TaxLineOut]


def tax_out(tax: Tax, locale: str) -> TaxOut:
    return TaxOut(
        id=tax.id,
        code=tax.code,
        name=in_language(tax.name, tax.name_zh, locale),
        name_en=tax.name,
        name_zh=tax.name_zh,
        kind=tax.kind,
        rate=Decimal(tax.rate).quantize(Decimal("0.0001")),
        inclusive=tax.inclusive,
        account_id=tax.account_id,
        active=tax.active,
    )


def checked_percent(value: object, field: str = "rate") -> Decimal:
    if isinstance(value, (bool, float)):
        raise Invalid(field, 'must be an exact decimal (text such as "13"), not a float')
    try:
        rate = Decimal(str(value).strip())
    except ArithmeticError:
        raise Invalid(field, f"{value!r} is not a number") from None
    if not rate.is_finite() or rate < 0 or rate > MAX_RATE:
        raise Invalid(field, f"must be a percentage from 0 to {MAX_RATE}")
    if rate != rate.quantize(Decimal("0.0001")):
        raise Invalid(field, "has at most 4 decimal places")
    return rate


async def _account(db: AsyncSession, tenant_id: uuid.UUID, account_id: uuid.UUID) -> Account:
    account = await db.get(Account, (tenant_id, account_id))
    if account is None:
        raise Invalid("account_id", "is not an account of this company")
    return account


async def get_tax(db: AsyncSession, tenant_id: uuid.UUID, tax_id: uuid.UUID) -> Tax:
    tax = await db.get(Tax, (tenant_id, tax_id))
    if tax is None:
        raise NotFound("No such tax.")
    return tax


async def taxes_by_code(db: AsyncSession, codes: list[str], field: str = "taxes") -> list[Tax]:
    found = {t.code: t for t in (await db.scalars(select(Tax).where(Tax.code.in_(codes)))).all()}
    for index, code in enumerate(codes):
        if code not in found:
            raise Invalid(f"{field}[{index}]", f"no tax has the code {code!r}")
    return [found[code] for code in codes]


class TaxesController(Controller):
    path = "/taxes"
    tags = ["accounting"]

    @get("/", summary="Taxes, by code", opt=requires(READ))
    async def list_taxes(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        kind: KindFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[TaxOut]:
        query = select(Tax).order_by(Tax.code).limit(limit + 1)
        after = decode_cursor(cursor)
        if after is not None:
            code = select(Tax.code).where(Tax.id == after).scalar_subquery()
            query = query.where(Tax.code > code)
        if kind is not None:
            query = query.where(Tax.kind == kind)
        rows = list((await uow.db.scalars(query)).all())
        return page_of(rows, limit, lambda t: t.id, lambda t: tax_out(t, texts.locale))

    @post("/", status_code=HTTP_201_CREATED, summary="Add a tax", opt=requires(MANAGE))
    async def create(
        self, data: JSONBody[TaxIn], actor: Member, uow: Uow, texts: Language
    ) -> TaxOut:
        if data.kind not in TAX_KINDS:
            raise Invalid("kind", f"is one of {', '.join(TAX_KINDS)}")
        account = await _account(uow.db, actor.tenant, data.account_id)
        if await uow.db.scalar(select(Tax.id).where(Tax.code == data.code)) is not None:
            raise Conflict(f"A tax already has the code {data.code!r}.")
        tax = Tax(
            tenant_id=actor.tenant,
            code=data.code,
            name=data.name_en.strip(),
            name_zh=data.name_zh.strip() if data.name_zh else None,
            kind=data.kind,
            rate=checked_percent(data.rate),
            inclusive=data.inclusive,
            account_id=account.id,
            active=data.active,
        )
        uow.db.add(tax)
        await uow.db.flush()
        return tax_out(tax, texts.locale)

    @get("/{tax_id:uuid}", summary="One tax", opt=requires(READ))
    async def get_one(
        self, tax_id: FromPath[uuid.UUID], actor: Member, uow: Uow, texts: Language
    ) -> TaxOut:
        return tax_out(await get_tax(uow.db, actor.tenant, tax_id), texts.locale)

    @patch(
        "/{tax_id:uuid}",
        summary="Change a tax (posted entries keep their amounts)",
        opt=requires(MANAGE),
    )
    async def change(
        self,
        tax_id: FromPath[uuid.UUID],
        data: JSONBody[TaxPatch],
        actor: Member,
        uow: Uow,
        texts: Language,
    ) -> TaxOut:
        tax = await get_tax(uow.db, actor.tenant, tax_id)
        if data.name_en is not None:
            tax.name = data.name_en.strip()
        if data.name_zh is not msgspec.UNSET:
            tax.name_zh = data.name_zh.strip() if data.name_zh else None
        if data.rate is not None:
            tax.rate = checked_percent(data.rate)
        if data.inclusive is not None:
            tax.inclusive = data.inclusive
        if data.account_id is not None:
            tax.account_id = (await _account(uow.db, actor.tenant, data.account_id)).id
        if data.active is not None:
            tax.active = data.active
        await uow.db.flush()
        return tax_out(tax, texts.locale)

    @post(
        "/compute",
        status_code=HTTP_200_OK,
        summary="The untaxed amount, each tax and the total of an amount",
        opt=requires(READ),
    )
    async def compute(self, data: JSONBody[ComputeIn], actor: Member, uow: Uow) -> ComputeOut:
        currency = checked_currency(data.currency, "currency")
        amount = checked_money(data.amount, currency, "amount", allow_negative=True)
        taxes = await taxes_by_code(uow.db, data.taxes)
        inclusive = data.inclusive
        if inclusive is None:
            kinds = {t.inclusive for t in taxes}
            if len(kinds) > 1:
                raise Invalid(
                    "inclusive", "the taxes disagree: say whether the amount includes them"
                )
            inclusive = kinds.pop() if kinds else False
        result = tax_lines(
            amount,
            [TaxRate(t.code, Decimal(t.rate), t.account_id) for t in taxes],
            inclusive,
            currency,
        )
        return ComputeOut(
            untaxed=result.untaxed,
            tax=result.tax,
            total=result.total,
            taxes=[TaxLineOut(x.code, x.account_id, x.base, x.amount) for x in result.taxes],
        )
