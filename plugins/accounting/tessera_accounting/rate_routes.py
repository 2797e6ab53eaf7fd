"""Exchange rates under /api/v1/accounting/rates."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select

from tessera.plugin import (
    DEFAULT_LIMIT,
    CursorQuery,
    Input,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    Uow,
    decode_cursor,
    page_of,
    requires,
)
from tessera_accounting.books import company_currency
from tessera_accounting.models import MANAGE, READ, CurrencyRate
from tessera_accounting.rates import (
    Rate,
    checked_pair,
    checked_rate,
    import_refusal,
    parse_csv,
    save_rates,
)

CurrencyFilter = Annotated[str | None, QueryParameter(max_length=3, description="ISO 4217 code")]


class RateIn(Input):
    currency: str
    date: date
    #: Exact decimal text: the company-currency value of one unit of ``currency``.
    rate: str | int | float


class RatesImport(Input):
    #: CSV text whose first line names the columns currency, date and rate.
    content: Annotated[str, msgspec.Meta(max_length=2_000_000)]


class RateOut(msgspec.Struct):
    id: uuid.UUID
    currency: str
    date: date
    rate: Decimal


class ImportOut(msgspec.Struct):
    imported: int


def rate_out(rate: CurrencyRate) -> RateOut:
    return RateOut(rate.id, rate.currency, rate.date, rate.rate)


class RatesController(Controller):
    path = "/rates"
    tags = ["accounting"]

    @get("/", summary="Exchange rates, newest first", opt=requires(READ))
    async def list_rates(
        self,
        actor: Member,
        uow: Uow,
        currency: CurrencyFilter = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[RateOut]:
        query = select(CurrencyRate).order_by(
            CurrencyRate.date.desc(), CurrencyRate.currency, CurrencyRate.id
        )
        if currency:
            query = query.where(CurrencyRate.currency == currency.upper())
        after = decode_cursor(cursor)
        rows = list((await uow.db.scalars(query)).all())
        if after is not None:
            index = next((i for i, r in enumerate(rows) if r.id == after), len(rows))
            rows = rows[index + 1 :]
        return page_of(rows[: limit + 1], limit, lambda r: r.id, rate_out)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Enter a rate (replacing the one of the same currency and date)",
        opt=requires(MANAGE),
    )
    async def create(self, data: JSONBody[RateIn], actor: Member, uow: Uow) -> RateOut:
        company = await company_currency(uow.db, actor.tenant)
        rate = Rate(checked_pair(data.currency, company), data.date, checked_rate(data.rate))
        await save_rates(uow.db, actor.tenant, [rate])
        saved = await uow.db.scalar(
            select(CurrencyRate)
            .where(CurrencyRate.currency == rate.currency, CurrencyRate.date == rate.date)
            .execution_options(populate_existing=True)
        )
        if saved is None:  # just written in this transaction
            raise NotFound("The rate was not saved.")
        return rate_out(saved)

    @post(
        "/import",
        status_code=HTTP_200_OK,
        summary="Import rates from CSV (currency,date,rate): all of them, or none and every "
        "wrong line named",
        opt=requires(MANAGE),
    )
    async def import_rates(self, data: JSONBody[RatesImport], actor: Member, uow: Uow) -> ImportOut:
        rates, errors = parse_csv(data.content, await company_currency(uow.db, actor.tenant))
        if errors:
            raise import_refusal(errors)
        if not rates:
            raise Invalid("content", "holds no rates")
        await save_rates(uow.db, actor.tenant, rates)
        return ImportOut(imported=len(rates))

    @delete(
        "/{rate_id:uuid}", status_code=HTTP_200_OK, summary="Delete a rate", opt=requires(MANAGE)
    )
    async def remove(self, rate_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        rate = await uow.db.get(CurrencyRate, (actor.tenant, rate_id))
        if rate is None:
            raise NotFound("No such exchange rate.")
        await uow.db.delete(rate)
        await uow.db.flush()
