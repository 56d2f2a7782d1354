"""What every CSV and XLSX export shares: formula-safe cells and a readable first sheet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# A cell starting with one of these is a formula to a spreadsheet (CSV injection, CWE-1236).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; the rest is kept."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def fill_sheet(sheet: Worksheet, rows: Iterable[list[Any]], *, max_width: int = 60) -> None:
    """Append ``rows`` (the first is the header: bold and frozen), formula-safe, with each
    column as wide as its longest value up to ``max_width`` characters."""
    widths: dict[int, int] = {}
    for index, row in enumerate(rows):
        sheet.append([formula_safe(value) for value in row])
        for column, value in enumerate(row, start=1):
            widths[column] = max(widths.get(column, 8), min(max_width, len(str(value)) + 2))
        if index == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
