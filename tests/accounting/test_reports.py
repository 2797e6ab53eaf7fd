"""The financial reports over HTTP: trial balance, profit and loss, balance sheet and general
ledger, with comparison periods, in the member's language, and as XLSX and PDF files."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import httpx
import openpyxl

from tests.accounting.support import API, ENTRIES, account_id, accounting_tenant, posted
from tests.support import SignedUp

REPORTS = f"{API}/reports"
YEAR = date.today().year
LAST = YEAR - 1


def day(year: int, month: int, d: int) -> str:
    return date(year, month, d).isoformat()


async def _books(owner: SignedUp) -> None:
    """Last year: capital 1000 in the bank, sales of 300, rent of 100 (profit 200).
    This year: sales of 500 (receivable), rent of 120, salaries of 80; one wrong entry
    reversed."""
    await posted(owner, ("bank", "1000", "0"), ("3000", "0", "1000"), date=day(LAST, 1, 5))
    await posted(owner, ("bank", "300", "0"), ("sales", "0", "300"), date=day(LAST, 3, 1))
    await posted(owner, ("6100", "100", "0"), ("bank", "0", "100"), date=day(LAST, 3, 2))
    await posted(owner, ("receivable", "500", "0"), ("sales", "0", "500"), date=day(YEAR, 1, 10))
    await posted(owner, ("6100", "120", "0"), ("bank", "0", "120"), date=day(YEAR, 1, 11))
    await posted(owner, ("6000", "80", "0"), ("cash", "0", "80"), date=day(YEAR, 1, 12))
    wrong = await posted(owner, ("6300", "999", "0"), ("bank", "0", "999"), date=day(YEAR, 1, 13))
    reversed_ = await owner.post(
        f"{ENTRIES}/{wrong['id']}/reverse", json={"date": day(YEAR, 1, 13)}
    )
    assert reversed_.status_code == 201, reversed_.text
    # A draft counts nowhere.
    draft = {"journal": "MISC", "date": day(YEAR, 1, 14), "post": False,
             "lines": [{"account": "6000", "debit": "5"}, {"account": "cash", "credit": "5"}]}  # fmt: skip
    assert (await owner.post(ENTRIES, json=draft)).status_code == 201


def _by_code(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {row["code"]: row for row in rows}


async def test_trial_balance_opens_the_year_with_earlier_results_in_retained_earnings(
    client: httpx.AsyncClient,
) -> None:
    owner = await accounting_tenant(client)
    await _books(owner)
    answer = await owner.get(
        f"{REPORTS}/trial-balance",
        params={"date_from": day(YEAR, 1, 1), "date_to": day(YEAR, 12, 31),
                "compare_from": day(LAST, 1, 1), "compare_to": day(LAST, 12, 31)},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    report = answer.json()
    rows = _by_code(report["rows"])
    movement = {code: (r["current"]["opening"], r["current"]["debit"], r["current"]["credit"],
                       r["current"]["closing"]) for code, r in rows.items()}  # fmt: skip
    assert movement == {
        "1000": ("0.00", "0.00", "80.00", "-80.00"),
        "1010": ("1200.00", "999.00", "1119.00", "1080.00"),
        "1100": ("0.00", "500.00", "0.00", "500.00"),
        "3000": ("-1000.00", "0.00", "0.00", "-1000.00"),
        # Last year's profit of 200 opens retained earnings; income and expenses start at 0.
        "3100": ("-200.00", "0.00", "0.00", "-200.00"),
        "4000": ("0.00", "0.00", "500.00", "-500.00"),
        "6000": ("0.00", "80.00", "0.00", "80.00"),
        "6100": ("0.00", "120.00", "0.00", "120.00"),
        "6300": ("0.00", "999.00", "999.00", "0.00"),
    }
    assert report["total"] == {
        "opening": "0.00", "debit": "2698.00", "credit": "2698.00", "closing": "0.00",
    }  # fmt: skip
    assert rows["4000"]["comparison"] == {
        "opening": "0.00", "debit": "0.00", "credit": "300.00", "closing": "-300.00",
    }  # fmt: skip
    assert report["comparison_total"]["debit"] == report["comparison_total"]["credit"] == "1400.00"


async def test_profit_and_loss_and_balance_sheet_agree(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    await _books(owner)
    pnl = (
        await owner.get(
            f"{REPORTS}/profit-and-loss",
            params={
                "date_from": day(YEAR, 1, 1),
                "date_to": day(YEAR, 12, 31),
                "compare_from": day(LAST, 1, 1),
                "compare_to": day(LAST, 12, 31),
            },
        )
    ).json()
    assert [(r["code"], r["amount"], r["comparison"]) for r in pnl["income"]] == [
        ("4000", "500.00", "300.00")
    ]
    assert [(r["code"], r["amount"], r["comparison"]) for r in pnl["expenses"]] == [
        ("6000", "80.00", "0.00"),
        ("6100", "120.00", "100.00"),
    ]
    assert pnl["net_profit"] == {"amount": "300.00", "comparison": "200.00"}

    sheet = (
        await owner.get(
            f"{REPORTS}/balance-sheet",
            params={"date_to": day(YEAR, 12, 31), "compare_to": day(LAST, 12, 31)},
        )
    ).json()
    assert [(r["code"], r["amount"], r["comparison"]) for r in sheet["assets"]] == [
        ("1000", "-80.00", "0.00"),
        ("1010", "1080.00", "1200.00"),
        ("1100", "500.00", "0.00"),
    ]
    assert [(r["code"], r["name"], r["amount"], r["comparison"]) for r in sheet["equity"]] == [
        ("3000", "Share capital", "1000.00", "1000.00"),
        ("3100", "Retained earnings", "200.00", "0.00"),
        (None, "Current year earnings", "300.00", "200.00"),
    ]
    assert sheet["total_assets"] == sheet["total_liabilities_and_equity"] == {
        "amount": "1500.00", "comparison": "1200.00",
    }  # fmt: skip


async def test_general_ledger_runs_the_balance(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    await _books(owner)
    bank = await account_id(owner, "1010")
    ledger = (
        await owner.get(
            f"{REPORTS}/general-ledger/{bank}",
            params={"date_from": day(YEAR, 1, 1), "date_to": day(YEAR, 12, 31)},
        )
    ).json()
    assert (ledger["opening"], ledger["debit"], ledger["credit"], ledger["closing"]) == (
        "1200.00", "999.00", "1119.00", "1080.00",
    )  # fmt: skip
    assert [(x["debit"], x["credit"], x["balance"]) for x in ledger["lines"]] == [
        ("0.00", "120.00", "1080.00"),
        ("0.00", "999.00", "81.00"),
        ("999.00", "0.00", "1080.00"),
    ]
    assert [x["number"] for x in ledger["lines"]] == [
        f"MISC/{YEAR}/00002", f"MISC/{YEAR}/00004", f"MISC/{YEAR}/00005",
    ]  # fmt: skip


async def test_reports_export_to_xlsx_and_pdf(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    await _books(owner)
    period = {"date_from": day(YEAR, 1, 1), "date_to": day(YEAR, 12, 31)}
    answer = await owner.get(f"{REPORTS}/trial-balance/export", params={**period, "format": "xlsx"})
    assert answer.status_code == 200, answer.text
    assert "attachment" in answer.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Trial balance"
    header = rows.index(["Code", "Account", "Opening", "Debit", "Credit", "Closing"])
    bank = next(row for row in rows[header:] if row[0] == "1010")
    assert bank == ["1010", "Bank", 1200, 999, 1119, 1080]
    assert rows[-1][1:] == ["Total", 0, 2698, 2698, 0]
    for path in ("trial-balance", "profit-and-loss"):
        pdf = await owner.get(f"{REPORTS}/{path}/export", params={**period, "format": "pdf"})
        assert pdf.status_code == 200, pdf.text
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    chinese = await owner.get(
        f"{REPORTS}/balance-sheet/export",
        params={"date_to": day(YEAR, 12, 31), "format": "xlsx"},
        headers={"Accept-Language": "zh-CN"},
    )
    book = openpyxl.load_workbook(io.BytesIO(chinese.content)).active
    assert book is not None
    values = [cell.value for row in book.iter_rows() for cell in row]
    assert "资产负债表" in values and "银行存款" in values and "本年利润" in values
    bad = await owner.get(f"{REPORTS}/trial-balance/export", params={**period, "format": "doc"})
    assert bad.status_code == 422


async def test_report_periods_are_checked(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    missing = await owner.get(f"{REPORTS}/trial-balance", params={"date_from": day(YEAR, 1, 1)})
    assert (missing.status_code, missing.json()["errors"][0]["field"]) == (422, "date_to")
    backwards = await owner.get(
        f"{REPORTS}/profit-and-loss",
        params={"date_from": day(YEAR, 2, 1), "date_to": day(YEAR, 1, 1)},
    )
    assert (backwards.status_code, backwards.json()["errors"][0]["field"]) == (422, "date_to")
    half = await owner.get(
        f"{REPORTS}/trial-balance",
        params={
            "date_from": day(YEAR, 1, 1),
            "date_to": day(YEAR, 1, 2),
            "compare_from": day(LAST, 1, 1),
        },
    )
    assert (half.status_code, half.json()["errors"][0]["field"]) == (422, "compare_to")
