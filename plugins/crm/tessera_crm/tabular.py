"""Files of imports and exports: CSV (UTF-8, comma, semicolon or tab) and XLSX (the first sheet).

Reading gives a :class:`Table`: the header and every non-blank row with the line it starts on,
all as text. A file that cannot be read as a table is the client's problem (:class:`BadFile`,
400) or too big (:class:`TooLarge`, 413); nothing here touches the database.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO, Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from tessera.plugin import DomainError

#: Limits of one import: the file as decoded, its rows (without the header) and columns.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
#: What an XLSX (a zip) may unpack to: a few megabytes of zip can hold gigabytes of XML.
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
#: Ragged lines named in the problem, at most.
MAX_NAMED_LINES = 20
DELIMITERS = (",", ";", "\t")
#: A cell starting like this is a formula to a spreadsheet: exports defuse it (OWASP's advice).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: ... unless it is plainly a number or a phone number, which no spreadsheet runs.
_NUMBER_LIKE = re.compile(r"[0-9+()./ x-]*")


class BadFile(DomainError):
    status, code, title = 400, "bad-file", "The file cannot be read"


class TooLarge(DomainError):
    status, code, title = 413, "too-large", "Too large"


@dataclass(frozen=True, slots=True)
class Table:
    header: list[str]
    #: (line, cells): the line of the file (or row of the sheet) the row starts on.
    rows: list[tuple[int, list[str]]]
    #: The header's line: 1 unless blank lines come before it.
    header_line: int = 1


def decode_content(content: str, *, base64_encoded: bool) -> bytes | str:
    """The file as sent: text as it is, or the bytes of a base64 string; 413 past the size cap."""
    if not base64_encoded:
        if len(content) > MAX_BYTES or len(content.encode()) > MAX_BYTES:
            raise _too_large()
        return content
    if len(content) > (MAX_BYTES + 2) // 3 * 4 + 4:
        raise _too_large()
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise BadFile("The content is not valid base64.") from None
    if len(data) > MAX_BYTES:
        raise _too_large()
    return data


def _too_large() -> TooLarge:
    return TooLarge(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it.")


def read_csv(content: bytes | str) -> Table:
    """A CSV file as UTF-8 (a byte order mark is dropped), its delimiter guessed from the header."""
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = content[: exc.start].count(b"\n") + 1
            raise BadFile(
                f"The file is not UTF-8 text (line {line}, byte {exc.start}); save it as UTF-8."
            ) from None
    else:
        text = content
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise BadFile(f"Line {line} holds a NUL character: this is not a text file.")
    if "\ufffd" in text:
        # A client that read a non-UTF-8 file as text put this in for every byte it could
        # not decode: the values would be stored garbled.
        line = text[: text.index("\ufffd")].count("\n") + 1
        raise BadFile(
            f"The file was not UTF-8 text when it was read (line {line} holds the replacement "
            "character '\ufffd'); save it as UTF-8, or send its bytes base64-encoded."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    header: list[str] | None = None
    header_line = 1
    rows: list[tuple[int, list[str]]] = []
    ragged: list[int] = []
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_line = _header(cells), line
                continue
            if len(cells) != len(header):
                ragged.append(line)
            rows.append((line, cells))
            _check_rows(rows)
    except csv.Error as exc:
        raise BadFile(f"The CSV breaks off at line {reader.line_num}: {exc}.") from None
    if header is None:
        raise BadFile("The file is empty: it needs a header row naming the columns.")
    if ragged:
        shown = ", ".join(str(line) for line in ragged[:MAX_NAMED_LINES])
        raise BadFile(
            f"{len(ragged)} row(s) do not have the {len(header)} cells of the header (lines "
            f"{shown}{' …' if len(ragged) > MAX_NAMED_LINES else ''}): a delimiter is missing "
            "or extra, or a quote is not closed.",
            extensions={"lines": ragged[:MAX_NAMED_LINES]},
        )
    return Table(header, rows, header_line)


def _delimiter(text: str) -> str:
    """The delimiter used most often outside quotes in the first line; a comma by default."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text[:65_536]:
        if char == '"':
            quoted = not quoted
        elif char == "\n" and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header(cells: Sequence[str]) -> list[str]:
    header = [cell.strip() for cell in cells]
    if len(header) > MAX_COLUMNS:
        raise BadFile(f"The file has {len(header)} columns; at most {MAX_COLUMNS} are read.")
    seen: set[str] = set()
    for name in header:
        if name and name.casefold() in seen:
            raise BadFile(f"The header names the column {name!r} twice.")
        seen.add(name.casefold())
    return header


def _check_rows(rows: list[tuple[int, list[str]]]) -> None:
    if len(rows) > MAX_ROWS:
        raise TooLarge(f"The file has more than {MAX_ROWS} rows; split it.")


def read_xlsx(data: bytes | str) -> Table:
    """The first sheet of an XLSX workbook; numbers, dates and booleans become text."""
    if isinstance(data, str):
        raise BadFile("An XLSX file is sent base64-encoded.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise BadFile("The file is not an XLSX workbook (it is not even a zip archive).") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise TooLarge(
            f"The workbook unpacks to more than {MAX_XLSX_UNPACKED // (1024 * 1024)} MB; split it."
        )
    try:
        return _first_sheet(data)
    except (BadFile, TooLarge):
        raise
    except Exception as exc:
        # openpyxl raises many kinds of errors for a damaged workbook; each means the same.
        raise BadFile(
            f"The workbook cannot be read ({type(exc).__name__}); save it again as .xlsx."
        ) from None


def _first_sheet(data: bytes) -> Table:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if not workbook.worksheets:
            raise BadFile("The workbook has no sheet.")
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        header_line = 1
        rows: list[tuple[int, list[str]]] = []
        ragged: list[int] = []
        for line, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            cells = [cell_text(value) for value in values]
            if any("\x00" in cell for cell in cells):
                raise BadFile(f"Row {line} holds a NUL character, which cannot be stored.")
            while cells and not cells[-1].strip():
                cells.pop()
            if not cells:
                continue
            if header is None:
                header, header_line = _header(cells), line
                continue
            if len(cells) > len(header):
                ragged.append(line)
            rows.append((line, cells + [""] * (len(header) - len(cells))))
            _check_rows(rows)
    finally:
        workbook.close()
    if header is None:
        raise BadFile("The first sheet is empty: it needs a header row naming the columns.")
    if ragged:
        shown = ", ".join(str(line) for line in ragged[:MAX_NAMED_LINES])
        raise BadFile(
            f"{len(ragged)} row(s) have values right of the last column of the header "
            f"(rows {shown}).",
            extensions={"lines": ragged[:MAX_NAMED_LINES]},
        )
    return Table(header, rows, header_line)


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text an import parses."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Phone numbers typed into a spreadsheet are floats: 15550100000.0 is meant whole.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def defused(text: str) -> str:
    """``text`` for a CSV cell: a leading formula character gets a quote before it, so a
    spreadsheet shows the value instead of running it. Imports take the quote off again."""
    if text.startswith(FORMULA_START) and not _NUMBER_LIKE.fullmatch(text):
        return "'" + text
    return text


def undefused(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


class CsvWriter:
    """Rows to CSV text in chunks: a byte order mark first, so spreadsheets read it as UTF-8."""

    def __init__(self, header: Sequence[str]) -> None:
        self._buffer = io.StringIO()
        self._buffer.write("\ufeff")
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")
        self._writer.writerow(header)

    def write(self, rows: Sequence[Sequence[str]]) -> None:
        self._writer.writerows([[defused(cell) for cell in row] for row in rows])

    def take(self) -> bytes:
        """What was written since the last call."""
        chunk = self._buffer.getvalue().encode()
        self._buffer.seek(0)
        self._buffer.truncate()
        return chunk


class XlsxWriter:
    """Rows to a one-sheet workbook, kept on disk while it is written (openpyxl write-only)."""

    def __init__(self, title: str, header: Sequence[str]) -> None:
        self._workbook = openpyxl.Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(title[:31])
        self._sheet.append([self._cell(name) for name in header])

    def write(self, rows: Sequence[Sequence[str]]) -> None:
        for row in rows:
            self._sheet.append([self._cell(value) for value in row])

    def _cell(self, value: str) -> Cell:
        cell = WriteOnlyCell(self._sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        # A text cell even if it starts with '=': openpyxl would store a formula.
        cell.data_type = "s"
        return cell

    def save(self) -> IO[bytes]:
        """The finished workbook, as a file positioned at its start."""
        file = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
        self._workbook.save(file)
        file.seek(0)
        return file
