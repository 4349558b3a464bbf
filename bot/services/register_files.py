"""The register as a file: write it as .xlsx (openpyxl) or .csv, read an imported one back."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from enum import StrEnum

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from bot.domain.cells import csv_text, unquoted
from bot.domain.register import COLUMNS, read_headers
from bot.i18n import N_, _

Cell = str | int | date
DATE_FORMAT = "DD/MM/YYYY"  # how the workbook shows a date cell
SHEET_TITLE = "Sổ tiếp công dân"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
HEADER_SEARCH_ROWS = 10  # a register may have a title or two above its header row
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


class TableProblem(StrEnum):
    """Why a file cannot be read as a table."""

    NOT_A_TABLE = "the file must be .xlsx or .csv"
    BAD_XLSX = "not a readable .xlsx file"
    NOT_UTF8 = "a .csv file must be UTF-8"
    BAD_CSV = "not a readable .csv file"
    NO_HEADER = "no header row"
    EMPTY = "the file is empty"


_TABLE_PROBLEMS = {
    TableProblem.NOT_A_TABLE: N_("only .xlsx and .csv files can be imported"),
    TableProblem.BAD_XLSX: N_("it is not a readable .xlsx file (damaged, protected by a "
                              "password, or of another kind)"),
    TableProblem.NOT_UTF8: N_("a .csv file must be saved as UTF-8 (in Excel: «CSV UTF-8»)"),
    TableProblem.BAD_CSV: N_("it is not a readable .csv file"),
    TableProblem.NO_HEADER: N_("no header row with the register's columns was found"),
    TableProblem.EMPTY: N_("the file is empty"),
}


def table_problem_text(problem: TableProblem) -> str:
    """Say in the current language why the file cannot be read."""
    return _(_TABLE_PROBLEMS[problem])


class TableError(ValueError):
    """A file that cannot be read as a table (not .xlsx/.csv, damaged, not UTF-8)."""

    def __init__(self, problem: TableProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


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
            if isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=datetime.combine(value, time(0)))
                cell.number_format = DATE_FORMAT
            else:
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


def _safe_csv(value: Cell) -> object:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return csv_text(value)


def write_csv(rows: Iterable[Sequence[Cell]]) -> bytes:
    """Return the register as CSV in UTF-8 with a BOM, so that Excel reads the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers())
    for row in rows:
        writer.writerow([_safe_csv(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


# -- reading --------------------------------------------------------------------------------


def read_rows(filename: str, content: bytes) -> list[tuple[int, list[object]]]:
    """Return every row of an .xlsx (first sheet) or .csv file with its number as shown."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.endswith(".csv"):
        rows = _csv_rows(content)
    else:
        raise TableError(TableProblem.NOT_A_TABLE)
    if not any(_filled(cells) for _number, cells in rows):
        raise TableError(TableProblem.EMPTY)
    return rows


def _filled(cells: Sequence[object]) -> int:
    return sum(1 for cell in cells if cell is not None and str(cell).strip())


def read_table(filename: str, content: bytes) -> list[tuple[int, list[object]]]:
    """Return the rows of an .xlsx or .csv file from its header row on, with row numbers."""
    rows = read_rows(filename, content)
    for position, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = read_headers(cells)
        if isinstance(found, dict) or _filled(cells) >= 3:
            return rows[position:]
    raise TableError(TableProblem.NO_HEADER)


def _xlsx_rows(content: bytes) -> list[tuple[int, list[object]]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return [(number, list(values))
                    for number, values in enumerate(sheet.iter_rows(values_only=True),
                                                    start=1)]
        finally:
            book.close()
    # A damaged or foreign file fails deep inside openpyxl, zipfile or the XML parser, in
    # more ways than can be listed; each means the same to the person importing it.
    except Exception as exc:
        raise TableError(TableProblem.BAD_XLSX) from exc


def _csv_rows(content: bytes) -> list[tuple[int, list[object]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(TableProblem.NOT_UTF8) from exc
    if "\x00" in text:
        raise TableError(TableProblem.BAD_CSV)
    rows: list[tuple[int, list[object]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        # Numbered by record, as a spreadsheet shows them (a cell may span several lines).
        for number, cells in enumerate(reader, start=1):
            rows.append((number, [unquoted(cell) for cell in cells]))
    except csv.Error as exc:
        raise TableError(TableProblem.BAD_CSV) from exc
    return rows


def _delimiter(text: str) -> str:
    """Return the separator the header line uses most (Excel writes ; in some locales)."""
    header = _QUOTED.sub("", text.split("\n", 1)[0])
    return max(",;\t", key=header.count)


_QUOTED = re.compile(r'"[^"]*"')  # "Họ tên, địa chỉ": a comma inside a quoted header
