"""What the ERP property test reads back after each operation, all through the API's reports:
the trial balance, the balance sheet, the stock balance beside the move history, and the
receivable and payable accounts beside the open invoices' residuals. Each check raises an
AssertionError naming the figures that disagree."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from tests.support import SignedUp

ACCOUNTING = "/api/v1/accounting"
INVENTORY = "/api/v1/inventory"
OPEN = ("posted", "partially_paid")
#: The tables whose row counts tell whether a refused operation wrote anything.
WRITTEN = (
    "accounting_entry",
    "accounting_line",
    "accounting_invoice",
    "accounting_invoice_line",
    "accounting_payment",
    "accounting_payment_allocation",
    "inventory_picking",
    "inventory_move",
    "inventory_reservation",
    "inventory_count",
    "sales_purchase_sale_order",
    "sales_purchase_purchase_order",
    "sales_purchase_document",
    "event_outbox",
)


async def fetched(who: SignedUp, path: str, **params: Any) -> Any:
    response = await who.get(path, params=params)
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
    return response.json()


async def every(who: SignedUp, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paginated list, following its cursors."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = await fetched(
            who, path, limit=200, **({"cursor": cursor} if cursor else {}), **params
        )
        items.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def dec(value: Any) -> Decimal:
    return Decimal(str(value))


async def trial_balance(who: SignedUp, today: date) -> dict[str, Any]:
    found: dict[str, Any] = await fetched(
        who,
        f"{ACCOUNTING}/reports/trial-balance",
        date_from=date(today.year, 1, 1).isoformat(),
        date_to=today.isoformat(),
    )
    return found


def check_trial_balance(trial: dict[str, Any]) -> None:
    total = trial["total"]
    assert dec(total["debit"]) == dec(total["credit"]), f"trial balance total {total}"
    closing = sum((dec(row["current"]["closing"]) for row in trial["rows"]), Decimal(0))
    assert closing == 0, f"the accounts' closing balances sum to {closing}, not 0"
    for row in trial["rows"]:
        now = row["current"]
        expected = dec(now["opening"]) + dec(now["debit"]) - dec(now["credit"])
        assert dec(now["closing"]) == expected, f"account {row['code']}: {now}"


async def check_balance_sheet(who: SignedUp, today: date) -> None:
    sheet = await fetched(who, f"{ACCOUNTING}/reports/balance-sheet", date_to=today.isoformat())
    assets = dec(sheet["total_assets"]["amount"])
    both = dec(sheet["total_liabilities_and_equity"]["amount"])
    parts = sum(
        (dec(row["amount"]) for section in ("liabilities", "equity") for row in sheet[section]),
        Decimal(0),
    )
    assert assets == both, f"assets {assets} != liabilities and equity {both}"
    assert parts == both, f"the liability and equity rows sum to {parts}, the total says {both}"


def check_stock(
    balance: list[dict[str, Any]],
    moves: list[dict[str, Any]],
    internal: set[str],
    products: list[str],
) -> None:
    """On hand per product (the stock balance) equals what its done moves brought into the
    internal locations less what they took out (the move history)."""
    held: dict[str, Decimal] = defaultdict(Decimal)
    for row in balance:
        held[row["product_id"]] += dec(row["quantity"])
    moved: dict[str, Decimal] = defaultdict(Decimal)
    for move in moves:
        if move["to_location"] in internal:
            moved[move["product_id"]] += dec(move["quantity"])
        if move["from_location"] in internal:
            moved[move["product_id"]] -= dec(move["quantity"])
    for product_id in {*products, *held, *moved}:
        assert held[product_id] == moved[product_id], (
            f"product {product_id}: on hand {held[product_id]}, moves say {moved[product_id]}"
        )


async def internal_locations(who: SignedUp) -> set[str]:
    return {
        loc["full_name"]
        for loc in await fetched(who, f"{INVENTORY}/locations")
        if loc["kind"] == "internal"
    }


def open_residuals(invoices: list[dict[str, Any]], kind: str) -> Decimal:
    return sum(
        (dec(i["residual"]) for i in invoices if i["kind"] == kind and i["status"] in OPEN),
        Decimal(0),
    )


def balance_of(trial: dict[str, Any], accounts: set[str]) -> Decimal:
    """Debit minus credit at the end of the period, over the accounts with these ids."""
    return sum(
        (dec(row["current"]["closing"]) for row in trial["rows"] if row["account_id"] in accounts),
        Decimal(0),
    )


async def accounts_of(who: SignedUp, subtype: str) -> set[str]:
    return {a["id"] for a in await every(who, f"{ACCOUNTING}/accounts") if a["subtype"] == subtype}


def check_partners(
    trial: dict[str, Any], invoices: list[dict[str, Any]], receivable: set[str], payable: set[str]
) -> None:
    owed_to_us = balance_of(trial, receivable)
    open_invoices = open_residuals(invoices, "customer")
    assert owed_to_us == open_invoices, (
        f"receivable accounts {owed_to_us}, open customer invoices {open_invoices}"
    )
    owed_by_us = -balance_of(trial, payable)
    open_bills = open_residuals(invoices, "vendor")
    assert owed_by_us == open_bills, f"payable accounts {owed_by_us}, open bills {open_bills}"


async def row_counts(conn: asyncpg.Connection, tenant_id: str) -> dict[str, int]:
    """How many rows each written table holds for the tenant, read as the application's role."""
    async with conn.transaction():
        await conn.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        return {table: await conn.fetchval(f"SELECT count(*) FROM {table}") for table in WRITTEN}


@dataclass(frozen=True)
class Reports:
    """What the reports say at one moment; two equal Reports mean nothing changed."""

    trial: dict[str, Any]
    stock: list[dict[str, Any]]
    moves: list[dict[str, Any]]
    invoices: list[dict[str, Any]]
    rows: dict[str, int]


async def read_reports(who: SignedUp, conn: asyncpg.Connection, today: date) -> Reports:
    """The reports, read side by side (each is one consistent read; the operations are over)."""
    trial, stock, moves, invoices, rows = await asyncio.gather(
        trial_balance(who, today),
        every(who, f"{INVENTORY}/reports/stock-balance"),
        every(who, f"{INVENTORY}/reports/moves"),
        every(who, f"{ACCOUNTING}/invoices"),
        row_counts(conn, who.tenant_id),
    )
    return Reports(trial, stock, moves, invoices, rows)
