"""Taxes: the computation invoices use (tax_lines), rounding per currency, and the tax API."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from tessera_accounting.taxes import TaxRate, tax_lines

from tests.accounting.support import API, account_id, accounting_tenant

D = Decimal
VAT13 = TaxRate("VAT13", D("13"))


def test_exclusive_tax_is_added_to_the_amount() -> None:
    taxed = tax_lines(D("100.00"), [VAT13], False, "CNY")
    assert (taxed.untaxed, taxed.tax, taxed.total) == (D("100.00"), D("13.00"), D("113.00"))
    assert [(t.code, t.base, t.amount) for t in taxed.taxes] == [("VAT13", D("100.00"), D("13.00"))]


def test_inclusive_tax_is_taken_out_and_the_parts_add_up_exactly() -> None:
    taxed = tax_lines(D("113.00"), [VAT13], True, "CNY")
    assert (taxed.untaxed, taxed.tax, taxed.total) == (D("100.00"), D("13.00"), D("113.00"))
    # 10.00 / 1.13 = 8.849..., the tax takes the rest.
    odd = tax_lines(D("10.00"), [VAT13], True, "CNY")
    assert (odd.untaxed, odd.tax, odd.total) == (D("8.85"), D("1.15"), D("10.00"))


@pytest.mark.parametrize(
    ("amount", "currency", "inclusive", "untaxed", "taxes", "total"),
    [
        # Half away from zero on each tax: 0.05 x 13% = 0.0065 -> 0.01.
        ("0.05", "CNY", False, "0.05", ["0.01"], "0.06"),
        # Yen has no minor unit.
        ("1000", "JPY", False, "1000", ["130"], "1130"),
        ("999", "JPY", True, "884", ["115"], "999"),
        # Two taxes on the same base (13% and 1.5%); included: the last takes the rounding.
        ("100.00", "CNY", False, "100.00", ["13.00", "1.50"], "114.50"),
        ("114.50", "CNY", True, "100.00", ["13.00", "1.50"], "114.50"),
        ("10.00", "CNY", True, "8.73", ["1.13", "0.14"], "10.00"),
        # A credit note: negative amounts round symmetrically.
        ("-100.00", "CNY", False, "-100.00", ["-13.00", "-1.50"], "-114.50"),
        # Three decimals in Kuwaiti dinar.
        ("1.000", "KWD", False, "1.000", ["0.130", "0.015"], "1.145"),
    ],
)
def test_rounding_per_currency(
    amount: str, currency: str, inclusive: bool, untaxed: str, taxes: list[str], total: str
) -> None:
    rates = [VAT13, TaxRate("LOCAL", D("1.5"))][: len(taxes)]
    taxed = tax_lines(D(amount), rates, inclusive, currency)
    assert taxed.untaxed == D(untaxed)
    assert [t.amount for t in taxed.taxes] == [D(x) for x in taxes]
    assert taxed.total == D(total) == taxed.untaxed + taxed.tax


def test_no_tax_leaves_the_amount_alone() -> None:
    taxed = tax_lines(D("12.345"), [], False, "CNY")
    assert (taxed.untaxed, taxed.tax, taxed.total, taxed.taxes) == (
        D("12.35"),
        D(0),
        D("12.35"),
        (),
    )


async def test_taxes_over_http(client: httpx.AsyncClient) -> None:
    owner = await accounting_tenant(client)
    output = await account_id(owner, "2100")
    body = {"code": "VAT6", "name_en": "Service VAT", "name_zh": "服务增值税", "kind": "sale",
            "rate": "6", "account_id": output}  # fmt: skip
    made = await owner.post(f"{API}/taxes", json=body)
    assert made.status_code == 201, made.text
    tax = made.json()
    assert (tax["rate"], tax["inclusive"], tax["name"]) == ("6.0000", False, "Service VAT")
    assert (await owner.post(f"{API}/taxes", json=body)).status_code == 409
    for field, value in (("rate", 6.5), ("rate", "-1"), ("kind", "gift")):
        bad = await owner.post(f"{API}/taxes", json={**body, "code": "X", field: value})
        assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, field)
    changed = await owner.client.patch(
        f"{API}/taxes/{tax['id']}", json={"rate": "9", "inclusive": True}, headers=owner.headers
    )
    assert (changed.json()["rate"], changed.json()["inclusive"]) == ("9.0000", True)
    zh = await owner.get(f"{API}/taxes/{tax['id']}", headers={"Accept-Language": "zh"})
    assert zh.json()["name"] == "服务增值税"
    computed = await owner.post(
        f"{API}/taxes/compute", json={"amount": "218.00", "currency": "CNY", "taxes": ["VAT6"]}
    )
    assert computed.status_code == 200, computed.text
    assert computed.json() == {
        "untaxed": "200.00", "tax": "18.00", "total": "218.00",
        "taxes": [{"code": "VAT6", "account_id": output, "base": "200.00", "amount": "18.00"}],
    }  # fmt: skip
    mixed = await owner.post(
        f"{API}/taxes/compute",
        json={"amount": "100", "currency": "CNY", "taxes": ["VAT6", "VAT-S"]},
    )
    assert (mixed.status_code, mixed.json()["errors"][0]["field"]) == (422, "inclusive")
    unknown = await owner.post(
        f"{API}/taxes/compute", json={"amount": "100", "currency": "CNY", "taxes": ["NOPE"]}
    )
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "taxes[0]")
    sales = (await owner.get(f"{API}/taxes", params={"kind": "sale"})).json()["items"]
    assert {t["code"] for t in sales} == {"VAT-S", "VAT6"}
