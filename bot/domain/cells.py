"""Spreadsheet cells holding people's text: text stays text (no formula injection).

A citizen may type «=HYPERLINK(...)», «@SUM(...)» or «+1-2». Excel runs a cell that starts
with one of these signs as a formula; in an .xlsx file such text is written as a string
cell, and in a .csv file it gets a leading apostrophe, which Excel shows as text. Reading a
.csv back takes that apostrophe off again.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> object:
    """Return ``value`` for a .csv cell: text that Excel would run is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unquoted(cell: str) -> str:
    """Return a .csv cell as typed: the apostrophe ``csv_text`` added is taken off."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell
