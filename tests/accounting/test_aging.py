"""The aged receivables and payables: buckets by days overdue per partner as of a date (looking
back past later payments and cancellations), in the company's currency, and its XLSX."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import asyncpg
import httpx
import openpyxl
import pytest
from tessera_accounting.aging import bucket_of

from tests.accounting.documents_support import API, TODAY, books, line, partner, posted, set_rate
from tests.accounting.test_payments import pay

AGING = f"{API}/reports/aging"


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(-5, "current"), (0, "current"), (1, "days_1_30"), (30, "days_1_30"), (31, "days_31_60"),
     (60, "days_31_60"), (61, "days_61_90"), (90, "days_61_90"), (91, "over_90")],
)  # fmt: skip
def test_buckets(days: int, bucket: str) -> None:
    assert bucket_of(days) == bucket


def _ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


async def test_receivables_by_partner_and_bucket(
    client: httpx.AsyncClient, app_db: asyncpg.Connection
) -> None:
    owner = await books(client)
    acme = await partner(owner, name="Acme")
    zeta = await partner(owner, name="Zeta", currency="USD")
    await set_rate(app_db, owner.tenant_id, "USD", TODAY - timedelta(days=400), "7.0000")
    # Acme: one not yet due, one 45 days overdue (half paid), one 100 days overdue.
    await posted(owner, acme["id"], line("100.00"), due_date=_ago(-10))
    half = await posted(owner, acme["id"], line("200.00"), date=_ago(60), due_date=_ago(45))
    await posted(owner, acme["id"], line("50.00"), date=_ago(120), due_date=_ago(100))
    assert (await pay(owner, acme["id"], "80.00", (half["id"], "80.00"))).status_code == 201
    # Zeta: 10 USD at 7.0000, 5 days overdue; a cancelled one does not count.
    await posted(owner, zeta["id"], line("10.00"), date=_ago(20), due_date=_ago(5))
    gone = await posted(owner, zeta["id"], line("99.00"), date=_ago(20))
    assert (await owner.post(f"{API}/invoices/{gone['id']}/cancel")).status_code == 200
    # A bill is a payable, not a receivable.
    vendor = await partner(owner, "vendor", name="Supplier")
    await posted(owner, vendor["id"], line("70.00"), kind="vendor")

    report = (await owner.get(AGING, params={"kind": "receivable"})).json()
    assert report["currency"] == "CNY"
    rows = {r["partner_name"]: r for r in report["partners"]}
    assert set(rows) == {"Acme", "Zeta"}
    acme_row = {k: Decimal(rows["Acme"][k]) for k in ("current", "days_31_60", "over_90", "total")}
    assert acme_row == {
        "current": Decimal("100.00"),
        "days_31_60": Decimal("120.00"),
        "over_90": Decimal("50.00"),
        "total": Decimal("270.00"),
    }
    assert Decimal(rows["Zeta"]["days_1_30"]) == Decimal("70.00")
    assert Decimal(report["totals"]["total"]) == Decimal("340.00")
    assert report["totals"]["invoices"] == 4

    payables = (await owner.get(AGING, params={"kind": "payable"})).json()
    assert [(r["partner_name"], r["total"]) for r in payables["partners"]] == [
        ("Supplier", "70.00")
    ]


async def test_as_of_an_earlier_date(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    acme = await partner(owner, name="Acme")
    old = await posted(owner, acme["id"], line("100.00"), date=_ago(40), due_date=_ago(35))
    await posted(owner, acme["id"], line("30.00"))  # after the date asked about
    paid = await pay(owner, acme["id"], "100.00", (old["id"], "100.00"))
    assert paid.status_code == 201
    gone = await posted(owner, acme["id"], line("5.00"), date=_ago(40), due_date=_ago(35))
    assert (await owner.post(f"{API}/invoices/{gone['id']}/cancel")).status_code == 200

    now = (await owner.get(AGING)).json()
    assert Decimal(now["totals"]["total"]) == Decimal("30.00")
    then = (await owner.get(AGING, params={"as_of": _ago(10)})).json()
    # Ten days ago the old invoice was unpaid (25 days overdue) and the cancelled one stood.
    assert Decimal(then["totals"]["days_1_30"]) == Decimal("105.00")
    assert Decimal(then["totals"]["total"]) == Decimal("105.00")


async def test_the_xlsx_export(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    acme = await partner(owner, name="=Acme")
    await posted(owner, acme["id"], line("12.34"))
    got = await owner.get(f"{AGING}.xlsx", headers={"Accept-Language": "zh-CN"})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(got.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "往来单位"
    assert rows[0][1] == "未到期"
    assert rows[1][0] == "'=Acme"  # a formula-looking name is defused
    assert Decimal(str(rows[1][1])) == Decimal("12.34")
    assert rows[2][0] == "合计"


async def test_bad_report_parameters(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    assert (await owner.get(AGING, params={"kind": "sideways"})).status_code == 400
    assert (await owner.get(AGING, params={"as_of": "yesterday"})).status_code == 400


async def test_a_crm_accounts_page_shows_its_receivables(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    assert (await owner.post("/api/v1/modules/crm/enable")).status_code == 200
    account = (await owner.post("/api/v1/crm/accounts", json={"name": "Acme"})).json()
    customer = await partner(owner, name="Acme", crm_account_id=account["id"])
    await posted(owner, customer["id"], line("1000.00"), date=_ago(40), due_date=_ago(10))
    await posted(owner, customer["id"], line("234.50"))
    facts_url = f"/api/v1/crm/accounts/{account['id']}/facts"
    facts = {f["label"]: f for f in (await owner.get(facts_url)).json()}
    assert facts["Receivable"]["value"] == "1,234.50 CNY"
    assert facts["Overdue"]["value"] == "1,000.00 CNY"
    assert facts["Overdue"]["tone"] == "danger"
    assert facts["Overdue"]["record_id"] == customer["id"]
    chinese = (await owner.get(facts_url, headers={"Accept-Language": "zh-CN"})).json()
    assert {f["label"] for f in chinese} >= {"应收", "已逾期"}
