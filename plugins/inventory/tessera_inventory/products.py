"""Products: what is bought, stocked and sold.

Mounted under /api/v1/inventory/products. The SKU is unique in a tenant, and so is the barcode
when there is one. A product counts its stock in one unit (``uom_id``) and may be bought and
sold in others of the same category. ``cost`` is the moving average the stock moves keep: it
is read here, never written.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import msgspec
from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Conflict,
    Input,
    Invalid,
    LimitQuery,
    Member,
    NotFound,
    Page,
    SortedCursorQuery,
    Sorting,
    SortQuery,
    Uow,
    requires,
    uuid7,
)
from tessera_inventory.models import (
    PRODUCT_READ,
    PRODUCT_TYPES,
    PRODUCT_WRITE,
    Location,
    Move,
    Product,
    ProductCategory,
    Quant,
)
from tessera_inventory.units import get_uom

SORTING = Sorting(
    {"sku": Product.sku, "name": Product.name, "created_at": Product.created_at},
    Product.id,
    default="sku",
)
Sku = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
ProductName = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Barcode = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
TaxCode = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
ProductType = Annotated[str, msgspec.Meta(description="stockable, consumable or service")]
PriceIn = Annotated[str | int, msgspec.Meta(description='An exact amount as text ("9.90")')]
Search = Annotated[
    str | None, QueryParameter(max_length=120, description="Part of SKU, name or barcode")
]
MAX_PRICE = Decimal("9999999999999999")
PRICE_PLACES = 4


class ProductIn(Input):
    sku: Sku
    name: ProductName
    uom_id: uuid.UUID
    type: ProductType = "stockable"
    barcode: Barcode | None = None
    category_id: uuid.UUID | None = None
    purchase_uom_id: uuid.UUID | None = None
    sale_uom_id: uuid.UUID | None = None
    sale_price: PriceIn = "0"
    purchase_price: PriceIn = "0"
    tax_sale: TaxCode | None = None
    tax_purchase: TaxCode | None = None
    active: bool = True


class ProductPatch(Input):
    sku: Sku | None = None
    name: ProductName | None = None
    uom_id: uuid.UUID | None = None
    type: ProductType | None = None
    barcode: Barcode | msgspec.UnsetType | None = msgspec.UNSET
    category_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET
    purchase_uom_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET
    sale_uom_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET
    sale_price: PriceIn | None = None
    purchase_price: PriceIn | None = None
    tax_sale: TaxCode | msgspec.UnsetType | None = msgspec.UNSET
    tax_purchase: TaxCode | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | None = None


class ProductOut(msgspec.Struct):
    id: uuid.UUID
    sku: str
    name: str
    barcode: str | None
    category_id: uuid.UUID | None
    type: str
    uom_id: uuid.UUID
    purchase_uom_id: uuid.UUID | None
    sale_uom_id: uuid.UUID | None
    cost: Decimal
    sale_price: Decimal
    purchase_price: Decimal
    tax_sale: str | None
    tax_purchase: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


class ProductDetail(ProductOut):
    #: In the stock unit, over the internal locations.
    on_hand: Decimal
    reserved: Decimal


def product_out(product: Product) -> ProductOut:
    return msgspec.convert(product, ProductOut, from_attributes=True)


def checked_price(value: object, field: str) -> Decimal:
    """A price: exact, not negative, at most four decimals (a unit price may be finer than
    the currency's cent; totals are rounded to it)."""
    if isinstance(value, bool | float):
        raise Invalid(field, 'must be an exact decimal (text such as "9.90"), not a float')
    try:
        price = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid(field, f"{value!r} is not a number") from None
    if not price.is_finite() or price < 0 or price > MAX_PRICE:
        raise Invalid(field, f"must be between 0 and {MAX_PRICE}")
    if price != price.quantize(Decimal(1).scaleb(-PRICE_PLACES)):
        raise Invalid(field, f"has at most {PRICE_PLACES} decimal places")
    return price


async def get_product(db: AsyncSession, tenant_id: uuid.UUID, product_id: uuid.UUID) -> Product:
    product = await db.get(Product, (tenant_id, product_id))
    if product is None:
        raise NotFound("No such product.")
    return product


async def _check(db: AsyncSession, tenant_id: uuid.UUID, product: Product) -> None:
    """The product's references and rules fit together; 422 naming the field."""
    if product.type not in PRODUCT_TYPES:
        raise Invalid("type", f"is one of {', '.join(PRODUCT_TYPES)}")
    stock_uom = await get_uom(db, tenant_id, product.uom_id, "uom_id")
    for field in ("purchase_uom_id", "sale_uom_id"):
        unit_id = getattr(product, field)
        if unit_id is not None:
            unit = await get_uom(db, tenant_id, unit_id, field)
            if unit.category_id != stock_uom.category_id:
                raise Invalid(
                    field, f"{unit.name} does not convert to the stock unit {stock_uom.name}"
                )
    category_id = product.category_id
    if category_id is not None and await db.get(ProductCategory, (tenant_id, category_id)) is None:
        raise Invalid("category_id", "is not a known product category")
    product.sku = product.sku.strip()
    product.name = " ".join(product.name.split())
    if not product.sku or not product.name:
        raise Invalid("sku" if not product.sku else "name", "must not be blank")
    if product.barcode is not None:
        product.barcode = product.barcode.strip() or None


async def _refuse_taken(db: AsyncSession, product: Product) -> None:
    others = select(Product.sku, Product.barcode).where(Product.id != product.id)
    clash = Product.sku == product.sku
    if product.barcode is not None:
        clash = or_(clash, Product.barcode == product.barcode)
    for sku, barcode in await db.execute(others.where(clash)):
        if sku == product.sku:
            raise Conflict(f"Another product has the SKU {sku!r}.")
        raise Conflict(f"Another product has the barcode {barcode!r}.")


async def _refuse_stock_changes(
    db: AsyncSession, product: Product, changes: dict[str, Any]
) -> None:
    """A product that has moved keeps its stock unit; one with stock stays stockable."""
    if "uom_id" in changes and changes["uom_id"] != product.uom_id:
        moved = await db.scalar(select(Move.id).where(Move.product_id == product.id).limit(1))
        if moved is not None:
            raise Conflict("The product has stock moves: its stock unit can no longer change.")
    if changes.get("type", product.type) != "stockable" and product.type == "stockable":
        held = await db.scalar(
            select(func.count())
            .select_from(Quant)
            .where(Quant.product_id == product.id, Quant.quantity != 0)
        )
        if held:
            raise Conflict(
                "The product has stock on hand: it stays stockable until that is moved out."
            )


async def stock_of(db: AsyncSession, product_id: uuid.UUID) -> tuple[Decimal, Decimal]:
    """On hand and reserved over the internal locations."""
    query = (
        select(
            func.coalesce(func.sum(Quant.quantity), 0), func.coalesce(func.sum(Quant.reserved), 0)
        )
        .join(
            Location, (Location.tenant_id == Quant.tenant_id) & (Location.id == Quant.location_id)
        )
        .where(Quant.product_id == product_id, Location.kind == "internal")
    )
    on_hand, reserved = (await db.execute(query)).one()
    return Decimal(on_hand), Decimal(reserved)


async def detail(db: AsyncSession, product: Product) -> ProductDetail:
    on_hand, reserved = await stock_of(db, product.id)
    base = msgspec.structs.asdict(product_out(product))
    return ProductDetail(**base, on_hand=on_hand, reserved=reserved)


def _changes(data: ProductPatch) -> dict[str, Any]:
    given = {name: getattr(data, name) for name in data.__struct_fields__}
    return {
        k: v
        for k, v in given.items()
        if v is not msgspec.UNSET and not (v is None and k in _REQUIRED)
    }


_REQUIRED = {"sku", "name", "uom_id", "type", "sale_price", "purchase_price", "active"}


class ProductsController(Controller):
    path = "/products"
    tags = ["inventory"]

    @get("/", summary="Products", opt=requires(PRODUCT_READ))
    async def list_products(
        self,
        actor: Member,
        uow: Uow,
        q: Search = None,
        type: Annotated[
            str | None, QueryParameter(description="stockable, consumable or service")
        ] = None,
        category_id: uuid.UUID | None = None,
        active: bool | None = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[ProductOut]:
        page = SORTING.page(select(Product), sort, cursor, limit)
        query = page.query
        if q:
            query = query.where(
                Product.sku.icontains(q, autoescape=True)
                | Product.name.icontains(q, autoescape=True)
                | Product.barcode.icontains(q, autoescape=True)
            )
        if type is not None:
            if type not in PRODUCT_TYPES:
                raise Invalid("type", f"is one of {', '.join(PRODUCT_TYPES)}")
            query = query.where(Product.type == type)
        if category_id is not None:
            query = query.where(Product.category_id == category_id)
        if active is not None:
            query = query.where(Product.active.is_(active))
        return page.of(list((await uow.db.scalars(query)).all()), product_out)

    @post("/", status_code=HTTP_201_CREATED, summary="Add a product", opt=requires(PRODUCT_WRITE))
    async def create(self, data: JSONBody[ProductIn], actor: Member, uow: Uow) -> ProductDetail:
        product = Product(
            tenant_id=actor.tenant,
            id=uuid7(),
            sku=data.sku,
            name=data.name,
            barcode=data.barcode,
            category_id=data.category_id,
            type=data.type,
            uom_id=data.uom_id,
            purchase_uom_id=data.purchase_uom_id,
            sale_uom_id=data.sale_uom_id,
            cost=Decimal(0),
            sale_price=checked_price(data.sale_price, "sale_price"),
            purchase_price=checked_price(data.purchase_price, "purchase_price"),
            tax_sale=data.tax_sale,
            tax_purchase=data.tax_purchase,
            active=data.active,
        )
        await _check(uow.db, actor.tenant, product)
        await _refuse_taken(uow.db, product)
        uow.db.add(product)
        await uow.db.flush()
        return await detail(uow.db, product)

    @get("/{product_id:uuid}", summary="One product, with its stock", opt=requires(PRODUCT_READ))
    async def get_one(
        self, product_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> ProductDetail:
        return await detail(uow.db, await get_product(uow.db, actor.tenant, product_id))

    @patch("/{product_id:uuid}", summary="Change a product", opt=requires(PRODUCT_WRITE))
    async def change(
        self, product_id: FromPath[uuid.UUID], data: JSONBody[ProductPatch], actor: Member, uow: Uow
    ) -> ProductDetail:
        product = await get_product(uow.db, actor.tenant, product_id)
        changes = _changes(data)
        for field in ("sale_price", "purchase_price"):
            if field in changes:
                changes[field] = checked_price(changes[field], field)
        await _refuse_stock_changes(uow.db, product, changes)
        for field, value in changes.items():
            setattr(product, field, value)
        await _check(uow.db, actor.tenant, product)
        await _refuse_taken(uow.db, product)
        await uow.db.flush()
        await uow.db.refresh(product)
        return await detail(uow.db, product)
