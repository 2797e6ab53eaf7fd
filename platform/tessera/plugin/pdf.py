"""Printable documents: a quotation, an order, an invoice or a report as a PDF, in English or
Chinese, under the tenant's letterhead::

    company = await company_profile(uow, actor.tenant)
    doc = PdfDocument("Invoice INV/2026/00001", language="zh", company=company)
    doc.blocks(Block("Bill to", [("", "Acme Ltd"), ("", "1 Main St")]),
               Block("", [("Date", "2026-11-26"), ("Due", "2026-12-26")]))
    doc.table([Column("Description", 4), Column("Amount", 1, "right")], [["Widgets", "10.00"]])
    doc.totals([("Subtotal", "10.00"), ("Total", "CNY 10.00")])
    doc.notes("Thank you.", heading="Notes")
    return Response(await doc.render(), media_type="application/pdf")

The caller passes every text already in the document's language (its own catalogue); the
document translates only what it writes itself (page numbers, "Tax ID" …). Amounts are text:
format them with the currency's minor units before they get here.

One font covers Latin and CJK text (WenQuanYi Micro Hei, Debian's ``fonts-wqy-microhei``;
see docs/decisions.md, decision 46). Where it is missing, rendering fails with
:class:`PdfFontMissing`, which says what to install.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import anyio
from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableBordersLayout, WrapMode, XPos, YPos

#: Where the font is looked for, in order (Debian's package first).
FONT_PATHS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/local/share/fonts/wqy-microhei.ttc"),
)
FONT_PACKAGE = "fonts-wqy-microhei"
_FAMILY = "tessera"

Alignment = Literal["left", "center", "right"]
_ALIGN: dict[Alignment, Align] = {"left": Align.L, "center": Align.C, "right": Align.R}

# Page geometry, in millimetres (A4).
_MARGIN = 15.0
_LOGO_HEIGHT = 18.0
_FOOTER_Y = -12.0

# Colours: body text, secondary text, rules, table heading fill.
_INK = (33, 37, 41)
_MUTED = (108, 117, 125)
_RULE = (206, 212, 218)
_FILL = (241, 243, 245)

#: What the document writes itself, by language; the caller's texts come translated.
_LABELS: dict[str, dict[str, str]] = {
    "en": {"page": "Page {page} of {pages}", "tax_id": "Tax ID", "phone": "Tel", "email": "Email"},
    "zh": {"page": "第 {page} 页，共 {pages} 页", "tax_id": "税号", "phone": "电话", "email": "邮箱"},
}  # fmt: skip


class PdfFontMissing(RuntimeError):
    """The font documents are printed in is not installed: an operator's fix, not a user's."""

    def __init__(self) -> None:
        looked = ", ".join(str(p) for p in FONT_PATHS)
        super().__init__(
            f"No font for printable documents: looked for {looked}. "
            f"Install Debian's {FONT_PACKAGE} (apt-get install -y {FONT_PACKAGE})."
        )


def font_path() -> Path:
    """The font file documents are printed in; :class:`PdfFontMissing` if there is none."""
    for path in FONT_PATHS:
        if path.is_file():
            return path
    raise PdfFontMissing()


@dataclass(frozen=True, slots=True)
class CompanyProfile:
    """The tenant's letterhead, as :func:`tessera.plugin.company_profile` reads it."""

    legal_name: str
    address: str = ""
    tax_id: str = ""
    phone: str = ""
    email: str = ""
    #: PNG or JPEG bytes (checked when uploaded), or None.
    logo: bytes | None = None


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its heading, its share of the width, how its cells align."""

    heading: str
    width: float = 1.0
    align: Alignment = "left"


@dataclass(frozen=True, slots=True)
class Block:
    """Labelled values under an optional heading; a pair with an empty label is a plain line
    (a name, an address line)."""

    heading: str
    pairs: Sequence[tuple[str, str]] = field(default_factory=tuple)


def language_of(language: str) -> str:
    """``zh``, ``zh-CN``, ``zh-Hans`` … print in Chinese; anything else in English."""
    return "zh" if language.lower().split("-")[0].split("_")[0] == "zh" else "en"


class _Pdf(FPDF):
    """fpdf2 with the letterhead as every page's header and page numbers as its footer."""

    def __init__(self, title: str, language: str, company: CompanyProfile | None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc_title = title
        self.labels = _LABELS[language]
        self.company = company
        # One face: the font has no bold, so emphasis comes from size and colour.
        path = font_path()
        self.add_font(_FAMILY, "", path, collection_font_number=0)
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_title(title)
        self.set_lang("zh-CN" if language == "zh" else "en")
        self.set_creator("Tessera")
        if company is not None:
            self.set_author(company.legal_name)

    def header(self) -> None:
        top = self.t_margin
        text_x = self.l_margin
        if self.company is not None and self.company.logo:
            shown = self.image(
                io.BytesIO(self.company.logo), x=self.l_margin, y=top, h=_LOGO_HEIGHT
            )
            text_x += float(shown.rendered_width) + 4
        self._title(top)
        bottom = self._letterhead(text_x, top)
        self.set_y(max(bottom, top + _LOGO_HEIGHT) + 3)
        self.set_draw_color(*_RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_y(self.get_y() + 5)
        self.set_text_color(*_INK)
        self.set_font(_FAMILY, size=10)

    def _title(self, top: float) -> None:
        self.set_xy(self.w / 2, top)
        self.set_font(_FAMILY, size=18)
        self.set_text_color(*_INK)
        self.multi_cell(self.w / 2 - self.r_margin, 8, self.doc_title, align=Align.R)

    def _letterhead(self, x: float, top: float) -> float:
        """The company's name and particulars from ``x``; returns where they end."""
        if self.company is None:
            return top
        width = self.w / 2 - x - 2
        self.set_xy(x, top)
        self.set_font(_FAMILY, size=13)
        self.set_text_color(*_INK)
        self.multi_cell(width, 6, self.company.legal_name, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(_FAMILY, size=8.5)
        self.set_text_color(*_MUTED)
        for line in self._particulars():
            self.multi_cell(width, 4, line, new_x=XPos.LEFT, new_y=YPos.NEXT)
        return self.get_y()

    def _particulars(self) -> list[str]:
        company = self.company
        assert company is not None
        lines = [line for line in company.address.splitlines() if line.strip()]
        labelled = [
            ("tax_id", company.tax_id),
            ("phone", company.phone),
            ("email", company.email),
        ]
        lines += [f"{self.labels[key]}: {value}" for key, value in labelled if value]
        return lines

    def footer(self) -> None:
        self.set_y(_FOOTER_Y)
        self.set_font(_FAMILY, size=8)
        self.set_text_color(*_MUTED)
        # The alias is replaced by the page count once the last page is known.
        pages = str(self.str_alias_nb_pages)
        self.cell(0, 5, self.labels["page"].format(page=self.page_no(), pages=pages), align=Align.C)

    @property
    def content_width(self) -> float:
        return float(self.w - self.l_margin - self.r_margin)


class PdfDocument:
    """A printable document, described top to bottom, then rendered to PDF bytes.

    ``language`` is a locale (``en``, ``zh-CN`` …): Chinese for ``zh*``, else English. Each
    method adds below what is already there; a long table continues on the next page with its
    headings repeated. Nothing is drawn until :meth:`render`, which does the work (a few
    hundred milliseconds, most of it reading the font) in a worker thread so a server's other
    requests go on meanwhile; :meth:`render_now` does it in the caller's thread (jobs, tests).
    """

    def __init__(
        self, title: str, *, language: str = "en", company: CompanyProfile | None = None
    ) -> None:
        self.title = title
        self.language = language_of(language)
        self.company = company
        self._steps: list[Callable[[_Pdf], None]] = []

    def heading(self, text: str) -> None:
        self._steps.append(lambda pdf: _heading(pdf, text))

    def paragraph(self, text: str) -> None:
        self._steps.append(lambda pdf: _paragraph(pdf, text))

    def key_values(self, pairs: Sequence[tuple[str, str]], *, heading: str = "") -> None:
        """Labelled values across the page's width."""
        self.blocks(Block(heading, tuple(pairs)))

    def blocks(self, *blocks: Block) -> None:
        """Blocks side by side (a customer's address beside the document's date and number),
        sharing the page's width; what follows starts below the longest."""
        if blocks:
            self._steps.append(lambda pdf: _blocks(pdf, blocks))

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        """A table of lines; each row has one text per column."""
        if not columns:
            raise ValueError("a table needs at least one column")
        for number, row in enumerate(rows, start=1):
            if len(row) != len(columns):
                raise ValueError(f"row {number} has {len(row)} cells for {len(columns)} columns")
        fixed_columns = tuple(columns)
        fixed_rows = tuple(tuple(row) for row in rows)
        wrap = WrapMode.CHAR if self.language == "zh" else WrapMode.WORD
        self._steps.append(lambda pdf: _table(pdf, fixed_columns, fixed_rows, wrap))

    def totals(self, pairs: Sequence[tuple[str, str]], *, emphasise_last: bool = True) -> None:
        """Labelled amounts at the right (subtotal, tax, total …); the last one larger."""
        fixed = tuple(pairs)
        self._steps.append(lambda pdf: _totals(pdf, fixed, emphasise_last))

    def notes(self, text: str, *, heading: str = "") -> None:
        """Free text at the end (payment instructions, terms)."""
        self._steps.append(lambda pdf: _notes(pdf, text, heading))

    def render_now(self) -> bytes:
        """The document's PDF bytes, made in this thread."""
        pdf = _Pdf(self.title, self.language, self.company)
        pdf.add_page()
        for step in self._steps:
            step(pdf)
        return bytes(pdf.output())

    async def render(self) -> bytes:
        """The document's PDF bytes, made in a worker thread."""
        return await anyio.to_thread.run_sync(self.render_now)


# --- drawing --------------------------------------------------------------------------------


def _heading(pdf: _Pdf, text: str) -> None:
    pdf.ln(2)
    pdf.set_font(_FAMILY, size=12)
    pdf.set_text_color(*_INK)
    pdf.multi_cell(pdf.content_width, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _paragraph(pdf: _Pdf, text: str) -> None:
    pdf.set_font(_FAMILY, size=10)
    pdf.set_text_color(*_INK)
    pdf.multi_cell(pdf.content_width, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _blocks(pdf: _Pdf, blocks: Sequence[Block]) -> None:
    top = pdf.get_y()
    gap = 6.0
    width = (pdf.content_width - gap * (len(blocks) - 1)) / len(blocks)
    bottoms = [
        _block(pdf, block, pdf.l_margin + index * (width + gap), top, width)
        for index, block in enumerate(blocks)
    ]
    pdf.set_xy(pdf.l_margin, max(bottoms) + 4)


def _block(pdf: _Pdf, block: Block, x: float, top: float, width: float) -> float:
    """Draw one block from ``(x, top)``; returns where it ends."""
    pdf.set_xy(x, top)
    if block.heading:
        pdf.set_font(_FAMILY, size=9)
        pdf.set_text_color(*_MUTED)
        pdf.multi_cell(width, 5, block.heading, new_x=XPos.LEFT, new_y=YPos.NEXT)
    label_width = width * 0.4
    pdf.set_font(_FAMILY, size=10)
    for label, value in block.pairs:
        line_top = pdf.get_y()
        if not label:
            pdf.set_text_color(*_INK)
            pdf.multi_cell(width, 5, value, new_x=XPos.LEFT, new_y=YPos.NEXT)
            continue
        pdf.set_text_color(*_MUTED)
        pdf.multi_cell(label_width, 5, label, new_x=XPos.LEFT, new_y=YPos.NEXT)
        label_bottom = pdf.get_y()
        pdf.set_xy(x + label_width, line_top)
        pdf.set_text_color(*_INK)
        pdf.multi_cell(width - label_width, 5, value, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_xy(x, max(pdf.get_y(), label_bottom))
    return float(pdf.get_y())


def _table(
    pdf: _Pdf,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    wrap: WrapMode,
) -> None:
    pdf.set_font(_FAMILY, size=9.5)
    pdf.set_text_color(*_INK)
    pdf.set_draw_color(*_RULE)
    with pdf.table(
        width=pdf.content_width,
        col_widths=tuple(c.width for c in columns),
        text_align=tuple(_ALIGN[c.align] for c in columns),
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=FontFace(emphasis="", color=_MUTED, fill_color=_FILL),
        line_height=6,
        padding=(1, 1.5),
        wrapmode=wrap,
    ) as table:
        heading = table.row()
        for column in columns:
            heading.cell(column.heading)
        for values in rows:
            line = table.row()
            for value in values:
                line.cell(value)
    pdf.ln(3)


def _totals(pdf: _Pdf, pairs: Sequence[tuple[str, str]], emphasise_last: bool) -> None:
    value_width, label_width = 40.0, 50.0
    x = pdf.w - pdf.r_margin - value_width - label_width
    for index, (label, value) in enumerate(pairs):
        last = emphasise_last and index == len(pairs) - 1
        height = 7 if last else 6
        if last:
            pdf.set_draw_color(*_RULE)
            pdf.line(x, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.set_font(_FAMILY, size=12 if last else 10)
        pdf.set_x(x)
        pdf.set_text_color(*(_INK if last else _MUTED))
        pdf.cell(label_width, height, label, align=Align.R)
        pdf.set_text_color(*_INK)
        pdf.cell(value_width, height, value, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _notes(pdf: _Pdf, text: str, heading: str) -> None:
    if heading:
        pdf.set_font(_FAMILY, size=9)
        pdf.set_text_color(*_MUTED)
        pdf.multi_cell(pdf.content_width, 5, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _paragraph(pdf, text)
