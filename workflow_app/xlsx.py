"""Lists and reports as XLSX, the one way every export is written.

- Streamed: openpyxl's write-only workbook, rows taken from an iterator, so memory stays
  bounded however many rows there are (the file goes to a temporary file, then out).
- Typed: dates as dates (dd/mm/yyyy), moments as date-time cells (dd/mm/yyyy hh:mm) in
  Vietnam time (an aware datetime is converted: spreadsheets hold no time zone), numbers as
  numbers, text as text, headers bold; the headers are whatever the caller passes
  (Vietnamese for a Vietnamese reader).
- Formula-safe: a text beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is
  written as a string cell with Excel's "quote prefix", so no spreadsheet evaluates it (CSV/
  formula injection, OWASP); its text is kept exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from workflow_app.workdays import VIETNAM_TZ

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MAX_SHEET_TITLE = 31  # Excel's limit


@dataclass
class Sheet:
    """One sheet: its title, column headers and rows (any iterable, read once)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = field(default_factory=tuple)


def _cell(sheet, value: Any) -> WriteOnlyCell:
    if isinstance(value, bool):  # before int: a bool is an int
        value = "x" if value else ""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(VIETNAM_TZ).replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # never a formula
        cell.alignment = Alignment(horizontal="left")
        cell.quotePrefix = True
    return cell


def write(target: IO[bytes] | str, sheets: Iterable[Sheet]) -> None:
    """Write `sheets` as one workbook to `target` (a path or a binary file)."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=_title(spec.title))
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[_column(index)].width = width
        header = []
        for title in spec.headers:
            cell = _cell(sheet, str(title))
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in spec.rows:
            sheet.append([_cell(sheet, _plain(value)) for value in row])
    workbook.save(target)


def _plain(value: Any) -> Any:
    """Values openpyxl stores as they are; anything else (lazy strings, enums) as text."""
    if value is None or isinstance(value, int | float | str | dt.date):
        return value
    return str(value)


def _title(text: str) -> str:
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in str(text)).strip()
    return (cleaned or "Sheet")[:MAX_SHEET_TITLE]


def _column(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
