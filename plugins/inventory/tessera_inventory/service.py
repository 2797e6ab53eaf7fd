"""The ``inventory.stock`` service: what the modules that depend on inventory call
(docs/modules/erp.md). Each method runs in the caller's session and transaction; quantities
are in the product's stock unit, at the default warehouse's stock location."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Service
from tessera_inventory import operations, reservations
from tessera_inventory.locations import default_stock
from tessera_inventory.models import Picking, Product, Uom
from tessera_inventory.stock import resolve_lines


def product_view(product: Product, uom: str) -> dict[str, Any]:
    return {
        "id": product.id,
        "sku": product.sku,
        "name": product.name,
        "type": product.type,
        "uom": uom,
        "uom_id": product.uom_id,
        "cost": product.cost,
        "sale_price": product.sale_price,
        "purchase_price": product.purchase_price,
        "tax_sale": product.tax_sale,
        "tax_purchase": product.tax_purchase,
        "active": product.active,
    }


def _with_unit() -> Select[Product, str]:
    return select(Product, Uom.name).join(
        Uom, and_(Uom.tenant_id == Product.tenant_id, Uom.id == Product.uom_id)
    )


def _picking_view(picking: Picking, amount_key: str) -> dict[str, Any]:
    return {"id": picking.id, "number": picking.number, amount_key: picking.value}


class Stock:
    """The provider: its public methods are the service."""

    async def products(
        self, db: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> Mapping[uuid.UUID, Mapping[str, Any]]:
        rows = await db.execute(_with_unit().where(Product.id.in_(list(ids))))
        return {p.id: product_view(p, uom) for p, uom in rows}

    async def products_by_sku(
        self, db: AsyncSession, tenant_id: uuid.UUID, skus: Sequence[str]
    ) -> Mapping[str, Mapping[str, Any]]:
        rows = await db.execute(_with_unit().where(Product.sku.in_(list(skus))))
        return {p.sku: product_view(p, uom) for p, uom in rows}

    async def reserve(
        self,
        db: AsyncSession,
        tenant_id: uuid.UUID,
        *,
        source_type: str,
        source_id: str,
        lines: Sequence[Mapping[str, Any]],
    ) -> None:
        source_type, source_id = reservations.checked_source(source_type, source_id)
        await reservations.reserve(
            db,
            tenant_id,
            source_type=source_type,
            source_id=source_id,
            location=await default_stock(db, tenant_id),
            lines=await resolve_lines(db, tenant_id, lines, skip_services=True),
        )

    async def release(
        self, db: AsyncSession, tenant_id: uuid.UUID, *, source_type: str, source_id: str
    ) -> None:
        source_type, source_id = reservations.checked_source(source_type, source_id)
        await reservations.release(db, tenant_id, source_type=source_type, source_id=source_id)

    async def deliver(
        self,
        db: AsyncSession,
        tenant_id: uuid.UUID,
        *,
        source_type: str,
        source_id: str,
        reference: str,
        date: date,
        lines: Sequence[Mapping[str, Any]],
    ) -> Mapping[str, Any]:
        picking = await operations.deliver(
            db,
            tenant_id,
            lines=lines,
            on=date,
            reference=reference[:200],
            source=reservations.checked_source(source_type, source_id),
            skip_services=True,
        )
        return _picking_view(picking, "cost")

    async def receive(
        self,
        db: AsyncSession,
        tenant_id: uuid.UUID,
        *,
        source_type: str,
        source_id: str,
        reference: str,
        date: date,
        lines: Sequence[Mapping[str, Any]],
    ) -> Mapping[str, Any]:
        picking = await operations.receive(
            db,
            tenant_id,
            lines=lines,
            on=date,
            reference=reference[:200],
            source=reservations.checked_source(source_type, source_id),
            skip_services=True,
        )
        return _picking_view(picking, "value")


STOCK = Service("inventory.stock", Stock())
