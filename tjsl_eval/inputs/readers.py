"""Read raw cells from an .xlsx workbook or a folder of .csv files, without interpreting them."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tjsl_eval.common.problems import InputError, Problem
from tjsl_eval.inputs.cells import EXCEL_ERRORS


@dataclass
class RawSheet:
    """A sheet as written: its name, header cells and data rows keyed by Excel row number."""

    name: str
    file: str  # the file to name in problems: the workbook, or the CSV file of this sheet
    header: list[object]
    rows: dict[int, list[object]] = field(default_factory=dict)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) formatted as %
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column index) -> formula
    cell_problems: dict[tuple[int, int], str] = field(default_factory=dict)  # cells that hold no usable value


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
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise InputError([Problem(str(path), message=f"cannot be opened as an .xlsx workbook ({error})")]) from None
    try:
        sheets = [_xlsx_sheet(book[name], str(path)) for name in book.sheetnames]
    finally:
        book.close()
    with_formulas = [sheet for sheet in sheets if sheet.formulas]
    if with_formulas:  # a second pass reads the results Excel saved for the formulas
        cached = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for sheet in with_formulas:
                _use_saved_results(sheet, cached[sheet.name])
        finally:
            cached.close()
    return sheets


def _xlsx_sheet(worksheet, file: str) -> RawSheet:
    sheet = RawSheet(worksheet.title, file, [])
    for row_number, cells in enumerate(worksheet.iter_rows(), start=1):
        values = []
        for index, cell in enumerate(cells):
            value = getattr(cell, "value", None)
            kind = getattr(cell, "data_type", None)
            if kind == "f":
                sheet.formulas[(row_number, index)] = str(value)
            elif kind == "e" or (isinstance(value, str) and value in EXCEL_ERRORS):
                sheet.cell_problems[(row_number, index)] = f"holds the Excel error {value}"
                value = None
            elif isinstance(value, (int, float)) and _is_percent_format(getattr(cell, "number_format", "") or ""):
                sheet.percent_cells.add((row_number, index))
            values.append(value)
        if row_number == 1:
            sheet.header = values
        elif not all(v is None or (isinstance(v, str) and not v.strip()) for v in values) or any(
            (row_number, i) in sheet.formulas for i in range(len(values))
        ):
            sheet.rows[row_number] = values
    for cell_range in _merged_ranges(worksheet):
        _mark_merged(sheet, cell_range)
    return sheet


def _is_percent_format(number_format: str) -> bool:
    """True for an Excel number format that shows a fraction as a percentage (0.2 as 20%): a ``%`` that is not
    quoted or escaped. ``General" %"`` only appends the sign, so its 20 is 20 %."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


def _use_saved_results(sheet: RawSheet, cached_worksheet) -> None:
    """Replace each formula by the result Excel saved with it; a formula without one is a problem."""
    for row_number, cells in enumerate(cached_worksheet.iter_rows(), start=1):
        for index, cell in enumerate(cells):
            formula = sheet.formulas.get((row_number, index))
            if formula is None:
                continue
            value = getattr(cell, "value", None)
            if value is None or getattr(cell, "data_type", None) == "e":
                sheet.cell_problems[(row_number, index)] = (
                    f"holds the formula {formula} with no saved result: open and save the file in Excel, "
                    f"or type the value"
                    if value is None
                    else f"holds the formula {formula}, whose result is the Excel error {value}"
                )
                value = None
            row = sheet.rows.get(row_number) if row_number > 1 else sheet.header
            if row is not None and index < len(row):
                row[index] = value


def _merged_ranges(worksheet) -> list[str]:
    """The merged ranges (``F2:F3``) of a read-only worksheet, from its XML."""
    source = getattr(worksheet, "_get_source", None)
    if source is None:
        return []
    with source() as xml:
        text = xml.read().decode("utf-8", errors="replace")
    return re.findall(r'<mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', text)


def _mark_merged(sheet: RawSheet, cell_range: str) -> None:
    """Cells a merge covers read as blank in Excel files: each one is a problem."""
    from openpyxl.utils.cell import range_boundaries

    first_column, first_row, last_column, last_row = range_boundaries(cell_range)
    for row_number in range(first_row, last_row + 1):
        for column in range(first_column, last_column + 1):
            if (row_number, column) != (first_row, first_column):
                sheet.cell_problems[(row_number, column - 1)] = (
                    f"is covered by the merged cells {cell_range}: unmerge them and fill in each cell"
                )
                if row_number > 1:
                    sheet.rows.setdefault(row_number, [])


def _read_csv(path: Path) -> RawSheet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            [Problem(str(path), message=f"is not UTF-8 text (byte {error.start}): save it from Excel as 'CSV UTF-8'")]
        ) from None
    header_line = text.partition("\n")[0]
    delimiter = max(",;\t", key=header_line.count)  # Excel writes ';' in locales with a decimal comma
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    sheet = RawSheet(path.stem, str(path), list(records[0]) if records else [])
    for row_number, record in enumerate(records[1:], start=2):
        if any(value.strip() for value in record):
            sheet.rows[row_number] = list(record)
    return sheet
