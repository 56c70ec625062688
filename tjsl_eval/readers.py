"""Read raw cells from an .xlsx workbook or a folder of .csv files, without interpreting them."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tjsl_eval.problems import InputError, Problem


@dataclass
class RawSheet:
    """A sheet as written: its name, header cells and data rows keyed by Excel row number."""

    name: str
    file: str  # the file to name in problems: the workbook, or the CSV file of this sheet
    header: list[object]
    rows: dict[int, list[object]] = field(default_factory=dict)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) formatted as %


def read_sheets(path: Path) -> list[RawSheet]:
    """Every sheet of ``path`` (an .xlsx file or a folder of .csv files), in file order."""
    if path.is_dir():
        return [_read_csv(file) for file in sorted(path.glob("*.csv"))]
    if not path.exists():
        raise InputError([Problem(str(path), message="file not found")])
    if path.suffix.lower() == ".csv":
        return [_read_csv(path)]
    return _read_xlsx(path)


def _read_xlsx(path: Path) -> list[RawSheet]:
    import openpyxl

    if not zipfile.is_zipfile(path):
        hint = " (an old .xls file: save it as .xlsx in Excel)" if path.suffix.lower() == ".xls" else ""
        raise InputError([Problem(str(path), message=f"is not an Excel workbook (.xlsx){hint}")])
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise InputError([Problem(str(path), message=f"cannot be opened as an .xlsx workbook ({error})")]) from None
    try:
        return [_xlsx_sheet(book[name], str(path)) for name in book.sheetnames]
    finally:
        book.close()


def _xlsx_sheet(worksheet, file: str) -> RawSheet:
    sheet = RawSheet(worksheet.title, file, [])
    for row_number, cells in enumerate(worksheet.iter_rows(), start=1):
        values = [getattr(cell, "value", None) for cell in cells]
        if row_number == 1:
            sheet.header = values
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        sheet.rows[row_number] = values
        for index, cell in enumerate(cells):
            if isinstance(cell.value, (int, float)) and "%" in (getattr(cell, "number_format", "") or ""):
                sheet.percent_cells.add((row_number, index))
    return sheet


def _read_csv(path: Path) -> RawSheet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError([Problem(str(path), message=f"is not UTF-8 text (byte {error.start}): "
                                  "save it from Excel as 'CSV UTF-8'")]) from None
    header_line = text.partition("\n")[0]
    delimiter = max(",;\t", key=header_line.count)  # Excel writes ';' in locales with a decimal comma
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    sheet = RawSheet(path.stem, str(path), list(records[0]) if records else [])
    for row_number, record in enumerate(records[1:], start=2):
        if any(value.strip() for value in record):
            sheet.rows[row_number] = list(record)
    return sheet
