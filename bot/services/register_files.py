"""The register as a file: write it as .xlsx (openpyxl) or .csv, read an imported one back."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from enum import StrEnum

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from bot.domain.register import COLUMNS, read_headers

Cell = str | int
SHEET_TITLE = "Sổ tiếp công dân"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
HEADER_SEARCH_ROWS = 10  # a register may have a title or two above its header row
_FORMULA_START = ("=", "+", "-", "@")
_WIDTHS = {"serial": 6, "received_on": 12, "name_address": 32, "cccd": 16, "summary": 48,
           "notes": 24}


class FileFormat(StrEnum):
    """The kinds of file the register is exported to and imported from."""

    XLSX = "xlsx"
    CSV = "csv"

    @property
    def mime_type(self) -> str:
        """Return the MIME type of the format."""
        return XLSX_MIME if self is FileFormat.XLSX else CSV_MIME


class TableError(ValueError):
    """A file that cannot be read as a table (not .xlsx/.csv, damaged, not UTF-8)."""


def headers() -> list[str]:
    """Return the register's column headers, in order."""
    return [column.header for column in COLUMNS]


def write(fmt: FileFormat, rows: Iterable[Sequence[Cell]]) -> bytes:
    """Return the register rows, under the header row, as a file of ``fmt``."""
    return write_xlsx(rows) if fmt is FileFormat.XLSX else write_csv(rows)


def write_xlsx(rows: Iterable[Sequence[Cell]]) -> bytes:
    """Return the register as an Excel workbook of one sheet, the header on row 1."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    for index, column in enumerate(COLUMNS):
        letter = _letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS.get(column.key, 16)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for text in headers():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cell.alignment = wrap
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # Text is text: "=..." typed by a citizen must never become a formula.
                cell.data_type = "s"
            cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _letter(index: int) -> str:
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _safe_csv(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        # Excel would run it as a formula (CSV injection); the quote shows it as text.
        return "'" + value
    return value


def write_csv(rows: Iterable[Sequence[Cell]]) -> bytes:
    """Return the register as CSV in UTF-8 with a BOM, so that Excel reads the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers())
    for row in rows:
        writer.writerow([_safe_csv(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


# -- reading --------------------------------------------------------------------------------


def read_table(filename: str, content: bytes) -> list[tuple[int, list[object]]]:
    """Return the rows of an .xlsx or .csv file from its header row on, with row numbers."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.endswith(".csv"):
        rows = _csv_rows(content)
    else:
        raise TableError("the file must be .xlsx or .csv")
    for position, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = read_headers(cells)
        if isinstance(found, dict) or sum(
                1 for cell in cells if cell is not None and str(cell).strip()) >= 3:
            return rows[position:]
    raise TableError("no header row")


def _xlsx_rows(content: bytes) -> list[tuple[int, list[object]]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise TableError("not a readable .xlsx file") from exc
    try:
        sheet = book.worksheets[0]
        return [(number, list(values))
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _csv_rows(content: bytes) -> list[tuple[int, list[object]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError("a .csv file must be UTF-8") from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    rows: list[tuple[int, list[object]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Numbered by record, as a spreadsheet shows them (a cell may span several lines).
        for number, cells in enumerate(reader, start=1):
            rows.append((number, [_unquote(cell) for cell in cells]))
    except csv.Error as exc:
        raise TableError("not a readable .csv file") from exc
    return rows


def _unquote(cell: str) -> str:
    if cell.startswith("'") and cell[1:].startswith(_FORMULA_START):
        return cell[1:]
    return cell
