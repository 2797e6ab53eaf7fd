"""Reports: the stock balance and the move history, filtered, exported as XLSX, and the stock
value of the dashboard."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import httpx
import openpyxl

from tests.inventory.support import REPORTS, dec, deliver, inventory_tenant, ok, product, receive
from tests.support import LiveServer, make_client


async def test_balance_moves_and_value(client: httpx.AsyncClient) -> None:
    owner = await inventory_tenant(client)
    tea, rice = await product(owner, "TEA"), await product(owner, "RICE")
    await receive(owner, tea["id"], "10", "2.50")
    await receive(owner, rice["id"], "4", "1.25")
    await ok(await deliver(owner, tea["id"], "3"), 201)
    old = (date.today() - timedelta(days=40)).isoformat()
    await receive(owner, rice["id"], "1", "1.25", date=old)

    balance = await ok(await owner.get(f"{REPORTS}/stock-balance"))
    rows = {r["sku"]: r for r in balance["items"]}
    assert dec(rows["TEA"]["quantity"]) == 7 and dec(rows["TEA"]["value"]) == dec("17.50")
    assert dec(rows["RICE"]["quantity"]) == 5 and rows["RICE"]["location"] == "WH/Stock"
    value = await ok(await owner.get(f"{REPORTS}/stock-value"))
    assert (
        dec(value["value"]) == dec("23.75")
        and value["products"] == 2
        and value["currency"] == "CNY"
    )

    moves = await ok(await owner.get(f"{REPORTS}/moves", params={"product_id": tea["id"]}))
    assert [(m["kind"], dec(m["quantity"])) for m in moves["items"]] == [
        ("receipt", Decimal(10)),
        ("delivery", Decimal(3)),
    ]
    recent = await ok(
        await owner.get(
            f"{REPORTS}/moves", params={"date_from": (date.today() - timedelta(days=7)).isoformat()}
        )
    )
    assert len(recent["items"]) == 3
    bad = await owner.get(
        f"{REPORTS}/moves", params={"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert bad.status_code == 422 and "date_to" in bad.text

    sheet = await owner.get(f"{REPORTS}/stock-balance/export")
    assert sheet.status_code == 200 and "spreadsheetml" in sheet.headers["content-type"]
    book = openpyxl.load_workbook(io.BytesIO(sheet.content), read_only=True)
    cells = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert cells[0][:4] == ["sku", "product", "location", "quantity"]
    assert sorted((r[0], r[3]) for r in cells[1:]) == [("RICE", 5), ("TEA", 7)]
    history = await owner.get(f"{REPORTS}/moves/export", params={"product_id": rice["id"]})
    rows_out = list(
        openpyxl.load_workbook(io.BytesIO(history.content), read_only=True)
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert len(rows_out) == 3 and rows_out[0][1] == "number"


async def test_reports_show_only_the_tenants_stock(live_server: LiveServer) -> None:
    async with make_client(live_server) as a, make_client(live_server) as b:
        owner, other = await inventory_tenant(a), await inventory_tenant(b)
        tea = await product(other)
        await receive(other, tea["id"], "10", "1")
        assert (await ok(await owner.get(f"{REPORTS}/stock-balance")))["items"] == []
        assert dec((await ok(await owner.get(f"{REPORTS}/stock-value")))["value"]) == 0
