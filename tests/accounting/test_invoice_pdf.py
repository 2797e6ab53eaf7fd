"""The invoice PDF: Chinese or English by ?lang= or the request's language, the letterhead with
the logo, the lines and totals a reader extracts back; and who may print it."""

from __future__ import annotations

import io

import httpx
from PIL import Image
from pypdf import PdfReader

from tests.accounting.documents_support import API, books, line, partner, posted
from tests.accounting.test_payments import pay
from tests.support import LiveServer, join, make_client


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (90, 30), (0, 80, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


async def test_an_invoice_prints_in_chinese_with_the_letterhead(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    profile = await owner.client.patch(
        "/api/v1/company",
        json={"legal_name": "上海示例贸易有限公司", "tax_id": "91310000MA1K4XYZ",
              "address": "上海市浦东新区世纪大道100号"},
        headers=owner.headers,
    )  # fmt: skip
    assert profile.status_code == 200, profile.text
    logo = await owner.client.put(
        "/api/v1/company/logo",
        params={"filename": "logo.png"},
        content=_png(),
        headers={**owner.headers, "Content-Type": "image/png"},
    )
    assert logo.status_code == 200, logo.text
    customer = await partner(owner, name="北京客户有限公司", address="北京市朝阳区")
    made = await posted(
        owner,
        customer["id"],
        line("1000.00", "2", description="咨询服务", tax="VAT-S"),
        notes="请于到期日前付款。",
    )
    assert (await pay(owner, customer["id"], "500.00", (made["id"], "500.00"))).status_code == 201

    got = await owner.get(f"{API}/invoices/{made['id']}/pdf", params={"lang": "zh"})
    text = _text(got)
    for printed in (
        f"发票 {made['number']}", "上海示例贸易有限公司", "税号: 91310000MA1K4XYZ",
        "北京客户有限公司", "北京市朝阳区", "咨询服务", "2,000.00", "不含税金额", "税额", "200.00",
        "CNY 2,200.00", "应付余额", "CNY 1,700.00", "部分付款", "销项税", "1,000.00", "请于到期日前付款。", "第 1 页，共 1 页",
    ):  # fmt: skip
        assert printed in text, printed
    [page] = PdfReader(io.BytesIO(got.content)).pages
    assert len(page.images) == 1
    assert (
        f'filename="{made["number"].replace("/", "-")}.pdf"' in got.headers["content-disposition"]
    )


async def test_the_language_follows_the_request(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    made = await posted(owner, (await partner(owner))["id"], line("10.00"))
    url = f"{API}/invoices/{made['id']}/pdf"
    english = _text(await owner.get(url))
    assert f"Invoice {made['number']}" in english
    assert "Page 1 of 1" in english
    chinese = _text(await owner.get(url, headers={"Accept-Language": "zh-CN,zh;q=0.9"}))
    assert f"发票 {made['number']}" in chinese
    # ?lang= wins over the header.
    assert "Untaxed amount" in _text(
        await owner.get(url, params={"lang": "en"}, headers={"Accept-Language": "zh-CN"})
    )
    assert (await owner.get(url, params={"lang": "fr"})).status_code == 400


async def test_a_draft_prints_as_a_draft(client: httpx.AsyncClient) -> None:
    owner = await books(client)
    customer = await partner(owner)
    draft = await owner.post(
        f"{API}/invoices",
        json={"kind": "customer", "partner_id": customer["id"], "lines": [line("5.00")]},
    )
    text = _text(await owner.get(f"{API}/invoices/{draft.json()['id']}/pdf"))
    assert "Draft invoice" in text


async def test_members_without_the_permission_cannot_print(
    live_server: LiveServer, client: httpx.AsyncClient
) -> None:
    owner = await books(client)
    made = await posted(owner, (await partner(owner))["id"], line("10.00"))
    async with make_client(live_server) as member_client:
        member = await join(live_server, owner, member_client, role="member")
        refused = await member.get(f"{API}/invoices/{made['id']}/pdf")
        assert refused.status_code == 403
