"""An order's lines as both sides enter them: product, description, quantity, unit price,
discount and tax code, checked against inventory's products and priced per currency.

A line's amount is ``quantity * unit price * (1 - discount %)`` rounded to the currency's
minor unit; its tax comes from the tax's rate, on top (exclusive) or included in the amount
(inclusive), also rounded per line, as invoices round them. An order's totals are the sums of
its lines'.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Input, Invalid, round_money
from tessera_sales_purchase import providers
from tessera_sales_purchase.amounts import Number, percent_of, price_of, quantity_of

MAX_LINES = 200
Description = Annotated[str, msgspec.Meta(max_length=500)]
TaxCode = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
#: Products whose quantities inventory moves; services are done once the order is confirmed.
GOODS = ("stockable", "consumable")


class LineIn(Input):
    #: An inventory product of the tenant's.
    product_id: uuid.UUID
    quantity: Number
    #: The product's own name when left out.
    description: Description | None = None
    #: The product's sale (or purchase) price when left out.
    unit_price: Number | None = None
    discount: Number = 0
    #: A tax code of accounting's; left out: the product's default; null: no tax.
    tax: TaxCode | msgspec.UnsetType | None = msgspec.UNSET


class PartnerIn(Input):
    """The customer or vendor: an accounting partner by id, or found (by CRM account) or made
    by accounting from the name."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    id: uuid.UUID | None = None
    crm_account_id: Annotated[str, msgspec.Meta(max_length=100)] | None = None


@dataclass(frozen=True, slots=True)
class Priced:
    """One checked line, priced."""

    product_id: uuid.UUID
    product_type: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_code: str | None
    untaxed: Decimal
    tax: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    untaxed: Decimal
    tax: Decimal
    total: Decimal


def totals_of(lines: Sequence[Any], currency: str) -> Totals:
    untaxed = sum((Decimal(line.untaxed) for line in lines), Decimal(0))
    tax = sum((Decimal(line.tax) for line in lines), Decimal(0))
    return Totals(
        round_money(untaxed, currency),
        round_money(tax, currency),
        round_money(untaxed + tax, currency),
    )


def price_line(
    amount: Decimal, rate: Mapping[str, Any] | None, currency: str
) -> tuple[Decimal, Decimal]:
    """(untaxed, tax) of a line whose discounted amount is ``amount``."""
    base = round_money(amount, currency)
    if rate is None:
        return base, Decimal(0)
    percent = Decimal(str(rate["rate"]))
    if rate.get("inclusive"):
        untaxed = round_money(base * 100 / (100 + percent), currency)
        return untaxed, base - untaxed
    return base, round_money(base * percent / 100, currency)


async def partner_id_of(
    db: AsyncSession, tenant_id: uuid.UUID, partner: PartnerIn, kind: str
) -> uuid.UUID:
    """Accounting's partner for ``partner``; 422 when an id names none of the tenant's."""
    found = await providers.invoicing().ensure_partner(
        db,
        tenant_id,
        {
            "id": partner.id,
            "name": " ".join(partner.name.split()),
            "kind": kind,
            "crm_account_id": partner.crm_account_id,
        },
    )
    if partner.id is not None and found != partner.id:
        raise Invalid("partner.id", "no such partner")
    return found


async def _rates(
    db: AsyncSession, tenant_id: uuid.UUID, codes: dict[str, str], kind: str
) -> dict[str, Mapping[str, Any]]:
    """Rates of the codes (code -> the field that named it first); 422 for an unknown one."""
    if not codes:
        return {}
    first_field = next(iter(codes.values()))
    found = await providers.taxes(first_field).rates(db, tenant_id, list(codes), kind)
    for code, field in codes.items():
        if code not in found:
            raise Invalid(field, f"no {kind} tax with the code {code!r}")
    return dict(found)


async def checked_lines(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    lines: Sequence[LineIn],
    currency: str,
    *,
    side: str,
) -> list[Priced]:
    """The lines checked and priced; ``side`` is "sale" or "purchase" (which price and tax
    defaults apply). 422 naming ``lines[i].<field>`` for what is wrong."""
    if not lines:
        return []
    if len(lines) > MAX_LINES:
        raise Invalid("lines", f"at most {MAX_LINES} lines")
    products = await providers.stock().products(
        db, tenant_id, list(dict.fromkeys(line.product_id for line in lines))
    )
    # A product's default tax applies where accounting offers rates; a code the request
    # names needs them (422 otherwise).
    defaults_apply = providers.offers_taxes()
    wanted: dict[str, str] = {}
    codes: list[str | None] = []
    for index, line in enumerate(lines):
        product = products.get(line.product_id)
        if product is None:
            raise Invalid(f"lines[{index}].product_id", "no such product")
        if product.get("active") is False:
            raise Invalid(f"lines[{index}].product_id", "the product is archived")
        if isinstance(line.tax, msgspec.UnsetType):
            code = product.get(f"tax_{side}") if defaults_apply else None
        else:
            code = line.tax
        codes.append(code or None)
        if code:
            wanted.setdefault(code, f"lines[{index}].tax")
    rates = await _rates(db, tenant_id, wanted, side)
    return [
        _priced(line, products[line.product_id], codes[index], rates, currency, side, index)
        for index, line in enumerate(lines)
    ]


def _priced(
    line: LineIn,
    product: Mapping[str, Any],
    code: str | None,
    rates: Mapping[str, Mapping[str, Any]],
    currency: str,
    side: str,
    index: int,
) -> Priced:
    at = f"lines[{index}]."
    quantity = quantity_of(line.quantity, f"{at}quantity")
    if line.unit_price is not None:
        unit_price = price_of(line.unit_price, f"{at}unit_price")
    else:
        default = product.get(f"{side}_price")
        if default is None:
            raise Invalid(f"{at}unit_price", "the product has no price: give one")
        unit_price = Decimal(str(default))
    discount = percent_of(line.discount, f"{at}discount")
    amount = quantity * unit_price * (100 - discount) / 100
    untaxed, tax = price_line(amount, rates.get(code) if code else None, currency)
    description = " ".join((line.description or "").split()) or str(product.get("name") or "")
    return Priced(
        product_id=line.product_id,
        product_type=str(product.get("type") or "stockable"),
        description=description[:500],
        quantity=quantity,
        unit_price=unit_price,
        discount=discount,
        tax_code=code,
        untaxed=untaxed,
        tax=tax,
    )
