"""What sales and purchasing refuse before anything is written: inexact numbers, unknown
currencies, products of another tenant, lines that are not there; and the settings' rules."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.sales_purchase.support import (
    PURCHASES,
    SALES,
    SETTINGS,
    counts,
    erp_tenant,
    fields_of,
    line,
    ok,
    product,
)
from tests.support import LiveServer, join, make_client


async def test_orders_refuse_bad_lines_by_name_and_write_nothing(
    client: httpx.AsyncClient, owner_db: asyncpg.Connection, live_server: LiveServer
) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, sale_price="12.50")
    async with make_client(live_server) as other_client:
        other = await erp_tenant(other_client)
        theirs = await product(other)
    partner = {"name": "Acme"}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"lines": [{**line(tea["id"], "2"), "quantity": 2.5}]}, "lines[0].quantity"),
        (
            {"lines": [line(tea["id"], "2", unit_price=None) | {"unit_price": 12.5}]},
            "lines[0].unit_price",
        ),
        ({"lines": [line(tea["id"], "0")]}, "lines[0].quantity"),
        ({"lines": [line(tea["id"], "-1")]}, "lines[0].quantity"),
        ({"lines": [line(tea["id"], "1.000001")]}, "lines[0].quantity"),
        ({"lines": [line(tea["id"], "1", "-3")]}, "lines[0].unit_price"),
        ({"lines": [line(tea["id"], "1", discount="101")]}, "lines[0].discount"),
        ({"lines": [line(theirs["id"], "1")]}, "lines[0].product_id"),
        ({"lines": [line(tea["id"], "1"), line(theirs["id"], "1")]}, "lines[1].product_id"),
        ({"lines": [line(tea["id"], "1")], "currency": "XYZ"}, "currency"),
        (
            {
                "lines": [line(tea["id"], "1")],
                "order_date": "2026-05-02",
                "validity_date": "2026-05-01",
            },
            "validity_date",
        ),
    ]
    before = await counts(owner_db, owner.tenant_id)
    for body, field in cases:
        for path in (SALES, PURCHASES):
            payload = {"partner": partner, **body}
            if path == PURCHASES:
                payload.pop("validity_date", None)
                if field == "validity_date":
                    continue
            refused = await owner.post(path, json=payload)
            assert refused.status_code in (400, 422), (path, body, refused.text)
            if refused.status_code == 422:
                assert field in fields_of(refused) or any(
                    field.split(".")[-1] in f for f in fields_of(refused)
                ), (path, body, refused.text)
    assert await counts(owner_db, owner.tenant_id) == before


async def test_a_float_is_refused_by_name(client: httpx.AsyncClient) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner)
    refused = await owner.post(
        SALES,
        json={"partner": {"name": "Acme"}, "lines": [{"product_id": tea["id"], "quantity": 1.5}]},
    )
    assert refused.status_code in (400, 422), refused.text
    assert "quantity" in refused.text


async def test_another_tenants_order_is_not_found(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await erp_tenant(client)
    async with make_client(live_server) as other_client:
        other = await erp_tenant(other_client)
        for path in (SALES, PURCHASES):
            missing = f"{path}/0190a0a0-0000-7000-8000-000000000000"
            assert (await other.get(missing)).status_code == 404
            assert (await other.post(f"{missing}/confirm")).status_code == 404
            assert (await other.post(f"{missing}/cancel")).status_code == 404
    assert (await owner.get(f"{SALES}/not-an-id")).status_code in (400, 404)


async def test_settings_are_the_admins_and_checked(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await erp_tenant(client)
    assert await ok(await owner.get(SETTINGS)) == {
        "approval_threshold": None,
        "price_tolerance": "0.0000",
    }
    changed = await owner.client.patch(
        SETTINGS,
        json={"approval_threshold": "10000.00", "price_tolerance": "2.5"},
        headers=owner.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"approval_threshold": "10000.00", "price_tolerance": "2.5000"}
    for body, field in (
        ({"price_tolerance": 2.5}, "price_tolerance"),
        ({"price_tolerance": "101"}, "price_tolerance"),
        ({"approval_threshold": "-1"}, "approval_threshold"),
        ({"approval_threshold": "1.001"}, "approval_threshold"),
    ):
        refused = await owner.client.patch(SETTINGS, json=body, headers=owner.headers)
        assert refused.status_code in (400, 422), (body, refused.text)
        assert field in refused.text
    member = await join(live_server, owner, make_client(live_server))
    forbidden = await member.client.patch(
        SETTINGS, json={"price_tolerance": "50"}, headers=member.headers
    )
    assert forbidden.status_code == 403
    cleared = await owner.client.patch(
        SETTINGS, json={"approval_threshold": None}, headers=owner.headers
    )
    assert cleared.json()["approval_threshold"] is None
    assert cleared.json()["price_tolerance"] == "2.5000"
