"""A report as a sheet of rows, written to XLSX (openpyxl) or PDF (the platform's printable
documents). Amounts stay numbers in a workbook, so the spreadsheet can add them up."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import anyio
import openpyxl
from litestar import Response
from openpyxl.cell import Cell as XlsxCell
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from tessera.plugin import Column, CompanyProfile, PdfDocument

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = str | Decimal | None


@dataclass(frozen=True, slots=True)
class Sheet:
    """A report laid out for a file: a title, its parameters, columns and rows. A row whose
    first cell is a section heading has nothing else; ``bold`` rows are totals."""

    name: str
    title: str
    parameters: Sequence[tuple[str, str]]
    columns: Sequence[str]
    #: Columns holding amounts (right-aligned, numbers in a workbook).
    amount_columns: frozenset[int]
    rows: list[tuple[Sequence[Cell], bool]] = field(default_factory=list)

    def add(self, cells: Sequence[Cell], *, bold: bool = False) -> None:
        padding = [None] * (len(self.columns) - len(cells))
        self.rows.append(([*cells, *padding], bold))


def amount_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return value


def _xlsx_bytes(sheet: Sheet) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    page = workbook.create_sheet(sheet.name[:31])
    bold = Font(bold=True)

    def cell(value: Cell, strong: bool = False) -> XlsxCell:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        # openpyxl writes a Decimal as the number it is; its stubs only name float.
        made = WriteOnlyCell(page, value=value)  # type: ignore[arg-type]
        if isinstance(value, str):
            # Text stays text even if it starts with '=': openpyxl would store a formula.
            made.data_type = "s"
        elif value is not None:
            made.number_format = "#,##0.00"
        if strong:
            made.font = bold
        return made

    page.append([cell(sheet.title, True)])
    for label, value in sheet.parameters:
        page.append([cell(label), cell(value)])
    page.append([])
    page.append([cell(name, True) for name in sheet.columns])
    for cells, strong in sheet.rows:
        page.append([cell(value, strong) for value in cells])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _filename(sheet: Sheet, extension: str) -> str:
    return f"{sheet.name}-{datetime.now(UTC).date().isoformat()}.{extension}"


def _download(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def xlsx_response(sheet: Sheet) -> Response[bytes]:
    content = await anyio.to_thread.run_sync(_xlsx_bytes, sheet)
    return _download(content, XLSX_TYPE, _filename(sheet, "xlsx"))


async def pdf_response(sheet: Sheet, language: str, company: CompanyProfile) -> Response[bytes]:
    document = PdfDocument(sheet.title, language=language, company=company)
    document.key_values(sheet.parameters)
    columns = [
        Column(name, 1.0 if index in sheet.amount_columns else 2.0, "right")
        if index in sheet.amount_columns
        else Column(name, 1.0 if index == 0 else 2.5)
        for index, name in enumerate(sheet.columns)
    ]
    document.table(
        columns,
        [[amount_text(value) for value in cells] for cells, _ in sheet.rows],
    )
    return _download(await document.render(), "application/pdf", _filename(sheet, "pdf"))
