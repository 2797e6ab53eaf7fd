"""Expense categories: what expenses are for, each with its limit and receipt rule.

Mounted under /api/v1/oa/expenses/categories. Every member reads them (to fill in a claim);
holders of ``oa.expense.manage`` make and change them. A category in use is archived
(``active: false``), not deleted: old lines keep it, new lines cannot take it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    DEFAULT_LIMIT,
    Actor,
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
    checked_currency,
    requires,
)
from tessera_oa.currencies import checked_amount
from tessera_oa.expense_models import LIMIT_PERIODS, MANAGE, SUBMIT, ExpenseCategory, ExpenseLine

SORTING = Sorting(
    {"name": ExpenseCategory.name, "created_at": ExpenseCategory.created_at},
    ExpenseCategory.id,
    default="name",
)
CategoryName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Description = Annotated[str, msgspec.Meta(max_length=500)]
Currency = Annotated[str, msgspec.Meta(min_length=1, max_length=3, description="ISO 4217 code")]
LimitPeriod = Annotated[str, msgspec.Meta(description="none, line (each line) or month")]
ActiveFilter = Annotated[bool | None, QueryParameter(description="Only active (or archived) ones")]
Search = Annotated[str | None, QueryParameter(max_length=120, description="Part of the name")]


class CategoryIn(Input):
    name: CategoryName
    description: Description = ""
    #: The currency the limit and the receipt threshold are stated in.
    currency: Currency | None = None
    limit_period: LimitPeriod = "none"
    limit_amount: Decimal | None = None
    receipt_threshold: Decimal | None = None
    only_in_currency: bool = False
    active: bool = True


class CategoryPatch(Input):
    name: CategoryName | None = None
    description: Description | None = None
    currency: Currency | msgspec.UnsetType | None = msgspec.UNSET
    limit_period: LimitPeriod | None = None
    limit_amount: Decimal | msgspec.UnsetType | None = msgspec.UNSET
    receipt_threshold: Decimal | msgspec.UnsetType | None = msgspec.UNSET
    only_in_currency: bool | None = None
    active: bool | None = None


class CategoryOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    description: str
    currency: str | None
    limit_period: str
    limit_amount: Decimal | None
    receipt_threshold: Decimal | None
    only_in_currency: bool
    active: bool
    created_at: datetime
    updated_at: datetime


def category_out(category: ExpenseCategory) -> CategoryOut:
    return msgspec.convert(category, CategoryOut, from_attributes=True)


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name", "must not be blank")
    return cleaned


def check_rules(category: ExpenseCategory) -> None:
    """The category's limit, threshold and currency fit together; 422 naming the field."""
    if category.limit_period not in LIMIT_PERIODS:
        raise Invalid("limit_period", f"is one of {', '.join(LIMIT_PERIODS)}")
    currency = category.currency
    if currency is not None:
        category.currency = currency = checked_currency(currency, "currency")
    needs_currency = {
        "limit_amount": category.limit_amount is not None,
        "receipt_threshold": category.receipt_threshold is not None,
        "only_in_currency": category.only_in_currency,
    }
    for field, needed in needs_currency.items():
        if needed and currency is None:
            raise Invalid("currency", f"is needed for {field}: amounts are stated in a currency")
    if category.limit_period == "none":
        if category.limit_amount is not None:
            raise Invalid("limit_amount", "needs a limit_period of line or month")
    elif category.limit_amount is None:
        raise Invalid("limit_amount", f"is needed for a limit per {category.limit_period}")
    else:
        category.limit_amount = checked_amount(category.limit_amount, str(currency), "limit_amount")
    if category.receipt_threshold is not None:
        category.receipt_threshold = checked_amount(
            category.receipt_threshold, str(currency), "receipt_threshold", allow_zero=True
        )


async def _refuse_taken_name(db: AsyncSession, name: str, excluding: uuid.UUID | None) -> None:
    query = select(ExpenseCategory.id).where(func.lower(ExpenseCategory.name) == func.lower(name))
    if excluding is not None:
        query = query.where(ExpenseCategory.id != excluding)
    if await db.scalar(query) is not None:
        raise Conflict(f"An expense category is already named {name!r}.")


async def get_category(
    db: AsyncSession, tenant_id: uuid.UUID, category_id: uuid.UUID
) -> ExpenseCategory:
    category = await db.get(ExpenseCategory, (tenant_id, category_id))
    if category is None:
        raise NotFound("No such expense category.")
    return category


async def create_category(uow: Uow, actor: Actor, data: CategoryIn) -> ExpenseCategory:
    name = clean_name(data.name)
    category = ExpenseCategory(
        tenant_id=actor.tenant,
        name=name,
        description=data.description.strip(),
        currency=data.currency,
        limit_period=data.limit_period,
        limit_amount=data.limit_amount,
        receipt_threshold=data.receipt_threshold,
        only_in_currency=data.only_in_currency,
        active=data.active,
    )
    check_rules(category)
    await _refuse_taken_name(uow.db, name, None)
    uow.db.add(category)
    await uow.db.flush()
    return category


def _changes(data: CategoryPatch) -> dict[str, Any]:
    given = {field: getattr(data, field) for field in data.__struct_fields__}
    changes = {k: v for k, v in given.items() if v is not msgspec.UNSET}
    # Plain fields may not be null (absent means "leave as it is"); the others clear with null.
    for field in ("name", "description", "limit_period", "only_in_currency", "active"):
        if changes.get(field, "") is None:
            del changes[field]
    return changes


async def change_category(
    uow: Uow, actor: Actor, category_id: uuid.UUID, data: CategoryPatch
) -> ExpenseCategory:
    category = await get_category(uow.db, actor.tenant, category_id)
    changes = _changes(data)
    if "name" in changes:
        changes["name"] = clean_name(changes["name"])
        await _refuse_taken_name(uow.db, changes["name"], category.id)
    if "description" in changes:
        changes["description"] = changes["description"].strip()
    for field, value in changes.items():
        setattr(category, field, value)
    # Checked on the category as it would be: the rules tie several fields together.
    check_rules(category)
    await uow.db.flush()
    await uow.db.refresh(category)
    return category


async def delete_category(uow: Uow, actor: Actor, category_id: uuid.UUID) -> None:
    category = await get_category(uow.db, actor.tenant, category_id)
    used = await uow.db.scalar(
        select(func.count()).select_from(ExpenseLine).where(ExpenseLine.category_id == category.id)
    )
    if used:
        raise Conflict(
            f"The category is used by {used} expense line(s): archive it (active: false) instead."
        )
    await uow.db.delete(category)
    await uow.db.flush()


class CategoriesController(Controller):
    path = "/expenses/categories"
    tags = ["oa"]

    @get("/", summary="Expense categories", opt=requires(SUBMIT))
    async def list_categories(
        self,
        actor: Member,
        uow: Uow,
        active: ActiveFilter = None,
        q: Search = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        sort: SortQuery = None,
        cursor: SortedCursorQuery = None,
    ) -> Page[CategoryOut]:
        page = SORTING.page(select(ExpenseCategory), sort, cursor, limit)
        query = page.query
        if active is not None:
            query = query.where(ExpenseCategory.active.is_(active))
        if q:
            query = query.where(ExpenseCategory.name.icontains(q, autoescape=True))
        return page.of(list((await uow.db.scalars(query)).all()), category_out)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Create an expense category",
        opt=requires(MANAGE),
    )
    async def create(self, data: JSONBody[CategoryIn], actor: Member, uow: Uow) -> CategoryOut:
        return category_out(await create_category(uow, actor, data))

    @get("/{category_id:uuid}", summary="One expense category", opt=requires(SUBMIT))
    async def get_one(
        self, category_id: FromPath[uuid.UUID], actor: Member, uow: Uow
    ) -> CategoryOut:
        return category_out(await get_category(uow.db, actor.tenant, category_id))

    @patch(
        "/{category_id:uuid}",
        summary="Change a category (its limits apply to claims submitted from now on)",
        opt=requires(MANAGE),
    )
    async def change(
        self,
        category_id: FromPath[uuid.UUID],
        data: JSONBody[CategoryPatch],
        actor: Member,
        uow: Uow,
    ) -> CategoryOut:
        return category_out(await change_category(uow, actor, category_id, data))

    @delete(
        "/{category_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Delete an unused category (to the recycle bin); archive one in use instead",
        opt=requires(MANAGE),
    )
    async def remove(self, category_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> None:
        await delete_category(uow, actor, category_id)
