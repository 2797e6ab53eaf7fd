"""The property test's checks can fail: each one, shown books that truly disagree, says so.

The receivable check is fed a real tenant whose receivable account was moved by a manual entry
no invoice stands behind; the others are fed reports altered by one cent or a missing move."""

from __future__ import annotations

import copy
from datetime import date

import asyncpg
import httpx
import pytest

from tests.erp.books import (
    ACCOUNTING,
    accounts_of,
    check_partners,
    check_stock,
    check_trial_balance,
    internal_locations,
    read_reports,
)
from tests.sales_purchase.support import erp_tenant, product, stock_up


async def test_each_check_sees_books_that_disagree(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    who = await erp_tenant(client)
    tea = await product(who, name="Green tea")
    await stock_up(who, tea["id"], "4", "5.00")
    receivable = await accounts_of(who, "receivable")
    payable = await accounts_of(who, "payable")
    internal = await internal_locations(who)
    today = date.today()
    agreed = await read_reports(who, app_db, today)
    check_trial_balance(agreed.trial)
    check_stock(agreed.stock, agreed.moves, internal, [tea["id"]])
    check_partners(agreed.trial, agreed.invoices, receivable, payable)

    lopsided = copy.deepcopy(agreed.trial)
    lopsided["rows"][0]["current"]["closing"] = "0.01"
    with pytest.raises(AssertionError):
        check_trial_balance(lopsided)
    with pytest.raises(AssertionError, match="on hand"):
        check_stock(agreed.stock, agreed.moves[1:], internal, [tea["id"]])

    manual = await who.post(
        f"{ACCOUNTING}/entries",
        json={
            "journal": "MISC",
            "date": today.isoformat(),
            "lines": [
                {"account": "receivable", "debit": "10.00", "credit": "0"},
                {"account": "sales", "debit": "0", "credit": "10.00"},
            ],
            "post": True,
        },
    )
    assert manual.status_code == 201, manual.text
    moved = await read_reports(who, app_db, today)
    check_trial_balance(moved.trial)
    with pytest.raises(AssertionError, match=r"receivable accounts 10\.00,"):
        check_partners(moved.trial, moved.invoices, receivable, payable)
