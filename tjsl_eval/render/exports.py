"""Spreadsheet exports (``metrics.csv``, ``fgd_register.xlsx``) that are safe to open.

Text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run
as a formula by Excel (CSV/formula injection): it is prefixed with an apostrophe. Numbers
and dates stay numbers and dates. In ``.xlsx`` files, characters XML cannot hold become U+FFFD
(:mod:`tjsl_eval.common.xml_text`), so that no text makes the writer fail.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from tjsl_eval.common.files import write_atomic
from tjsl_eval.common.xml_text import xml_safe
from tjsl_eval.common.zips import reproducible_zip

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel in an Indonesian locale separates CSV fields with ';' and decimals with ','.
CSV_STYLE = {"id": (";", ","), "en": (",", ".")}


def neutralise(value: object) -> object:
    """``value`` unchanged, except text that Excel would run as a formula, which gets a ``'`` first."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: object, decimal_mark: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return repr(value).replace(".", decimal_mark) if value == value else ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(neutralise(value if isinstance(value, str) else str(value)))


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[object]], language: str) -> None:
    """A CSV file Excel opens cleanly: UTF-8 with BOM, the locale's separators, safe text."""
    delimiter, decimal_mark = CSV_STYLE[language]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_csv_cell(h, decimal_mark) for h in headers])
    writer.writerows([[_csv_cell(v, decimal_mark) for v in row] for row in rows])
    write_atomic(path, "\ufeff" + buffer.getvalue())


def write_xlsx_table(
    path: Path,
    sheet_name: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int] | None = None,
) -> None:
    """One sheet with a frozen, filtered header row; text cells are stored as text, never formulas."""
    write_xlsx_sheets(path, [(sheet_name, headers, rows, widths)])


def write_xlsx_sheets(
    path: Path, sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]], Sequence[int] | None]]
) -> None:
    """A workbook of ``(name, headers, rows, widths)`` sheets, each with a frozen, filtered header
    row; text cells are stored as text, never formulas. The same content gives the same bytes, whatever the clock
    (:func:`~tjsl_eval.common.zips.reproducible_zip`)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet_name, headers, rows, widths in sheets:
        sheet = book.create_sheet(sheet_name[:31])
        sheet.append([xml_safe(header) for header in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row_number, row in enumerate(rows, start=2):
            for column_number, value in enumerate(row, start=1):
                cell = sheet.cell(row_number, column_number)
                cell.value = neutralise(xml_safe(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would otherwise store text starting with '=' as a formula
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                elif isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{max(len(rows) + 1, 1)}"
        for number, width in enumerate(widths or [], start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
    book.properties.creator = "tjsl-eval"
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, reproducible_zip(buffer.getvalue()))
