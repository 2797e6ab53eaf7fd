"""The ``inventory.stock`` service as a dependant module calls it: in its own transaction,
with plain values, checked against the caller's own Protocol."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

import asyncpg
import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import Conflict, Invalid, service
from tests.inventory.support import (
    RESERVATIONS,
    books_agree,
    dec,
    detail,
    in_tenant,
    inventory_tenant,
    ok,
    product,
    tenant_session,
)
from tests.support import LiveServer

ORDER = {"source_type": "sales_purchase.order", "source_id": "SO-9"}


@runtime_checkable
class Stock(Protocol):
    """What sales and purchasing call (docs/modules/erp.md)."""

    async def products(
        self, db: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
    ) -> Mapping[uuid.UUID, Mapping[str, Any]]: ...

    async def products_by_sku(
        self, db: AsyncSession, tenant_id: uuid.UUID, skus: Sequence[str]
    ) -> Mapping[str, Mapping[str, Any]]: ...

    async def reserve(
        self,
        db: AsyncSession,
        tenant_id: uuid.UUID,
        *,
        source_type: str,
        source_id: str,
        lines: Sequence[Mapping[str, Any]],
    ) -> None: ...

    async def release(
        self, db: AsyncSession, tenant_id: uuid.UUID, *, source_type: str, source_id: str
    ) -> None: ...

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
    ) -> Mapping[str, Any]: ...

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
    ) -> Mapping[str, Any]: ...


STOCK = service("inventory.stock", Stock)


async def test_a_purchase_and_a_sale_through_the_service(
    client: httpx.AsyncClient, live_server: LiveServer, owner_db: asyncpg.Connection
) -> None:
    owner = await inventory_tenant(client)
    tenant = uuid.UUID(owner.tenant_id)
    tea = await product(owner, "TEA", sale_price="9", tax_sale="VAT13")
    consulting = await product(owner, "CONSULT", type="service")
    tea_id, consulting_id = uuid.UUID(tea["id"]), uuid.UUID(consulting["id"])

    async with tenant_session(live_server, owner.tenant_id) as db:
        found = await STOCK.products(db, tenant, [tea_id])
        assert found[tea_id]["sku"] == "TEA" and found[tea_id]["uom"] == "Unit"
        assert found[tea_id]["sale_price"] == Decimal("9") and found[tea_id]["tax_sale"] == "VAT13"
        assert set(await STOCK.products_by_sku(db, tenant, ["TEA", "NOPE"])) == {"TEA"}
        received = await STOCK.receive(
            db, tenant, source_type="sales_purchase.purchase_order", source_id="PO-9",
            reference="PO-9", date=date.today(),
            lines=[{"product_id": tea_id, "quantity": Decimal(8), "unit_cost": Decimal("2.5")},
                   {"product_id": consulting_id, "quantity": Decimal(1), "unit_cost": Decimal(100)}],
        )  # fmt: skip
        assert received["number"].startswith("IN/") and received["value"] == Decimal("20")

    lines = [
        {"product_id": tea_id, "quantity": Decimal(5)},
        {"product_id": consulting_id, "quantity": Decimal(2)},
    ]
    async with tenant_session(live_server, owner.tenant_id) as db:
        await STOCK.reserve(db, tenant, lines=lines, **ORDER)
    assert dec((await detail(owner, tea["id"]))["reserved"]) == 5

    async with tenant_session(live_server, owner.tenant_id) as db:
        delivered = await STOCK.deliver(
            db, tenant, reference="SO-9", date=date.today(), lines=lines, **ORDER
        )
    assert delivered["number"].startswith("OUT/") and delivered["cost"] == Decimal("12.5")
    found_after = await detail(owner, tea["id"])
    assert dec(found_after["on_hand"]) == 3 and dec(found_after["reserved"]) == 0
    assert await ok(await owner.get(RESERVATIONS, params=ORDER)) == []

    [event] = await in_tenant(
        owner_db, owner.tenant_id,
        "SELECT payload::text AS payload FROM event_outbox WHERE type = 'inventory.delivery.done'",
    )  # fmt: skip
    payload = json.loads(event["payload"])
    assert payload["number"] == delivered["number"] and payload["source_id"] == "SO-9"
    assert [(line["sku"], dec(line["quantity"])) for line in payload["lines"]] == [
        ("TEA", Decimal(5))
    ]
    await books_agree(owner_db, owner.tenant_id)


async def test_the_service_refuses_what_the_stock_cannot_do(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await inventory_tenant(client)
    tenant = uuid.UUID(owner.tenant_id)
    tea = await product(owner)
    line = {"product_id": uuid.UUID(tea["id"]), "quantity": Decimal(1)}
    with pytest.raises(Conflict):
        async with tenant_session(live_server, owner.tenant_id) as db:
            await STOCK.deliver(db, tenant, reference="", date=date.today(), lines=[line], **ORDER)
    with pytest.raises(Conflict):
        async with tenant_session(live_server, owner.tenant_id) as db:
            await STOCK.reserve(db, tenant, lines=[line], **ORDER)
    with pytest.raises(Invalid):
        async with tenant_session(live_server, owner.tenant_id) as db:
            await STOCK.deliver(
                db, tenant, reference="", date=date.today(),
                lines=[{"product_id": uuid.uuid4(), "quantity": Decimal(1)}], **ORDER,
            )  # fmt: skip
    async with tenant_session(live_server, owner.tenant_id) as db:
        await STOCK.release(db, tenant, **ORDER)
