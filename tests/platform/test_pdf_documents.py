"""Printable documents (tessera.plugin.PdfDocument): Chinese and English text that a PDF reader
gets back, the logo, page numbers, long tables over several pages, and a missing font."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from tessera.plugin import Block, Column, CompanyProfile, PdfDocument, PdfFontMissing
from tessera.plugin import pdf as pdf_module

COLUMNS = [
    Column("描述", 5),
    Column("数量", 1, "right"),
    Column("单价", 1.5, "right"),
    Column("金额", 1.5, "right"),
]


def png(width: int = 120, height: int = 60) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def company(logo: bytes | None = None) -> CompanyProfile:
    return CompanyProfile(
        legal_name="上海示例贸易有限公司",
        address="上海市浦东新区世纪大道100号\n200120",
        tax_id="91310000MA1K4XYZ",
        phone="+86 21 5555 0000",
        email="ar@example.cn",
        logo=logo,
    )


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def chinese_invoice(rows: int = 2, logo: bytes | None = None) -> PdfDocument:
    doc = PdfDocument("发票 INV/2026/00001", language="zh-CN", company=company(logo))
    doc.blocks(
        Block("客户", [("", "北京客户有限公司"), ("", "北京市朝阳区")]),
        Block("", [("日期", "2026-11-26"), ("到期日", "2026-12-26")]),
    )
    doc.table(COLUMNS, [[f"咨询服务第{i}项", "2", "100.00", "200.00"] for i in range(1, rows + 1)])
    doc.totals([("小计", "400.00"), ("税额", "52.00"), ("合计", "CNY 452.00")])
    doc.notes("请于到期日前付款。", heading="备注")
    return doc


def test_chinese_text_comes_back_out_of_the_pdf() -> None:
    data = chinese_invoice().render_now()

    assert data.startswith(b"%PDF-")
    [text] = pages_text(data)
    for printed in (
        "发票 INV/2026/00001",
        "上海示例贸易有限公司",
        "上海市浦东新区世纪大道100号",
        "税号: 91310000MA1K4XYZ",
        "电话: +86 21 5555 0000",
        "邮箱: ar@example.cn",
        "北京客户有限公司",
        "到期日",
        "咨询服务第2项",
        "合计",
        "CNY 452.00",
        "请于到期日前付款。",
        "第 1 页，共 1 页",
    ):
        assert printed in text, printed
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is not None
    assert reader.metadata.title == "发票 INV/2026/00001"
    assert reader.metadata.author == "上海示例贸易有限公司"


def test_english_documents_label_in_english() -> None:
    doc = PdfDocument(
        "Quotation Q/2026/00007",
        language="en",
        company=CompanyProfile("Acme Ltd", tax_id="GB123", email="sales@acme.test"),
    )
    doc.key_values([("Valid until", "2026-12-31")], heading="Terms")
    doc.table([Column("Item", 3), Column("Amount", 1, "right")], [["Widgets", "1,234.50"]])
    [text] = pages_text(doc.render_now())

    for printed in ("Quotation Q/2026/00007", "Tax ID: GB123", "Email: sales@acme.test",
                    "Valid until", "Widgets", "1,234.50", "Page 1 of 1"):  # fmt: skip
        assert printed in text, printed
    assert "税号" not in text


def test_the_logo_is_embedded() -> None:
    with_logo = chinese_invoice(logo=png(240, 80)).render_now()
    without = chinese_invoice().render_now()

    [page] = PdfReader(io.BytesIO(with_logo)).pages
    [image] = page.images
    assert image.image is not None
    assert image.image.size == (240, 80)
    assert len(PdfReader(io.BytesIO(without)).pages[0].images) == 0


def test_a_long_table_runs_over_pages_with_its_headings_and_numbers() -> None:
    texts = pages_text(chinese_invoice(rows=80, logo=png()).render_now())

    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert f"第 {number} 页，共 {len(texts)} 页" in text
        assert "描述" in text  # the headings repeat on every page
        assert "上海示例贸易有限公司" in text  # so does the letterhead
    assert "咨询服务第80项" in texts[-1]
    assert "咨询服务第1项" not in texts[-1]


async def test_render_works_off_the_event_loop() -> None:
    doc = PdfDocument("Report", language="en")
    doc.heading("Sales by month")
    doc.paragraph("Figures in CNY.")
    [text] = pages_text(await doc.render())
    assert "Sales by month" in text
    assert "Figures in CNY." in text


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    doc = PdfDocument("x")
    with pytest.raises(ValueError, match="row 2 has 1 cells for 4 columns"):
        doc.table(COLUMNS, [["a", "1", "1", "1"], ["b"]])
    with pytest.raises(ValueError, match="at least one column"):
        doc.table([], [])


def test_a_missing_font_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pdf_module, "FONT_PATHS", (tmp_path / "absent.ttc",))
    with pytest.raises(PdfFontMissing, match="apt-get install -y fonts-wqy-microhei"):
        PdfDocument("x").render_now()


@pytest.mark.parametrize(
    ("locale", "language"),
    [("zh", "zh"), ("zh-CN", "zh"), ("zh_Hans", "zh"), ("en", "en"), ("en-GB", "en"), ("de", "en")],
)
def test_languages(locale: str, language: str) -> None:
    assert PdfDocument("x", language=locale).language == language
