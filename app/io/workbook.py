"""Excel workbooks (.xlsx) as CSV sheets, so that the CSV readers read them unchanged.

Kumu exports a map as a workbook with an Elements and a Connections sheet, and people keep our
own organisations and relationships sheets in Excel too. :func:`read_workbook` turns each
worksheet into the CSV bytes of a file named "<origin>/<sheet name>.csv"; which reader takes
them is decided by their headers, as for CSV files (:mod:`app.io.kumu`, :mod:`app.io.sheets`).

* **Cells.** Text stays as written; whole numbers, including those Excel stores as ``2005.0``,
  are written without a decimal point ("2005"); other numbers as Python writes them
  ("1250.5"); dates as YYYY-MM-DD, date-times as "YYYY-MM-DD HH:MM:SS" (a date-time at
  midnight as its date); TRUE and FALSE as those words; empty cells as empty text.
* **Formulas are never evaluated.** The workbook is opened with ``data_only=True``, so a
  formula cell gives the value Excel last calculated and saved, or nothing if none was saved.
* **Rows.** Rows are kept where the sheet has them, so "row N" in a problem is row N in Excel;
  empty cells at the end of a row and empty rows at the end of a sheet are dropped. A sheet
  with no filled cell, or whose name contains "(ignore)" (Kumu's convention), is left out.
* **Limits.** A file that is not a readable .xlsx, a workbook with more than
  :data:`MAX_SHEETS` worksheets, more than :data:`MAX_ROWS` rows in all (every row the
  workbook stores, empty ones within a sheet included) or more than :data:`MAX_CELLS` cells
  is refused with InvalidData naming the file, as is a workbook with no sheet to read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import cast

from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.errors import InvalidData, Problem

MAX_SHEETS = 20
MAX_ROWS = 200_000
MAX_CELLS = 5_000_000
"""Cells of all rows as stored, empty ones included: a bound on the work a workbook asks for."""
IGNORED = "(ignore)"


def _refusal(origin: str, message: str, allowed: Sequence[str] = ()) -> InvalidData:
    return InvalidData([Problem(origin, "(file)", message, tuple(allowed))])


def cell_text(value: object) -> str:
    """A cell's value as CSV text; see the module docstring for each kind of value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _trimmed(cells: Iterable[str]) -> list[str]:
    """A row's cells without the empty ones at its end."""
    row = list(cells)
    while row and row[-1] == "":
        row.pop()
    return row


def _csv(rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


@dataclass
class _Budget:
    """Rows and cells read so far, refused once beyond the limits."""

    origin: str
    rows: int = 0
    cells: int = 0

    def spend(self, width: int) -> None:
        self.rows, self.cells = self.rows + 1, self.cells + width
        for count, limit, what in ((self.rows, MAX_ROWS, "rows"), (self.cells, MAX_CELLS, "cells")):
            if count > limit:
                raise _refusal(self.origin, f"has more than {limit} {what}", (f"at most {limit}",))


def _sheet_rows(sheet: ReadOnlyWorksheet, budget: _Budget) -> list[list[str]]:
    """A worksheet's rows of cell texts, without the empty rows at its end."""
    sheet.reset_dimensions()  # trust the cells, not the size the file claims
    rows: list[list[str]] = []
    filled = 0
    # The stubs type iter_rows for Worksheet only; ReadOnlyWorksheet borrows it unchanged.
    cells = cast(Worksheet, sheet).iter_rows(min_row=1, min_col=1, values_only=True)
    for values in cells:
        budget.spend(len(values))
        rows.append(_trimmed(cell_text(value) for value in values))
        if rows[-1]:
            filled = len(rows)
    return rows[:filled]


def read_workbook(data: bytes, origin: str) -> dict[str, bytes]:
    """Each worksheet of an .xlsx workbook as UTF-8 CSV, by "<origin>/<sheet name>.csv".

    Sheets come in workbook order. Raises InvalidData naming ``origin`` if the file is not a
    readable workbook, is beyond the limits or has no sheet with data.
    """
    unreadable = "not a readable Excel workbook (.xlsx)"
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        why = "damaged" if data.startswith(b"PK\x03\x04") else "not an .xlsx file inside"
        message = f"{unreadable}: {why}"
        raise _refusal(origin, message, ("an .xlsx workbook; save an .xls as .xlsx",)) from None
    found: dict[str, bytes] = {}
    try:
        sheets = [s for s in book.worksheets if isinstance(s, ReadOnlyWorksheet)]
        if len(sheets) > MAX_SHEETS:
            raise _refusal(origin, f"has {len(sheets)} sheets", (f"at most {MAX_SHEETS}",))
        budget = _Budget(origin)
        for sheet in sheets:
            if IGNORED in sheet.title.casefold():
                continue
            rows = _sheet_rows(sheet, budget)
            if rows:
                found[f"{origin}/{sheet.title}.csv"] = _csv(rows)
    except InvalidData:
        raise
    except Exception:  # a sheet's XML is only parsed while its rows are read
        raise _refusal(origin, f"{unreadable}: a sheet is damaged") from None
    finally:
        book.close()
    if not found:
        raise _refusal(origin, "has no sheet with data", ("a sheet whose first row names columns",))
    return found
