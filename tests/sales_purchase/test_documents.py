"""Quotations and orders print as PDF under the tenant's letterhead, in English or Chinese."""

from __future__ import annotations

import io

import httpx
from pypdf import PdfReader

from tests.sales_purchase.support import (
    PURCHASES,
    SALES,
    erp_tenant,
    line,
    needs_invoicing,
    ok,
    product,
    quotation,
    rfq,
    stock_up,
)

pytestmark = needs_invoicing


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def test_a_quotation_prints_in_english_and_chinese(client: httpx.AsyncClient) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, name="Longjing 龙井", sale_price="12.50")
    made = await quotation(owner, line(tea["id"], "4"), partner={"name": "Acme 有限公司"})
    english = await owner.get(f"{SALES}/{made['id']}/pdf")
    assert english.status_code == 200 and english.headers["content-type"] == "application/pdf"
    text = _text(english.content)
    assert "Quotation" in text and made["quotation_number"] in text
    assert "Acme 有限公司" in text and "Longjing 龙井" in text and "50.00" in text
    in_chinese = await owner.get(f"{SALES}/{made['id']}/pdf", params={"lang": "zh"})
    assert in_chinese.status_code == 200, in_chinese.text
    assert made["quotation_number"].replace("/", "-") in in_chinese.headers["content-disposition"]
    chinese = _text(in_chinese.content)
    assert "报价单" in chinese and "合计" in chinese and "Quotation" not in chinese
    await stock_up(owner, tea["id"], "4")
    confirmed = await ok(await owner.post(f"{SALES}/{made['id']}/confirm"))
    ordered = _text((await owner.get(f"{SALES}/{made['id']}/pdf")).content)
    assert "Sales order" in ordered and confirmed["number"] in ordered
    assert (await owner.get(f"{SALES}/{made['id']}/pdf", params={"lang": "xx"})).status_code in (
        400,
        422,
    )


async def test_a_purchase_order_prints(client: httpx.AsyncClient) -> None:
    owner = await erp_tenant(client)
    tea = await product(owner, purchase_price="3.00")
    made = await rfq(owner, line(tea["id"], "10"))
    printed = _text((await owner.get(f"{PURCHASES}/{made['id']}/pdf")).content)
    assert "Request for quotation" in printed and made["rfq_number"] in printed
    assert "30.00" in printed
