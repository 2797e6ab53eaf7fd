"""Price lists: a currency, and rules per product — a fixed price, or a percentage off the
product's sale price — from a minimum quantity on, between two dates.

Mounted under /api/v1/inventory. The price of a product on a list for a quantity on a date is
the rule with the highest minimum quantity not above it that is valid on the date (the newest
such rule on a tie); with no rule, the product's sale price if the list is in the company's
currency. Percentages off exist only on lists in the company's currency, since the sale
price is stated in it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    Conflict,
    Input,
    Invalid,
    Member,
    NotFound,
    Uow,
    checked_currency,
    checked_money,
    requires,
    round_money,
)
from tessera_inventory.models import (
    PRODUCT_READ,
    PRODUCT_WRITE,
    RULE_KINDS,
    PriceList,
    PriceRule,
    Product,
)
from tessera_inventory.pickings import today
from tessera_inventory.products import get_product
from tessera_inventory.units import QuantityIn, checked_quantity
from tessera_inventory.valuation import ledger

ListName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
HUNDRED = Decimal(100)


class PriceListIn(Input):
    name: ListName
    currency: Annotated[str, msgspec.Meta(min_length=3, max_length=3)]
    active: bool = True


class PriceListOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    currency: str
    active: bool


class RuleIn(Input):
    product_id: uuid.UUID
    kind: Annotated[str, msgspec.Meta(description="fixed or discount")]
    #: fixed: the unit price in the list's currency.
    price: Annotated[str | int, msgspec.Meta(description='Exact amount ("9.90")')] | None = None
    #: discount: percent off the product's sale price, more than 0 and at most 100.
    discount: QuantityIn | None = None
    min_quantity: QuantityIn = "0"
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class RuleOut(msgspec.Struct):
    id: uuid.UUID
    price_list_id: uuid.UUID
    product_id: uuid.UUID
    kind: str
    price: Decimal | None
    discount: Decimal | None
    min_quantity: Decimal
    date_from: dt.date | None
    date_to: dt.date | None


class PriceOut(msgspec.Struct):
    product_id: uuid.UUID
    price_list_id: uuid.UUID
    currency: str
    quantity: Decimal
    date: dt.date
    #: Per stock unit, in the list's currency.
    unit_price: Decimal
    total: Decimal
    #: The rule that gave it; null when it is the product's sale price.
    rule_id: uuid.UUID | None


async def get_list(db: AsyncSession, tenant_id: uuid.UUID, list_id: uuid.UUID) -> PriceList:
    price_list = await db.get(PriceList, (tenant_id, list_id))
    if price_list is None:
        raise NotFound("No such price list.")
    return price_list


def _rule(price_list: PriceList, data: RuleIn, company_currency: str) -> PriceRule:
    if data.kind not in RULE_KINDS:
        raise Invalid("kind", f"is one of {', '.join(RULE_KINDS)}")
    price = discount = None
    if data.kind == "fixed":
        if data.price is None or data.discount is not None:
            raise Invalid("price", "a fixed rule has a price and no discount")
        price = checked_money(data.price, price_list.currency, "price")
    else:
        if data.discount is None or data.price is not None:
            raise Invalid("discount", "a discount rule has a discount and no price")
        if price_list.currency != company_currency:
            raise Invalid(
                "discount",
                f"applies to sale prices in {company_currency}; this list is in {price_list.currency}",
            )
        discount = checked_quantity(data.discount, "discount")
        if discount > HUNDRED or discount != round(discount, 4):
            raise Invalid("discount", "is a percentage above 0, at most 100, with 4 decimals")
    if data.date_from and data.date_to and data.date_from > data.date_to:
        raise Invalid("date_to", "must not be before date_from")
    return PriceRule(
        tenant_id=price_list.tenant_id,
        price_list_id=price_list.id,
        product_id=data.product_id,
        kind=data.kind,
        price=price,
        discount=discount,
        min_quantity=checked_quantity(data.min_quantity, "min_quantity", allow_zero=True),
        date_from=data.date_from,
        date_to=data.date_to,
    )


async def price_of(
    db: AsyncSession, price_list: PriceList, product: Product, quantity: Decimal, on: dt.date
) -> PriceOut:
    """The price of ``quantity`` (stock unit) of ``product`` on ``price_list`` on ``on``."""
    rule = await db.scalar(
        select(PriceRule)
        .where(
            PriceRule.price_list_id == price_list.id,
            PriceRule.product_id == product.id,
            PriceRule.min_quantity <= quantity,
            or_(PriceRule.date_from.is_(None), PriceRule.date_from <= on),
            or_(PriceRule.date_to.is_(None), PriceRule.date_to >= on),
        )
        .order_by(PriceRule.min_quantity.desc(), PriceRule.id.desc())
        .limit(1)
    )
    currency = price_list.currency
    if rule is not None and rule.price is not None:
        unit_price = rule.price
    else:
        company = await ledger().company_currency(db, price_list.tenant_id)
        if currency != company:
            raise NotFound(
                f"{product.sku} has no price on {price_list.name} for that quantity and date."
            )
        base = product.sale_price
        unit_price = (
            base
            if rule is None or rule.discount is None
            else base * (HUNDRED - rule.discount) / HUNDRED
        )
        unit_price = round_money(unit_price, currency)
    return PriceOut(
        product_id=product.id,
        price_list_id=price_list.id,
        currency=currency,
        quantity=quantity,
        date=on,
        unit_price=unit_price,
        total=round_money(unit_price * quantity, currency),
        rule_id=None if rule is None else rule.id,
    )


class PriceListsController(Controller):
    path = "/price-lists"
    tags = ["inventory"]

    @get("/", summary="Price lists", opt=requires(PRODUCT_READ))
    async def list_lists(self, actor: Member, uow: Uow) -> list[PriceListOut]:
        rows = await uow.db.scalars(select(PriceList).order_by(PriceList.name))
        return [msgspec.convert(p, PriceListOut, from_attributes=True) for p in rows]

    @post(
        "/", status_code=HTTP_201_CREATED, summary="Add a price list", opt=requires(PRODUCT_WRITE)
    )
    async def create(self, data: JSONBody[PriceListIn], actor: Member, uow: Uow) -> PriceListOut:
        name = " ".join(data.name.split())
        if not name:
            raise Invalid("name", "must not be blank")
        if await uow.db.scalar(select(PriceList.id).where(PriceList.name == name)) is not None:
            raise Conflict(f"A price list is already named {name!r}.")
        price_list = PriceList(
            tenant_id=actor.tenant,
            name=name,
            currency=checked_currency(data.currency, "currency"),
            active=data.active,
        )
        uow.db.add(price_list)
        await uow.db.flush()
        return msgspec.convert(price_list, PriceListOut, from_attributes=True)

    @get("/{list_id:uuid}/rules", summary="A price list's rules", opt=requires(PRODUCT_READ))
    async def list_rules(
        self, list_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> list[RuleOut]:
        await get_list(uow.db, actor.tenant, list_id)
        rows = await uow.db.scalars(
            select(PriceRule)
            .where(PriceRule.price_list_id == list_id)
            .order_by(PriceRule.product_id, PriceRule.min_quantity)
        )
        return [msgspec.convert(r, RuleOut, from_attributes=True) for r in rows]

    @post(
        "/{list_id:uuid}/rules",
        status_code=HTTP_201_CREATED,
        summary="Add a rule to a price list",
        opt=requires(PRODUCT_WRITE),
    )
    async def add_rule(
        self, list_id: FromPath[uuid.UUID], data: JSONBody[RuleIn], actor: Member, uow: Uow
    ) -> RuleOut:
        price_list = await get_list(uow.db, actor.tenant, list_id)
        if await uow.db.get(Product, (actor.tenant, data.product_id)) is None:
            raise Invalid("product_id", "is not a known product")
        company = await ledger().company_currency(uow.db, actor.tenant)
        rule = _rule(price_list, data, company)
        uow.db.add(rule)
        await uow.db.flush()
        return msgspec.convert(rule, RuleOut, from_attributes=True)

    @delete(
        "/{list_id:uuid}/rules/{rule_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Remove a rule",
        opt=requires(PRODUCT_WRITE),
    )
    async def remove_rule(
        self, list_id: FromPath[uuid.UUID], rule_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> None:
        rule = await uow.db.get(PriceRule, (actor.tenant, rule_id))
        if rule is None or rule.price_list_id != list_id:
            raise NotFound("No such rule on this price list.")
        await uow.db.delete(rule)
        await uow.db.flush()

    @get(
        "/{list_id:uuid}/price",
        summary="The price of a product on the list",
        opt=requires(PRODUCT_READ),
    )
    async def price(
        self,
        list_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        product_id: uuid.UUID,
        quantity: Annotated[
            str, QueryParameter(max_length=40, description="In the stock unit")
        ] = "1",
        date: Annotated[dt.date | None, QueryParameter(description="Today when left out")] = None,
    ) -> PriceOut:
        price_list = await get_list(uow.db, actor.tenant, list_id)
        product = await get_product(uow.db, actor.tenant, product_id)
        return await price_of(
            uow.db, price_list, product, checked_quantity(quantity, "quantity"), date or today()
        )
