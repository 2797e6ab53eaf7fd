"""Units of measure and product categories: what products are counted in and filed under.

Mounted under /api/v1/inventory. Units come in categories that convert into one another
(docs/modules/erp.md, "Inventory"); a unit's ``factor`` says how many of its category's
reference unit make one of it. Product categories form a tree, each named by its path.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy import func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Conflict, Input, Invalid, Member, NotFound, Uow, requires
from tessera_inventory.models import (
    PRODUCT_READ,
    PRODUCT_WRITE,
    ProductCategory,
    Uom,
    UomCategory,
)
from tessera_inventory.units import QuantityIn, checked_quantity

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
UnitName = Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
CategoryName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]


class UomCategoryIn(Input):
    name: Name


class UomCategoryOut(msgspec.Struct):
    id: uuid.UUID
    name: str


class UomIn(Input):
    category_id: uuid.UUID
    name: UnitName
    #: How many of the category's reference unit make one of this unit.
    factor: QuantityIn
    #: Quantities in this unit are multiples of it ("1" whole pieces, "0.001" grams of a kg).
    rounding: QuantityIn = "0.01"


class UomOut(msgspec.Struct):
    id: uuid.UUID
    category_id: uuid.UUID
    name: str
    factor: Decimal
    rounding: Decimal
    active: bool


class ProductCategoryIn(Input):
    name: CategoryName
    parent_id: uuid.UUID | None = None


class ProductCategoryPatch(Input):
    name: CategoryName | None = None
    parent_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET


class ProductCategoryOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None
    full_name: str


def clean(name: str, field: str = "name") -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid(field, "must not be blank")
    if "/" in cleaned:
        raise Invalid(field, "must not contain '/', which separates the levels of a path")
    return cleaned


async def _refuse_taken(db: AsyncSession, column: object, value: str, what: str) -> None:
    if await db.scalar(select(column).where(column == value)) is not None:  # type: ignore[call-overload]
        raise Conflict(f"A {what} is already named {value!r}.")


async def _category_path(
    db: AsyncSession, tenant_id: uuid.UUID, name: str, parent_id: uuid.UUID | None
) -> str:
    if parent_id is None:
        return name
    parent = await db.get(ProductCategory, (tenant_id, parent_id))
    if parent is None:
        raise Invalid("parent_id", "is not a known product category")
    return f"{parent.full_name} / {name}"


async def _refuse_cycle(
    db: AsyncSession, tenant_id: uuid.UUID, category_id: uuid.UUID, parent_id: uuid.UUID
) -> None:
    current: uuid.UUID | None = parent_id
    while current is not None:
        if current == category_id:
            raise Invalid("parent_id", "would put the category inside itself")
        node = await db.get(ProductCategory, (tenant_id, current))
        current = None if node is None else node.parent_id


async def _rename_subtree(db: AsyncSession, old: str, new: str) -> None:
    """Children's paths follow their parent's: ``old / …`` becomes ``new / …``."""
    prefix = f"{old} / "
    await db.execute(
        update(ProductCategory)
        .where(ProductCategory.full_name.startswith(prefix, autoescape=True))
        .values(
            full_name=literal(f"{new} / ") + func.substr(ProductCategory.full_name, len(prefix) + 1)
        )
        .execution_options(synchronize_session=False)
    )


class UnitsController(Controller):
    path = "/"
    tags = ["inventory"]

    @get("/uom-categories", summary="Unit categories", opt=requires(PRODUCT_READ))
    async def list_uom_categories(self, actor: Member, uow: Uow) -> list[UomCategoryOut]:
        rows = await uow.db.scalars(select(UomCategory).order_by(UomCategory.name))
        return [UomCategoryOut(id=c.id, name=c.name) for c in rows]

    @post(
        "/uom-categories",
        status_code=HTTP_201_CREATED,
        summary="Add a unit category",
        opt=requires(PRODUCT_WRITE),
    )
    async def create_uom_category(
        self, data: JSONBody[UomCategoryIn], actor: Member, uow: Uow
    ) -> UomCategoryOut:
        name = clean(data.name)
        await _refuse_taken(uow.db, UomCategory.name, name, "unit category")
        category = UomCategory(tenant_id=actor.tenant, name=name)
        uow.db.add(category)
        await uow.db.flush()
        return UomCategoryOut(id=category.id, name=category.name)

    @get("/uoms", summary="Units of measure", opt=requires(PRODUCT_READ))
    async def list_uoms(self, actor: Member, uow: Uow) -> list[UomOut]:
        rows = await uow.db.scalars(select(Uom).order_by(Uom.category_id, Uom.factor))
        return [msgspec.convert(u, UomOut, from_attributes=True) for u in rows]

    @post("/uoms", status_code=HTTP_201_CREATED, summary="Add a unit", opt=requires(PRODUCT_WRITE))
    async def create_uom(self, data: JSONBody[UomIn], actor: Member, uow: Uow) -> UomOut:
        if await uow.db.get(UomCategory, (actor.tenant, data.category_id)) is None:
            raise Invalid("category_id", "is not a known unit category")
        name = clean(data.name)
        await _refuse_taken(uow.db, Uom.name, name, "unit")
        unit = Uom(
            tenant_id=actor.tenant,
            category_id=data.category_id,
            name=name,
            factor=checked_quantity(data.factor, "factor"),
            rounding=checked_quantity(data.rounding, "rounding"),
        )
        uow.db.add(unit)
        await uow.db.flush()
        return msgspec.convert(unit, UomOut, from_attributes=True)


class ProductCategoriesController(Controller):
    path = "/product-categories"
    tags = ["inventory"]

    @get("/", summary="Product categories, by path", opt=requires(PRODUCT_READ))
    async def list_categories(self, actor: Member, uow: Uow) -> list[ProductCategoryOut]:
        rows = await uow.db.scalars(select(ProductCategory).order_by(ProductCategory.full_name))
        return [msgspec.convert(c, ProductCategoryOut, from_attributes=True) for c in rows]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Add a product category",
        opt=requires(PRODUCT_WRITE),
    )
    async def create(
        self, data: JSONBody[ProductCategoryIn], actor: Member, uow: Uow
    ) -> ProductCategoryOut:
        name = clean(data.name)
        path = await _category_path(uow.db, actor.tenant, name, data.parent_id)
        await _refuse_taken(uow.db, ProductCategory.full_name, path, "product category")
        category = ProductCategory(
            tenant_id=actor.tenant, name=name, parent_id=data.parent_id, full_name=path
        )
        uow.db.add(category)
        await uow.db.flush()
        return msgspec.convert(category, ProductCategoryOut, from_attributes=True)

    @patch(
        "/{category_id:uuid}",
        summary="Rename or move a product category (with everything below it)",
        opt=requires(PRODUCT_WRITE),
    )
    async def change(
        self,
        category_id: FromPath[uuid.UUID],
        data: JSONBody[ProductCategoryPatch],
        actor: Member,
        uow: Uow,
    ) -> ProductCategoryOut:
        category = await uow.db.get(ProductCategory, (actor.tenant, category_id))
        if category is None:
            raise NotFound("No such product category.")
        name = category.name if data.name is None else clean(data.name)
        parent_id = category.parent_id
        if not isinstance(data.parent_id, msgspec.UnsetType):
            parent_id = data.parent_id
            if parent_id is not None:
                await _refuse_cycle(uow.db, actor.tenant, category.id, parent_id)
        path = await _category_path(uow.db, actor.tenant, name, parent_id)
        if path != category.full_name:
            await _refuse_taken(uow.db, ProductCategory.full_name, path, "product category")
            await _rename_subtree(uow.db, category.full_name, path)
        category.name, category.parent_id, category.full_name = name, parent_id, path
        await uow.db.flush()
        await uow.db.refresh(category)
        return msgspec.convert(category, ProductCategoryOut, from_attributes=True)
